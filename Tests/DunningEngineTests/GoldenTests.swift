import DunningCore
import DunningEngine
import Foundation
import Testing

/// Whole runs over `fixtures/<scenario>/nights/<date>/`, compared with `fixtures/<scenario>/expected/<date>/`.
/// The lifecycle scenario crosses every stage boundary (day before, on, after), month ends, a
/// leap day, multi-loan cases, a settlement and re-opening, a cure, and three missed nights.
/// The contacts scenario pins the contact plans: a daylight-saving change (New York,
/// 2026-03-08), two candidate zones, a holiday, a promise to pay kept and one broken, a
/// complaint, a dispute, a stop and resume, a death, an emergency contact, caps and capacity.
/// A scenario with its own `strategy.yaml` runs with it; otherwise with strategies/default.yaml.
/// Set DUNNING_UPDATE_GOLDEN=1 to rewrite the expected files after a deliberate change, then
/// review the diff line by line.
@Suite struct GoldenTests {
    static let files = ["actions.csv", "cases.csv", "contacts.csv", "deferred.csv", "rejects.csv", "workload.csv"]
    static let update = ProcessInfo.processInfo.environment["DUNNING_UPDATE_GOLDEN"] == "1"

    @Test(arguments: ["lifecycle", "contacts", "allocation"])
    func scenarioMatchesExpectedOutputs(scenario: String) throws {
        let work = TestSupport.temporaryDirectory()
        let store = work + "/store.sqlite"
        let nights = TestSupport.nights(scenario)
        let own = TestSupport.fixture("\(scenario)/strategy.yaml")
        let strategy = FileManager.default.fileExists(atPath: own) ? own : TestSupport.strategy
        #expect(nights.count >= 5)
        for (day, input) in nights {
            let out = work + "/out/\(day)"
            try TestSupport.run(day, input: input, store: store, out: out, strategy: strategy)
            let expected = TestSupport.fixture("\(scenario)/expected/\(day)")
            for name in Self.files {
                let actual = try #require(TestSupport.read(out + "/" + name))
                if Self.update {
                    try FileManager.default.createDirectory(atPath: expected, withIntermediateDirectories: true)
                    try actual.write(toFile: expected + "/" + name, atomically: true, encoding: .utf8)
                }
                #expect(actual == TestSupport.read(expected + "/" + name), "\(scenario) \(day) \(name)")
            }
            let summary = try #require(TestSupport.stableSummary(out + "/summary.json"))
            if Self.update { try summary.write(toFile: expected + "/summary.json", atomically: true, encoding: .utf8) }
            #expect(summary == TestSupport.read(expected + "/summary.json"), "\(scenario) \(day) summary.json")
        }
    }
}
