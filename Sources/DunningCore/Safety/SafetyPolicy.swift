/// The strategy's `safety` section: what a night refuses to do without an explicit yes.
///
/// A collection action cannot be taken back, so the checks that stop one slip (a failed
/// extract, a stale one, a wrong date) from acting on the whole book are on by default; a
/// strategy may tighten or loosen them, and a flag accepts one night's exception on purpose.
public struct SafetyPolicy: Sendable, Equatable {
    /// The extract must carry a `manifest.json` (row counts and SHA-256 per file, as-of date).
    public var requireManifest = false
    /// The largest share of the cases open after the last committed night that may be missing
    /// from tonight's `ledger.csv` (or whose customer may be missing from `customers.csv`), in
    /// basis points (200 = 2%). A real book loses next to none on an ordinary night: a paid loan
    /// stays in the extract and settles; a case leaves the file only when it leaves the book.
    public var maxMissingBasisPoints = SafetyPolicy.defaultMaxMissingBasisPoints
    /// The most nights that may lie between the last committed night and tonight without an
    /// explicit `--accept-missed-nights`: a larger gap usually means a stale extract, a clock gone
    /// wrong or a forgotten store, and a catch-up acts on everything that fell due in it at once.
    public var maxMissedNights = SafetyPolicy.defaultMaxMissedNights

    public static let defaultMaxMissingBasisPoints = 200
    public static let defaultMaxMissedNights = 14

    public init() {}

    /// `2%`, `0.5%`: basis points as text with at most two decimals.
    public static func percentText(basisPoints: Int) -> String {
        let whole = basisPoints / 100, cents = basisPoints % 100
        if cents == 0 { return "\(whole)%" }
        return cents % 10 == 0 ? "\(whole).\(cents / 10)%" : "\(whole).\(cents < 10 ? "0" : "")\(cents)%"
    }

    /// Parses `2%`, `0.5%`, `12.25%` (0% to 100%) into basis points.
    public static func basisPoints(percent text: String) -> Int? {
        guard text.hasSuffix("%") else { return nil }
        let number = text.dropLast()
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let wholeText = parts.first, !wholeText.isEmpty,
              wholeText.allSatisfy(\.isASCII), wholeText.allSatisfy(\.isNumber), wholeText.count <= 3,
              let whole = Int(wholeText) else { return nil }
        var cents = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy(\.isASCII), fraction.allSatisfy(\.isNumber),
                  let value = Int(fraction) else { return nil }
            cents = fraction.count == 1 ? value * 10 : value
        }
        let total = whole * 100 + cents
        return total <= 10_000 ? total : nil
    }
}
