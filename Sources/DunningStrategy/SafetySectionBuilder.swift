import DunningCore
import Yams

/// The `safety` section: the checks a night makes before it may act on the book.
extension StrategyBuilder {
    static let safetyKeys = ["require_manifest", "max_missing_share", "max_missed_nights"]

    mutating func safetyPolicy(_ node: Node?) -> SafetyPolicy {
        var policy = SafetyPolicy()
        guard let node, let entries = reader.mapping(node, in: "safety", allowed: Self.safetyKeys) else { return policy }
        for (key, _, value) in entries {
            switch key {
            case "require_manifest": reader.flag(value, "safety.require_manifest").map { policy.requireManifest = $0 }
            case "max_missing_share":
                if let text = value.scalar?.string, let points = SafetyPolicy.basisPoints(percent: text) {
                    policy.maxMissingBasisPoints = points
                } else {
                    reader.error(at: value, "safety.max_missing_share must be a percentage from 0% to 100% with at most two decimals, e.g. 2% or 0.5%")
                }
            case "max_missed_nights":
                reader.int(value, "safety.max_missed_nights", in: 0...3660).map { policy.maxMissedNights = $0 }
            default: break
            }
        }
        return policy
    }
}
