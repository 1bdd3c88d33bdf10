import DunningCore
@testable import DunningStrategy
import Testing

/// Strategy files an attacker (or an accident) could write: each is refused at once with a
/// located error, without expanding or walking what it points to.
@Suite struct HostileStrategyTests {
    @Test func aBillionLaughsIsNotExpanded() {
        // Ten levels of ten aliases: 10^10 strings if the aliases were expanded.
        var lines = ["a0: &a0 [\"x\", \"x\", \"x\", \"x\", \"x\", \"x\", \"x\", \"x\", \"x\", \"x\"]"]
        for i in 1..<10 { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]") }
        let yaml = Load.minimal(lines.joined(separator: "\n") + "\n", segments: "segments: *a9\n")
        let d = Load.diagnostics(yaml)
        #expect(!d.isEmpty)
        #expect(d.count < 100)
        #expect(d.allSatisfy { $0.line >= 1 })
        #expect(d.contains { $0.message.contains("unknown key 'a0'") })
    }

    @Test func deepNestingStopsAtTheParsersLimit() {
        let yaml = Load.minimal("x: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n")
        let d = Load.diagnostics(yaml)
        #expect(d.count == 1)
        #expect(d.first?.message.contains("YAML syntax") == true)
        #expect(d.first?.line == 4)
    }

    @Test func aHugeFileIsReadOnceAndEveryProblemReported() {
        // 20,000 segments with an unknown key each (so each is a catch-all shadowing the rest):
        // every problem reported, in file order.
        var segments = "segments:\n"
        for i in 0..<20_000 { segments += "  - {name: s\(i), colour: red}\n" }
        segments += "  - name: everyone\n"
        let d = Load.diagnostics(Load.minimal(segments: segments))
        #expect(d.filter { $0.message.hasPrefix("unknown key 'colour'") }.count == 20_000)
        #expect(d.filter { $0.message.contains("can never match") }.count == 20_000)
        #expect(d.first?.line == 5)
        #expect(d.last?.line == 20_005)
    }

    @Test func tagsDoNotRunAnything() {
        let d = Load.diagnostics(Load.minimal("description: !!python/object/apply:os.system [\"rm -rf /\"]\n"))
        #expect(d.contains { $0.line == 4 })
    }

    @Test func duplicateKeysAndInvalidUTF8AreRefused() {
        #expect(Load.diagnostics("name: a\nname: b\n").located.contains { $0.contains("duplicate key 'name'") })
        var bytes = Array(Load.minimal().utf8)
        bytes.insert(contentsOf: [0xFF, 0xFE], at: 6)
        switch StrategyLoader.load(bytes: bytes, file: "bad.yaml") {
        case .success: Issue.record("invalid UTF-8 loaded")
        case .failure(let e): #expect(e.diagnostics.map(\.message) == ["strategy file is not valid UTF-8"])
        }
    }
}
