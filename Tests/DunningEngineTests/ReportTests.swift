import DunningCore
import DunningEngine
import Foundation
import Testing

/// `dunning report` over whole fixture histories: golden text, JSON and HTML
/// (fixtures/<scenario>/report/), and windows.
@Suite struct ReportTests {
    static func store(_ scenario: String) throws -> String {
        let work = TestSupport.temporaryDirectory()
        let own = TestSupport.fixture("\(scenario)/strategy.yaml")
        let strategy = FileManager.default.fileExists(atPath: own) ? own : TestSupport.strategy
        for (day, input) in TestSupport.nights(scenario) {
            try TestSupport.run(day, input: input, store: work + "/s.sqlite", out: nil, strategy: strategy)
        }
        return work + "/s.sqlite"
    }

    @Test(arguments: ["lifecycle", "allocation"])
    func reportsMatchTheGoldenFiles(scenario: String) throws {
        let report = try PortfolioReporter(storePath: try Self.store(scenario)).report(from: nil, to: nil)
        let directory = TestSupport.fixture("\(scenario)/report")
        let outputs = ["report.txt": report.text(), "report.json": String(decoding: report.json(), as: UTF8.self), "report.html": report.html()]
        for (name, text) in outputs {
            if GoldenTests.update {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
            }
            #expect(text == TestSupport.read(directory + "/" + name), "\(scenario) \(name)")
        }
        let decoded = try JSONDecoder().decode(PortfolioReport.self, from: Data(report.json()))
        #expect(decoded == report)
        // Self-contained: nothing is fetched from anywhere.
        #expect(!report.html().contains("http://") && !report.html().contains("https://") && !report.html().contains("<script"))
    }

    @Test func aWindowStartsItsCohortOnItsFirstNight() throws {
        let reporter = PortfolioReporter(storePath: try Self.store("allocation"))
        let all = try reporter.report(from: nil, to: nil)
        let window = try reporter.report(from: Day(iso: "2026-04-02"), to: Day(iso: "2026-04-04"))
        #expect(all.nights == ["2026-04-01", "2026-04-02", "2026-04-03", "2026-04-05", "2026-04-06"])
        #expect(window.nights == ["2026-04-02", "2026-04-03"])
        #expect(all.cohort == 38 && window.cohort == 37)   // CA03 settled on the second night
        #expect(all.rollRates.contains { $0.from == "M0" && $0.to == "settled" && $0.cases == 1 })
        #expect(all.workload.contains { $0.night == "2026-04-05" && $0.group == "agencies" && $0.members == 1 })   // AG_WEST is paused
        #expect { try reporter.report(from: Day(iso: "2027-01-01"), to: nil) } throws: { ($0 as? RunError)?.exitCode == 66 }
    }

    /// Beyond the retention horizon (`store_info.history_from`) a report would count from
    /// pruned history: it starts there by default and refuses a window reaching before it, and
    /// explain refuses nights before it.
    @Test func nightsBeyondRetentionAreRefusedNotMiscounted() throws {
        let path = try Self.store("lifecycle")
        let set = Process()
        set.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        set.arguments = [path, "UPDATE store_info SET history_from = '2026-03-01'"]
        try set.run()
        set.waitUntilExit()
        let reporter = PortfolioReporter(storePath: path)
        #expect(try reporter.report(from: nil, to: nil).nights.first == "2026-03-01")
        for (from, to) in [(Day(iso: "2026-02-26"), nil), (nil, Day(iso: "2026-02-28"))] {
            #expect { try reporter.report(from: from, to: to) } throws: { error in
                let e = error as? RunError
                return e?.exitCode == 66 && "\(e!)".contains("the nights before 2026-03-01 are beyond the store's retention")
            }
        }
        #expect(try reporter.report(from: Day(iso: "2026-03-01"), to: nil).nights.first == "2026-03-01")
        let explainer = CaseExplainer(storePath: path)
        #expect { try explainer.explain(customer: "C002", asOf: Day(iso: "2026-02-27")) } throws: { error in
            "\(error)".contains("2026-02-27 is beyond the store's retention")
        }
        #expect(try explainer.explain(customer: "C002", asOf: Day(iso: "2026-03-02")).text().contains("C002"))
    }
}
