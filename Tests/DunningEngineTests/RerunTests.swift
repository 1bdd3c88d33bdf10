import DunningCore
import DunningEngine
import Foundation
import Testing

/// Re-runs, dry runs, refusal of past dates, and catch-up semantics on the lifecycle fixture.
@Suite struct RerunTests {
    let nights = TestSupport.nights("lifecycle")

    private func runAll(store: String, work: String, through count: Int? = nil) throws {
        for (day, input) in nights.prefix(count ?? nights.count) {
            try TestSupport.run(day, input: input, store: store, out: work + "/out/\(day)")
        }
    }

    @Test func rerunOfTheLastNightIsByteIdenticalAndEmitsNothingNew() throws {
        let work = TestSupport.temporaryDirectory()
        let store = work + "/s.sqlite"
        try runAll(store: store, work: work)
        let (last, input) = try #require(nights.last)
        let first = work + "/out/\(last)"
        let again = work + "/again"
        let report = try TestSupport.run(last, input: input, store: store, out: again)
        #expect(report.rerun)
        for name in ["actions.csv", "cases.csv", "contacts.csv", "deferred.csv", "rejects.csv", "workload.csv"] {
            #expect(TestSupport.read(first + "/" + name) == TestSupport.read(again + "/" + name), "\(name)")
        }
        #expect(TestSupport.stableSummary(first + "/summary.json") == TestSupport.stableSummary(again + "/summary.json"))
        // The next night sees the same history as after an uninterrupted run.
        let next = last + 1
        let a = try TestSupport.run(next, input: input, store: store, out: nil, dryRun: true)
        let fresh = TestSupport.temporaryDirectory()
        try runAll(store: fresh + "/s.sqlite", work: fresh)
        let b = try TestSupport.run(next, input: input, store: fresh + "/s.sqlite", out: nil, dryRun: true)
        #expect(a.summary.actions == b.summary.actions)
        #expect(a.summary.contacts == b.summary.contacts)
    }

    /// Contact plans count caps and step validity from the store: a re-run must replace the
    /// night's plan, not add to it, so the next night plans exactly what it would have.
    @Test func rerunOfAContactNightReplacesItsPlan() throws {
        let nights = TestSupport.nights("contacts")
        let strategy = TestSupport.fixture("contacts/strategy.yaml")
        let work = TestSupport.temporaryDirectory()
        func run(_ index: Int, store: String, out: String) throws {
            try TestSupport.run(nights[index].0, input: nights[index].1, store: store, out: out, strategy: strategy)
        }
        for i in 0..<3 { try run(i, store: work + "/a.sqlite", out: work + "/a\(i)") }
        try run(2, store: work + "/a.sqlite", out: work + "/a2-again")
        try run(2, store: work + "/a.sqlite", out: work + "/a2-third")
        try run(3, store: work + "/a.sqlite", out: work + "/a3")
        for i in 0..<4 { try run(i, store: work + "/b.sqlite", out: work + "/b\(i)") }
        for name in ["contacts.csv", "deferred.csv"] {
            let planned = try #require(TestSupport.read(work + "/a2/" + name))
            #expect(planned.split(separator: "\n").count > 1, "\(name) is empty: the check would be vacuous")
            #expect(planned == TestSupport.read(work + "/a2-third/" + name), "\(name)")
            #expect(TestSupport.read(work + "/a3/" + name) == TestSupport.read(work + "/b3/" + name), "\(name)")
        }
    }

    @Test func dryRunLeavesTheStoreByteForByteUnchanged() throws {
        let work = TestSupport.temporaryDirectory()
        let store = work + "/s.sqlite"
        try runAll(store: store, work: work, through: 2)
        let before = try Data(contentsOf: URL(fileURLWithPath: store))
        let (day, input) = nights[2]
        let report = try TestSupport.run(day, input: input, store: store, out: nil, dryRun: true)
        #expect(report.summary.committed == false)
        #expect(report.outputDirectory == nil)
        #expect((report.summary.actions["credit_reported"] ?? 0) > 0)
        let after = try Data(contentsOf: URL(fileURLWithPath: store))
        #expect(before == after)
        #expect(!FileManager.default.fileExists(atPath: work + "/out/\(day)"))
    }

    /// A dry run needs a store as a real run does: a mistyped path must not preview a first night.
    @Test func dryRunWithoutAStoreIsRefusedAndCreatesNothing() throws {
        let work = TestSupport.temporaryDirectory()
        let (day, input) = nights[0]
        #expect {
            try TestSupport.run(day, input: input, store: work + "/none.sqlite", out: work + "/o", dryRun: true, createStore: false)
        } throws: { ($0 as? RunError)?.exitCode == 66 }
        #expect(try FileManager.default.contentsOfDirectory(atPath: work).isEmpty)
    }

    @Test func aDateBeforeTheLastCommittedRunIsRefused() throws {
        let work = TestSupport.temporaryDirectory()
        let store = work + "/s.sqlite"
        try runAll(store: store, work: work, through: 3)
        let (day, input) = nights[1]
        #expect {
            try TestSupport.run(day, input: input, store: store, out: nil)
        } throws: { error in
            guard let error = error as? RunError, case .usage(let message) = error else { return false }
            return error.exitCode == 64 && message.contains("before the last committed run \(nights[2].0)")
        }
    }

    @Test func catchUpEmitsEachMissedMilestoneOnceWithItsDueDate() throws {
        let work = TestSupport.temporaryDirectory()
        try runAll(store: work + "/s.sqlite", work: work)
        let (last, _) = try #require(nights.last)
        let actions = try #require(TestSupport.read(work + "/out/\(last)/actions.csv"))
        // C003's second loan: notice acted on 2026-03-02, report due 2026-03-05 (a missed night), acted 2026-03-06.
        #expect(actions.contains("2026-03-06,C003,C003/cash_loan/1,L003B,credit_reported,2026-03-05,5020.00,"))
        // C007: penalty fell due on 2026-03-03 while no run happened.
        #expect(actions.contains("2026-03-06,C007,C007/ecommerce/1,L007,penalty_started,2026-03-03,99.99,"))
        let summary = try #require(TestSupport.read(work + "/out/\(last)/summary.json"))
        #expect(summary.contains("\"missed_nights\" : 3"))
        // Across all nights no per-loan milestone was emitted twice.
        var seen: Set<String> = []
        for (day, _) in nights {
            let lines = (TestSupport.read(work + "/out/\(day)/actions.csv") ?? "").split(separator: "\n").dropFirst()
            for line in lines {
                let f = line.split(separator: ",", omittingEmptySubsequences: false)
                guard f[3] != "", f[4] != "bucket_changed" else { continue }
                #expect(seen.insert("\(f[2])|\(f[3])|\(f[4])").inserted, "emitted twice: \(line)")
            }
        }
    }
}
