import Foundation
import Testing

/// `dunning schema` and the committed schema, checked with a real JSON Schema validator (Python's
/// jsonschema through scripts/check-schema.py, installed by scripts/install-deps.sh): the bundled
/// strategies pass, and the mistakes an editor should underline are reported.
@Suite struct SchemaCommandTests {
    @Test func schemaPrintsTheCommittedFile() throws {
        let result = try BinaryRunner.run(["schema"])
        #expect(result.status == 0)
        let committed = try String(contentsOf: BinaryRunner.root.appendingPathComponent("strategies/strategy.schema.json"), encoding: .utf8)
        #expect(result.stdout == committed)
        #expect(result.stdout.contains("\"$schema\": \"http://json-schema.org/draft-07/schema#\""))
    }

    @Test func theBundledStrategiesMatchTheSchema() throws {
        let result = try BinaryRunner.run(["python3", "scripts/check-schema.py", "strategies/strategy.schema.json",
                                           "strategies/default.yaml", "fixtures/allocation/strategy.yaml", "fixtures/contacts/strategy.yaml"],
                                          executable: URL(fileURLWithPath: "/usr/bin/env"))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == "strategies/default.yaml: ok\nfixtures/allocation/strategy.yaml: ok\nfixtures/contacts/strategy.yaml: ok\n")
    }

    @Test func anEditorWouldUnderlineTheseMistakes() throws {
        let work = BinaryRunner.temporaryDirectory()
        try """
            name: x
            business_time_zone: Asia/Shanghai
            currency: cny
            segmants: []
            segments:
              - {name: a, buckets: [M0], treatmnt: x}
            contact:
              holidays: [2026-10-01]
              channels: {call: {per_7_days: 9}}
            allocation:
              groups: [{name: g, kind: robots}]

            """.write(toFile: work + "/bad.yaml", atomically: true, encoding: .utf8)
        let file = work + "/bad.yaml"
        let result = try BinaryRunner.run(["python3", "scripts/check-schema.py", "strategies/strategy.schema.json", file],
                                          executable: URL(fileURLWithPath: "/usr/bin/env"))
        #expect(result.status == 1)
        #expect(result.stdout == """
            \(file): (top): Additional properties are not allowed ('segmants' was unexpected)
            \(file): allocation/groups/0/kind: 'robots' is not one of ['agents', 'robot', 'agency']
            \(file): contact/channels/call/per_7_days: 9 is greater than the maximum of 7
            \(file): currency: 'cny' does not match '^[A-Z]{3}$'
            \(file): segments/0: Additional properties are not allowed ('treatmnt' was unexpected)

            """)
    }
}
