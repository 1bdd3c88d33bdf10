import DunningCore
import DunningEngine
import DunningIO
import Foundation
import Testing

/// The benchmark's generated portfolio runs with the default strategy: its roster serves every
/// group, and nobody is left without a member.
@Suite struct GeneratedPortfolioTests {
    @Test func aGeneratedPortfolioIsAllocatedWithTheDefaultStrategy() throws {
        let work = TestSupport.temporaryDirectory()
        let day = Day(iso: "2026-11-22")!
        var files: [String: [UInt8]] = [:]
        PortfolioGenerator(customers: 3_000, seed: 42, asOf: day).generate { name, bytes in files[name, default: []] += bytes }
        #expect(Set(files.keys) == Set(PortfolioGenerator.files))
        for (name, bytes) in files { try Data(bytes).write(to: URL(fileURLWithPath: work + "/" + name)) }
        let report = try TestSupport.run(day, input: work, store: work + "/s.sqlite", out: work + "/out")
        let groups = try #require(report.summary.allocation?.groups)
        #expect(groups.keys.sorted() == ["m0_cash", "m0_ecommerce", "m0_other", "m1_m2", "m3_agencies", "pre_due_robot"])
        #expect(groups.values.allSatisfy { $0.unassigned == 0 })
        #expect(groups.values.map(\.cases).reduce(0, +) == report.summary.openCases)
        // Large groups are even: within one case of the ideal count.
        for name in ["m0_cash", "m0_ecommerce"] {
            let g = try #require(groups[name])
            #expect(g.cases > 20)
            #expect(g.casesAboveIdeal.hasPrefix("0.") || g.casesAboveIdeal.hasPrefix("+0."))
            #expect(g.casesBelowIdeal.hasPrefix("0.") || g.casesBelowIdeal.hasPrefix("-0."))
        }
        let workload = try #require(TestSupport.read(work + "/out/workload.csv"))
        #expect(workload.split(separator: "\n").count == 1 + 5 + 1 + 2 + 1)   // header, agents, m0_other, agencies, robot
    }

    /// Threads change the wall time only: one, two and three threads write the same files and
    /// commit the same store, night after night.
    @Test func everyNumberOfThreadsGivesTheSameNights() throws {
        let work = TestSupport.temporaryDirectory()
        let day = Day(iso: "2026-11-22")!
        var files: [String: [UInt8]] = [:]
        PortfolioGenerator(customers: 4_000, seed: 7, asOf: day).generate { name, bytes in files[name, default: []] += bytes }
        for (name, bytes) in files { try Data(bytes).write(to: URL(fileURLWithPath: work + "/" + name)) }
        #expect(files["ledger.csv"]!.count > 3 << 20) // three ledger chunks of at least 1 MiB
        var outputs: [Int: [String]] = [:]
        for workers in [1, 2, 3] {
            var texts: [String] = []
            for night in 0..<2 {
                let out = work + "/out-\(workers)-\(night)"
                _ = try TestSupport.run(day + night, input: work, store: work + "/s-\(workers).sqlite", out: out, workers: workers)
                for name in ["actions.csv", "cases.csv", "contacts.csv", "deferred.csv", "workload.csv", "rejects.csv"] {
                    texts.append(try #require(TestSupport.read(out + "/" + name)))
                }
                texts.append(try #require(TestSupport.stableSummary(out + "/summary.json")))
            }
            outputs[workers] = texts
        }
        #expect(outputs[2] == outputs[1])
        #expect(outputs[3] == outputs[1])
        #expect(outputs[1]!.joined().count > 100_000)
    }
}
