import DunningCore
import DunningEngine
import DunningStore
import Foundation
import Testing

/// Allocation across whole runs on fixtures/allocation: re-runs, dry runs, the store's log of
/// changes, and the run-time errors (roster, unserved cases, missing roster).
@Suite struct AllocationRunTests {
    let nights = TestSupport.nights("allocation")
    let strategy = TestSupport.fixture("allocation/strategy.yaml")
    static let outputs = ["cases.csv", "contacts.csv", "deferred.csv", "workload.csv"]

    private func run(_ index: Int, store: String, out: String?, dryRun: Bool = false, input: String? = nil) throws -> RunReport {
        try TestSupport.run(nights[index].0, input: input ?? nights[index].1, store: store, out: out, dryRun: dryRun,
                            strategy: strategy)
    }

    /// Re-running a night replaces its log of assignment changes: the same outputs, and the next
    /// night allocates exactly as after an uninterrupted history.
    @Test func aRerunChangesNothingAndTheNextNightIsTheSame() throws {
        let work = TestSupport.temporaryDirectory()
        for i in 0..<3 { _ = try run(i, store: work + "/a.sqlite", out: work + "/a\(i)") }
        _ = try run(2, store: work + "/a.sqlite", out: work + "/a2-again")
        _ = try run(3, store: work + "/a.sqlite", out: work + "/a3")
        for i in 0..<4 { _ = try run(i, store: work + "/b.sqlite", out: work + "/b\(i)") }
        for name in Self.outputs {
            #expect(TestSupport.read(work + "/a2/" + name) == TestSupport.read(work + "/a2-again/" + name), "\(name)")
            #expect(TestSupport.read(work + "/a3/" + name) == TestSupport.read(work + "/b3/" + name), "\(name)")
        }
        // The re-run is judged against the assignments before it: kept, not "kept by itself".
        let cases = try #require(TestSupport.read(work + "/a2-again/cases.csv"))
        #expect(cases.contains(",moved,rebalance"))
    }

    @Test func theStoreLogsOnlyChangesAndMirrorsTheOpenCases() throws {
        let work = TestSupport.temporaryDirectory()
        let store = work + "/s.sqlite"
        _ = try run(0, store: store, out: nil)
        let first = try DunningStoreProbe.counts(store)
        #expect(first["assignments"] == first["cases"])   // every case is new the first night
        _ = try run(1, store: store, out: work + "/o1")
        let second = try DunningStoreProbe.counts(store)
        let changed = try #require(TestSupport.read(work + "/o1/cases.csv")).split(separator: "\n")
            .filter { !$0.contains(",kept,") }.count - 1
        #expect(second["assignments"] == (first["assignments"] ?? 0) + changed)
        #expect(second["workloads"] == 2 * 12)   // 10 members and 2 robots each night
        let reader = try #require(try StateStore.openReadOnly(path: store))
        let prior = try reader.assignments(before: nights[2].0)
        #expect(prior["CA05/cash_loan/1"]?.agentID == "A02")
    }

    @Test func aDryRunAllocatesLikeTheRealRunAndCommitsNothing() throws {
        let work = TestSupport.temporaryDirectory()
        let store = work + "/s.sqlite"
        for i in 0..<2 { _ = try run(i, store: store, out: nil) }
        let before = try Data(contentsOf: URL(fileURLWithPath: store))
        _ = try run(2, store: store, out: work + "/dry", dryRun: true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)
        _ = try run(2, store: store, out: work + "/real")
        for name in Self.outputs {
            #expect(TestSupport.read(work + "/dry/" + name) == TestSupport.read(work + "/real/" + name), "\(name)")
        }
    }

    private func copyNight(_ index: Int, to directory: String) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: nights[index].1) {
            try FileManager.default.copyItem(atPath: nights[index].1 + "/" + name, toPath: directory + "/" + name)
        }
    }

    @Test func aBadRosterRowStopsTheRunEvenWhenSkippingBadRows() throws {
        let work = TestSupport.temporaryDirectory()
        let input = work + "/in"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        try copyNight(0, to: input)
        let roster = try #require(TestSupport.read(input + "/agents.csv"))
        try (roster + "A09,m0_cahs,10,true,,,\nA01,m0_cash,ten,true,,,\n")
            .write(toFile: input + "/agents.csv", atomically: true, encoding: .utf8)
        for skip in [false, true] {
            #expect {
                try TestSupport.run(nights[0].0, input: input, store: work + "/s.sqlite", out: nil, skipBadRows: skip,
                                    strategy: strategy)
            } throws: { error in
                guard let error = error as? RunError, case .data(let diagnostics) = error else { return false }
                let text = diagnostics.map(\.description)
                return error.exitCode == 65
                    && text.contains { $0.hasSuffix("agents.csv:12:5: error: group 'm0_cahs' is not an allocation group of the strategy (known: m0_cash, m0_other, m1_m2, agencies)") }
                    && text.contains { $0.hasSuffix("agents.csv:13:1: error: agent A01 is listed twice (first at line 2)") }
                    && text.contains { $0.hasSuffix("agents.csv:13:13: error: capacity 'ten' must be a whole number from 0 to 1000000") }
                    && (!skip || text.contains { $0.contains("never skips roster rows") })
            }
        }
        #expect(try DunningStoreProbe.counts(work + "/s.sqlite")["runs"] == 0)
    }

    @Test func aMissingRosterIsNoInput() throws {
        let work = TestSupport.temporaryDirectory()
        try copyNight(0, to: work)
        try FileManager.default.removeItem(atPath: work + "/agents.csv")
        #expect {
            try TestSupport.run(nights[0].0, input: work, store: work + "/s.sqlite", out: nil, strategy: strategy)
        } throws: { ($0 as? RunError)?.exitCode == 66 }
    }

    /// A product no group serves (M0 is covered for every product, so it is a later bucket).
    @Test func aCaseNoGroupServesStopsTheRunAtTheGroupsLine() throws {
        let work = TestSupport.temporaryDirectory()
        let yaml = try #require(TestSupport.read(strategy))
            .replacingOccurrences(of: "    - name: m1_m2\n      buckets: [M1, M2]", with: "    - name: m1_m2\n      buckets: [M1, M2]\n      products: [cash_loan, card]")
        try yaml.write(toFile: work + "/strategy.yaml", atomically: true, encoding: .utf8)
        let input = work + "/in"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        try copyNight(3, to: input)   // EC06 (ecommerce) is in M1 by then
        var messages: [String] = []
        do {
            try TestSupport.run(nights[3].0, input: input, store: work + "/s.sqlite", out: work + "/o", strategy: work + "/strategy.yaml")
            Issue.record("the run should have failed")
        } catch let error as RunError {
            #expect(error.exitCode == 78)
            messages = error.description.split(separator: "\n").map(String.init)
        }
        let line = try #require(yaml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("  groups:") }) + 1
        #expect(messages == ["\(work)/strategy.yaml:\(line + 1):5: error: no allocation group serves bucket M1, product ecommerce, segment late: 1 open case(s), e.g. EC06/ecommerce/1; add a group for them or widen one in allocation.groups"])
        #expect(!FileManager.default.fileExists(atPath: work + "/o/cases.csv"))
        #expect(try DunningStoreProbe.counts(work + "/s.sqlite")["runs"] == 0)
    }
}
