import DunningCore
import DunningEngine
import Foundation
import Testing

/// `dunning preview` on fixtures/allocation: two dry runs against the same store, compared.
@Suite struct PreviewTests {
    let nights = TestSupport.nights("allocation")
    let strategy = TestSupport.fixture("allocation/strategy.yaml")

    /// The store after the first two nights, and the options of the third night.
    private func prepared() throws -> (work: String, options: RunOptions) {
        let work = TestSupport.temporaryDirectory()
        for i in 0..<2 { try TestSupport.run(nights[i].0, input: nights[i].1, store: work + "/s.sqlite", out: nil, strategy: strategy) }
        return (work, RunOptions(asOf: nights[2].0, strategyPath: strategy, inputDirectory: nights[2].1, storePath: work + "/s.sqlite"))
    }

    private func candidate(_ work: String, _ edit: (String) -> String) throws -> String {
        let path = work + "/candidate.yaml"
        try edit(try #require(TestSupport.read(strategy))).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theSameStrategyChangesNothingAndCommitsNothing() throws {
        let (work, options) = try prepared()
        let before = try Data(contentsOf: URL(fileURLWithPath: work + "/s.sqlite"))
        let report = try StrategyPreview(options: options, baselinePath: strategy, logger: TestSupport.quietLogger).execute()
        #expect(report.isUnchanged)
        #expect(report.openCases == .init(key: "open cases", baseline: 37, candidate: 37, change: 0))
        #expect(report.baseline == report.candidate)
        #expect(try Data(contentsOf: URL(fileURLWithPath: work + "/s.sqlite")) == before)
        #expect(report.table().contains("the candidate changes nothing counted here"))
    }

    @Test func aCandidateShowsWhatWouldChange() throws {
        let (work, baseOptions) = try prepared()
        var options = baseOptions
        options.strategyPath = try candidate(work) {
            $0.replacingOccurrences(of: "shares: {AG_EAST: 60, AG_WEST: 40}", with: "shares: {AG_EAST: 50, AG_WEST: 50}")
                .replacingOccurrences(of: "    amount: {min: \"5000.00\"}", with: "    amount: {min: \"1500.00\"}")
                .replacingOccurrences(of: "name: allocation-golden", with: "name: candidate")
        }
        let report = try StrategyPreview(options: options, baselinePath: strategy, logger: TestSupport.quietLogger).execute()
        #expect(!report.isUnchanged)
        #expect(report.candidate.name == "candidate" && report.baseline.name == "allocation-golden")
        let segments = try #require(report.sections.first { $0.name == "segments" }).rows
        let late = try #require(segments.first { $0.key == "late" }), large = try #require(segments.first { $0.key == "late_large" })
        #expect(late.change == -large.change && large.change > 0)
        #expect(report.segmentMoves == [.init(from: "late", to: "late_large", cases: large.change)])
        // The agencies' new shares move kept cases within the rebalance limit (2 a night), and the
        // new late_large cases need the senior skill: they move from L02 to S01.
        let agents = try #require(report.sections.first { $0.name == "agent_cases" })
        #expect(agents.rows.map(\.key) == ["agencies/AG_EAST", "agencies/AG_WEST", "m1_m2/L02", "m1_m2/S01"])
        let changes = agents.rows.map(\.change)
        #expect(Array(changes.prefix(2)) == [-2, 2])
        #expect(changes[3] == -changes[2] && changes[3] > 0 && changes[3] <= large.change)   // some were with S01 already
        #expect(agents.unchangedOmitted == 7)
        // The JSON is the same report.
        let decoded = try JSONDecoder().decode(PreviewReport.self, from: Data(report.json()))
        #expect(decoded == report)
    }

    @Test func aBrokenCandidateIsAConfigError() throws {
        let (work, baseOptions) = try prepared()
        var options = baseOptions
        options.strategyPath = try candidate(work) { $0.replacingOccurrences(of: "kind: agency", with: "kind: agencies") }
        #expect { try StrategyPreview(options: options, baselinePath: strategy, logger: TestSupport.quietLogger).execute() } throws: {
            ($0 as? RunError)?.exitCode == 78
        }
    }

    /// fixtures/allocation/preview: the candidate strategy against the one in force on the third
    /// night, as a table and as JSON.
    @Test func theFixtureCandidateMatchesTheGoldenPreview() throws {
        let (_, baseOptions) = try prepared()
        var options = baseOptions
        options.strategyPath = TestSupport.fixture("allocation/preview/candidate.yaml")
        let report = try StrategyPreview(options: options, baselinePath: strategy, logger: TestSupport.quietLogger).execute()
        let directory = TestSupport.fixture("allocation/preview")
        for (name, text) in ["preview.txt": report.table(), "preview.json": String(decoding: report.json(), as: UTF8.self)] {
            if GoldenTests.update { try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
            #expect(text == TestSupport.read(directory + "/" + name), "\(name)")
        }
        #expect(report.variantMoves.allSatisfy { $0.from == "-" })   // the baseline has no experiment
    }
}
