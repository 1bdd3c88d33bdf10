@testable import DunningCore
import Testing

/// The report's arithmetic on hand-made histories: roll rates, cures, recovered amounts,
/// Wilson intervals and variant comparisons.
@Suite struct PortfolioReportTests {
    static let nights = [Day(iso: "2026-05-01")!, Day(iso: "2026-05-02")!, Day(iso: "2026-05-31")!]
    static let buckets = ["current", "M0", "M1", "M2", "M3+"]

    static func record(_ bucket: String, _ amount: Int64, segment: String = "s", variant: String = "") -> DecisionRecord {
        DecisionRecord(stage: .overdue, bucket: bucket, dueOn: Day(iso: "2026-04-20")!, amountOverdue: Money(minorUnits: amount),
                       score: nil, segment: segment, variant: variant)
    }

    @Test func wilsonIntervalsMatchTheTextbook() {
        let (a, b) = PortfolioReport.wilson(0, 10)
        #expect(abs(a - 0) < 1e-9 && abs(b - 0.2775) < 1e-4)
        let (c, d) = PortfolioReport.wilson(5, 10)
        #expect(abs(c - 0.2366) < 1e-4 && abs(d - 0.7634) < 1e-4)
        let (e, f) = PortfolioReport.wilson(90, 100)
        #expect(abs(e - 0.8256) < 1e-4 && abs(f - 0.9448) < 1e-4)
        #expect(PortfolioReport.wilson(0, 0) == (0, 0))
    }

    @Test func rollRatesCuresAndRecoveredAmounts() {
        let start = ["A": Self.record("M0", 100_00), "B": Self.record("M0", 200_00), "C": Self.record("M0", 300_00),
                     "D": Self.record("M1", 400_00), "E": Self.record("M1", 500_00),
                     "OLD": Self.record("M2", 50_00)]   // settled before the window: not in the cohort
        let end = ["A": Self.record("M1", 150_00), "B": Self.record("current", 0), "D": Self.record("M1", 100_00),
                   "E": Self.record("M2", 700_00), "LATE": Self.record("M0", 10_00)]   // LATE opened in the window
        let settled = ["C": Day(iso: "2026-05-20")!, "OLD": Day(iso: "2026-04-30")!]
        let report = PortfolioReport.make(.init(nights: Self.nights, buckets: Self.buckets, start: start, end: end, settled: settled,
                                                planned: [], held: [], workloads: []))
        #expect(report.cohort == 5)
        #expect(report.rollRates.map { "\($0.from)>\($0.to):\($0.cases):\($0.percent)" } == [
            "M0>current:1:33.33", "M0>M1:1:33.33", "M0>settled:1:33.33", "M1>M1:1:50.00", "M1>M2:1:50.00",
        ])
        let o = try! #require(report.outcomes.first)
        #expect(report.outcomes.count == 1)
        #expect(o.cases == 5 && o.cured == 2 && o.cureRatePercent == "40.00")   // B back to current, C settled
        // Recovered: B 200 + C 300 (settled) + D 300 (400 -> 100); A and E grew.
        #expect(o.overdueAtStart == "1500.00" && o.recovered == "800.00")
    }

    @Test func variantsAreComparedWithTheLargestArm() {
        var start: [String: DecisionRecord] = [:], settled: [String: Day] = [:]
        for i in 0..<400 {
            let variant = i < 300 ? "champion" : "challenger"
            start["C\(i)"] = Self.record("M0", 100_00, segment: "early", variant: variant)
            // Champion cures 30%, challenger 50%.
            if (variant == "champion" && i % 10 < 3) || (variant == "challenger" && i % 2 == 0) { settled["C\(i)"] = Day(iso: "2026-05-10")! }
        }
        let report = PortfolioReport.make(.init(nights: Self.nights, buckets: Self.buckets, start: start, end: [:], settled: settled,
                                                planned: [], held: [], workloads: []))
        #expect(report.outcomes.map(\.cureRatePercent) == ["50.00", "30.00"])   // challenger, champion (by name)
        let c = try! #require(report.comparisons.first)
        #expect(report.comparisons.count == 1)
        #expect(c.variant == "challenger" && c.reference == "champion" && c.differencePoints == "20.00" && c.significant)
        // 0.5 and 0.3 over 100 and 300 cases: se = sqrt(.25/100 + .21/300) = 0.05657
        #expect(c.lowPoints == "8.91" && c.highPoints == "31.09")
    }

    @Test func workloadIsSummedPerNightAndGroupWithoutRobots() {
        let n = Self.nights[0]
        let report = PortfolioReport.make(.init(nights: [n], buckets: Self.buckets, start: [:], end: [:], settled: [:], planned: [(n, "sms", 4)],
                                                held: [(n, "window", 2)], workloads: [
            WorkloadPoint(night: n, group: "team", agentID: "A1", kind: "agents", cases: 10, plannedCalls: 3),
            WorkloadPoint(night: n, group: "team", agentID: "A2", kind: "agents", cases: 4, plannedCalls: 1),
            WorkloadPoint(night: n, group: "robot", agentID: "", kind: "robot", cases: 99, plannedCalls: 0),
        ]))
        #expect(report.workload == [.init(night: "2026-05-01", group: "team", members: 2, cases: 14, minCases: 4, maxCases: 10,
                                          averageCases: "7.00", plannedCalls: 4)])
        #expect(report.contacts == [.init(night: "2026-05-01", key: "sms", count: 4)])
    }
}
