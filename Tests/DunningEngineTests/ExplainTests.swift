import DunningCore
import DunningEngine
import DunningStore
import Foundation
import Testing

/// `dunning explain` on the lifecycle nights: golden explanations (fixtures/lifecycle/explain),
/// past nights, missed nights, settled cases and unknown customers.
@Suite struct ExplainTests {
    static let golden = ["C002@2026-03-06", "C003@2026-03-02", "C004@2026-03-06", "C005@2026-02-27"]

    /// The lifecycle nights committed into a fresh store (once per test).
    static func store() throws -> String {
        let work = TestSupport.temporaryDirectory()
        for (day, input) in TestSupport.nights("lifecycle") {
            try TestSupport.run(day, input: input, store: work + "/s.sqlite", out: nil)
        }
        return work + "/s.sqlite"
    }

    /// The commit time is the one thing that differs between runs.
    static func stable(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            guard let range = line.range(of: ", committed ") else { return String(line) }
            return String(line[..<range.upperBound]) + "<time>"
        }.joined(separator: "\n")
    }

    @Test(arguments: golden)
    func explanationsMatchTheGoldenFiles(which: String) throws {
        let parts = which.split(separator: "@")
        let explanation = try CaseExplainer(storePath: try Self.store()).explain(customer: String(parts[0]), asOf: Day(iso: parts[1]))
        let text = Self.stable(explanation.text())
        let path = TestSupport.fixture("lifecycle/explain/\(parts[0])-\(parts[1]).txt")
        if GoldenTests.update { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        #expect(text == TestSupport.read(path), "\(which)")
        let decoded = try JSONDecoder().decode(Explanation.self, from: Data(explanation.json()))
        #expect(decoded == explanation)
    }

    @Test func aPastNightIsExplainedWithWhatWasTrueThen() throws {
        let store = try Self.store()
        let explainer = CaseExplainer(storePath: store)
        let then = try explainer.explain(customer: "C003", asOf: Day(iso: "2026-02-26"))
        let now = try explainer.explain(customer: "C003", asOf: nil)
        let before = try #require(then.cases.first { $0.caseID == "C003/cash_loan/1" })
        let after = try #require(now.cases.first { $0.caseID == "C003/cash_loan/1" })
        #expect(before.bucket == "M0" && before.group == "m0_cash" && before.agentID == "A01" && before.assignmentTonight == "new")
        #expect(after.bucket == "M1" && after.group == "m1_m2" && after.agentID == "S01")
        #expect(before.dpd == 30 && after.dpd == 38)
        #expect(now.night == "2026-03-06" && then.night == "2026-02-26")
    }

    @Test func aSettledCaseIsNotExplainedAsOpen() throws {
        // C004's first e-commerce case settled on 2026-02-28 and a new one opened later.
        let now = try CaseExplainer(storePath: try Self.store()).explain(customer: "C004", asOf: nil)
        #expect(now.cases.map(\.caseID) == ["C004/ecommerce/2"])
    }

    @Test func unknownCustomersAndNightsAreNoInput() throws {
        let store = try Self.store()
        #expect { try CaseExplainer(storePath: store).explain(customer: "NOBODY", asOf: nil) } throws: {
            ($0 as? RunError)?.exitCode == 66 && "\($0)".contains("customer NOBODY has never had a case in")
        }
        #expect { try CaseExplainer(storePath: store).explain(customer: "C001", asOf: Day(iso: "2026-01-01")) } throws: {
            ($0 as? RunError)?.exitCode == 66 && "\($0)".contains("no night was committed on or before 2026-01-01")
        }
        #expect { try CaseExplainer(storePath: store + ".missing").explain(customer: "C001", asOf: nil) } throws: {
            ($0 as? RunError)?.exitCode == 66
        }
    }

    @Test func theStoreKeepsEachStrategyVersionOnceAndLogsOnlyChangedDecisions() throws {
        let store = try Self.store()
        let counts = try DunningStoreProbe.counts(store)
        #expect(counts["strategies"] == 1)
        // Far fewer decision rows than open cases times nights: only changes are logged.
        let runs = try #require(counts["runs"])
        #expect(try #require(counts["decisions"]) < 9 * runs)
        let reader = try #require(try StateStore.openReadOnly(path: store))
        let run = try #require(try reader.run(on: Day(iso: "2026-03-06")!))
        let source = try #require(try reader.strategySource(sha256: run.strategyHash))
        #expect(source.files.keys.sorted() == ["calendars/cn-2026.csv"])
    }
}
