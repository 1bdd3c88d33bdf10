import DunningCore
import Yams

/// Builds a segment's `experiment`: a champion/challenger split of its customers between
/// treatments, by percentages that add up to 100.
extension StrategyBuilder {
    static let experimentKeys = ["name", "variants"]
    static let variantKeys = ["name", "treatment", "percent"]

    mutating func experiment(_ node: Node, segment: String, treatments: [String: Treatment]) -> Experiment? {
        let what = "segment '\(segment)' experiment"
        guard let entries = reader.mapping(node, in: what, allowed: Self.experimentKeys) else { return nil }
        let fields = Self.values(entries)
        var name = segment
        if let n = fields["name"], let text = reader.string(n, "\(what) name") {
            if ProductCode.isValid(text) { name = text } else {
                reader.error(at: n, "\(what) name '\(text)' may use only letters, digits, '_', '-' and '.'")
            }
        }
        guard let list = required("variants", fields, node).flatMap({ reader.sequence($0, "\(what) variants") }) else { return nil }
        var variants: [Experiment.Variant] = []
        var names: Set<String> = []
        for item in list {
            guard let entries = reader.mapping(item, in: "a variant of \(what)", allowed: Self.variantKeys) else { continue }
            let v = Self.values(entries)
            let variantName = required("name", v, item).flatMap { reader.string($0, "variant name") }
            let treatment = required("treatment", v, item).flatMap { reader.string($0, "variant treatment") }
            let share = required("percent", v, item).flatMap { percent($0, "\(what): variant percent") }
            guard let variantName, let treatment, let share else { continue }
            if !ProductCode.isValid(variantName) {
                reader.error(at: v["name"], "\(what): variant name '\(variantName)' may use only letters, digits, '_', '-' and '.'")
            }
            if !names.insert(variantName).inserted { reader.error(at: item, "\(what): variant name '\(variantName)' is used twice") }
            if treatments[treatment] == nil {
                reader.error(at: v["treatment"], "\(what): unknown treatment '\(treatment)'\(known(treatments.keys))")
            }
            variants.append(Experiment.Variant(name: variantName, treatment: treatment, basisPoints: share))
        }
        if list.count < 2 {
            reader.error(at: fields["variants"], "\(what) needs at least two variants (a champion and a challenger)")
        } else if variants.count == list.count {
            let total = variants.reduce(0) { $0 + $1.basisPoints }
            if total != 10_000 {
                reader.error(at: fields["variants"], "\(what): variant percentages add up to \(basisPointsText(total))%, not 100%")
            }
        }
        return Experiment(name: name, variants: variants)
    }

    /// `20`, `12.5`, `33.33`: a percentage above 0 and at most 100 with at most two decimals, in basis points.
    private mutating func percent(_ node: Node, _ what: String) -> Int? {
        let text = node.scalar?.string ?? ""
        if let value = ScaledDecimal.parse(text, fractionDigits: 2, integerDigits: 3), value > 0, value <= 10_000 { return value }
        reader.error(at: node, "\(what) must be a percentage above 0 and at most 100 with at most two decimals (e.g. 20 or 12.5), not '\(text.prefix(20))'")
        return nil
    }

    func basisPointsText(_ value: Int) -> String {
        value % 100 == 0 ? String(value / 100) : String(value / 100) + "." + pad(value % 100, 2)
    }
}
