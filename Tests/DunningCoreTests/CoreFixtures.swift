@testable import DunningCore
import Testing

/// Shared builders for the core tests. Values mirror StrategyDefaults (which lives in
/// DunningStrategy, a target these tests do not depend on): D-2 / D+2 / D+5 / D+8, lead 1 day, M12,
/// 0.0005 a day, half_up, buckets M0 1-30, M1 31-60, M2 61-90, M3+ 91-.
enum Fixture {
    static func day(_ text: String) -> Day {
        guard let d = Day(iso: text) else {
            Issue.record("fixture date \(text) did not parse")
            return Day(number: 0)
        }
        return d
    }

    static let defaultBuckets = BucketScheme([
        Bucket(name: "M0", minDPD: 1, maxDPD: 30),
        Bucket(name: "M1", minDPD: 31, maxDPD: 60),
        Bucket(name: "M2", minDPD: 61, maxDPD: 90),
        Bucket(name: "M3+", minDPD: 91, maxDPD: nil),
    ])

    static func strategy(penalty: PenaltyRule = PenaltyRule(dailyRate: Rate(nanos: 500_000), capRatio: nil, rounding: .halfUp),
                         segments: [SegmentRule] = [SegmentRule(name: "other")],
                         stages: StageSchedule = StageSchedule()) -> Strategy {
        Strategy(name: "test", contentHash: String(repeating: "0", count: 64), businessTimeZone: "Asia/Shanghai",
                 defaultCustomerTimeZone: "Asia/Shanghai", currency: "CNY", stages: stages, penalty: penalty,
                 paidTolerance: .zero, buckets: defaultBuckets, segments: segments)
    }

    static func money(_ minor: Int64) -> Money { Money(minorUnits: minor) }

    /// A loan of one or more instalments: (due date, amount due, amount paid) in minor units.
    static func loan(id: String = "L1", customer: String = "C1", product: String = "cash",
                     _ instalments: [(String, Int64, Int64)]) -> Loan {
        Loan(id: id, customerID: customer, product: product, currency: "CNY",
             instalments: instalments.enumerated().map { i, item in
                 Instalment(number: i + 1, due: day(item.0), amountDue: Money(minorUnits: item.1),
                            amountPaid: Money(minorUnits: item.2))
             })
    }
}
