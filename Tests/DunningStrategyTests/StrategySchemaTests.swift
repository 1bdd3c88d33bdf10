import DunningCore
@testable import DunningStrategy
import Foundation
import Testing

/// The JSON Schema of strategy files stays in step with the loader: the committed file is the
/// generator's output, and at every object the schema lists exactly the keys the loader accepts
/// (read from the loader's own "unknown key ... (allowed: ...)" message).
@Suite struct StrategySchemaTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theCommittedSchemaIsTheGeneratedOne() throws {
        let committed = try String(contentsOf: Self.root.appendingPathComponent("strategies/strategy.schema.json"), encoding: .utf8)
        #expect(committed == StrategySchema.text, "run: dunning schema > strategies/strategy.schema.json")
    }

    @Test func bundledStrategiesPointEditorsAtTheSchema() throws {
        for (file, pointer) in [("strategies/default.yaml", "./strategy.schema.json"),
                                ("fixtures/allocation/strategy.yaml", "../../strategies/strategy.schema.json"),
                                ("fixtures/contacts/strategy.yaml", "../../strategies/strategy.schema.json")] {
            let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
            #expect(text.hasPrefix("# yaml-language-server: $schema=\(pointer)\n"), "\(file)")
        }
    }

    static let base = """
    name: probe
    business_time_zone: Asia/Shanghai
    currency: CNY
    templates:
      T: {channel: sms, class: reminder}
    treatments:
      t: [{channel: sms, template: T, days: [D+1]}]

    """
    static let segments = "segments:\n  - name: all\n"

    /// (where, YAML with an unknown key `zz_probe` there, the schema object that describes it).
    static let probes: [(String, String, [String])] = [
        ("top", base + segments + "zz_probe: 1\n", []),
        ("stages", base + segments + "stages: {zz_probe: 1}\n", ["properties", "stages"]),
        ("penalty", base + segments + "penalty: {zz_probe: 1}\n", ["properties", "penalty"]),
        ("bucket", base + segments + "buckets: [{name: M0, from: 1, zz_probe: 1}]\n", ["properties", "buckets", "items"]),
        ("segment", base + "segments:\n  - {name: all, zz_probe: 1}\n", ["definitions", "segment"]),
        ("segment amount", base + "segments:\n  - {name: a, amount: {min: 1, zz_probe: 1}}\n  - name: all\n",
         ["definitions", "segment", "properties", "amount"]),
        ("experiment", base + "segments:\n  - name: all\n    experiment: {zz_probe: 1, variants: [{name: a, treatment: t, percent: 50}, {name: b, treatment: t, percent: 50}]}\n",
         ["definitions", "segment", "properties", "experiment"]),
        ("variant", base + "segments:\n  - name: all\n    experiment: {variants: [{name: a, treatment: t, percent: 50, zz_probe: 1}, {name: b, treatment: t, percent: 50}]}\n",
         ["definitions", "segment", "properties", "experiment", "properties", "variants", "items"]),
        ("contact", base + segments + "contact: {zz_probe: 1}\n", ["properties", "contact"]),
        ("channels", base + segments + "contact: {channels: {zz_probe: {}}}\n", ["properties", "contact", "properties", "channels"]),
        ("sms", base + segments + "contact: {channels: {sms: {zz_probe: 1}}}\n",
         ["properties", "contact", "properties", "channels", "properties", "sms"]),
        ("call", base + segments + "contact: {channels: {call: {zz_probe: 1}}}\n",
         ["properties", "contact", "properties", "channels", "properties", "call"]),
        ("emergency_contact", base + segments + "contact: {emergency_contact: {zz_probe: 1}}\n",
         ["properties", "contact", "properties", "emergency_contact"]),
        ("complaint", base + segments + "contact: {complaint: {zz_probe: 1}}\n", ["properties", "contact", "properties", "complaint"]),
        ("promise_to_pay", base + segments + "contact: {promise_to_pay: {zz_probe: 1}}\n",
         ["properties", "contact", "properties", "promise_to_pay"]),
        ("reminder", base + segments + "contact: {promise_to_pay: {reminder: {channel: sms, template: T, zz_probe: 1}}}\n",
         ["properties", "contact", "properties", "promise_to_pay", "properties", "reminder"]),
        ("template", base.replacingOccurrences(of: "class: reminder}", with: "class: reminder, zz_probe: 1}") + segments,
         ["properties", "templates", "additionalProperties"]),
        ("notice", base + segments + "notices: {pre_collection: {channel: sms, template: T, zz_probe: 1}}\n",
         ["properties", "notices", "properties", "pre_collection"]),
        ("step", base.replacingOccurrences(of: "days: [D+1]}", with: "days: [D+1], zz_probe: 1}") + segments,
         ["definitions", "step"]),
        ("allocation", base + segments + "allocation: {zz_probe: 1, groups: [{name: g}]}\n", ["properties", "allocation"]),
        ("group", base + segments + "allocation: {groups: [{name: g, zz_probe: 1}]}\n",
         ["properties", "allocation", "properties", "groups", "items"]),
    ]

    @Test(arguments: probes.indices)
    func schemaKeysAreTheKeysTheLoaderAccepts(probe: Int) throws {
        let (name, yaml, select) = Self.probes[probe]
        let message = try #require(Load.diagnostics(yaml).map(\.message).first { $0.contains("'zz_probe'") }, "\(name)")
        let allowed = try #require(message.components(separatedBy: "(allowed: ").last?.dropLast())
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let object = try #require(select.reduce(Optional(StrategySchema.document)) { $0?[$1] }, "\(name)")
        guard case .object(let properties)? = object["properties"] else {
            Issue.record("\(name): no properties in the schema")
            return
        }
        #expect(properties.map(\.0) == allowed, "\(name)")
        #expect(object["additionalProperties"] == .bool(false), "\(name)")
    }
}
