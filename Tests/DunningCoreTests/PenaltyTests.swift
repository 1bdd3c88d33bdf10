import Testing
@testable import DunningCore

@Suite("PenaltyRule.accrued")
struct PenaltyTests {
    let due = Fixture.day("2026-03-10")
    /// 0.0005 a day, no cap, half_up.
    let standard = PenaltyRule(dailyRate: Rate(nanos: 500_000), capRatio: nil, rounding: .halfUp)

    // 1000.00 outstanding x 0.0005 = 0.50 (50 minor units) a day, counted from D+2 inclusive.
    @Test("days counted from the instalment's own penalty day, inclusive", arguments: [
        (-2, Int64(0)), (0, 0), (1, 0), (2, 50), (3, 100), (10, 450), (100, 4950),
    ])
    func daysFromPenaltyDay(dpd: Int, expectedMinor: Int64) {
        let loan = Fixture.loan([("2026-03-10", 100_000, 0)])
        #expect(standard.accrued(on: loan, asOf: due + dpd, penaltyDay: 2) == Money(minorUnits: expectedMinor))
    }

    @Test func differentPenaltyDay() {
        // Penalty from D+1: on D+1 one day already accrues; on D+10 ten days.
        let loan = Fixture.loan([("2026-03-10", 100_000, 0)])
        #expect(standard.accrued(on: loan, asOf: due + 1, penaltyDay: 1).minorUnits == 50)
        #expect(standard.accrued(on: loan, asOf: due + 10, penaltyDay: 1).minorUnits == 500)
    }

    @Test func onlyOutstandingOfUnpaidInstalmentsAccrues() {
        // 1000.00 due, 400.00 paid: 600.00 x 0.0005 = 0.30 a day; DPD 5 -> 4 days -> 1.20.
        let partial = Fixture.loan([("2026-03-10", 100_000, 40_000)])
        #expect(standard.accrued(on: partial, asOf: due + 5, penaltyDay: 2).minorUnits == 120)
        // A paid instalment accrues nothing even far past its due date.
        let paid = Fixture.loan([("2026-03-10", 100_000, 100_000)])
        #expect(standard.accrued(on: paid, asOf: due + 50, penaltyDay: 2) == .zero)
    }

    @Test func eachInstalmentFromItsOwnDueDate() {
        // Instalment 1 due D (DPD 10: 9 days x 0.50 = 4.50), instalment 2 due D+5 (DPD 5: 4 days x 0.50 = 2.00),
        // instalment 3 due D+9 (DPD 1: nothing yet), instalment 4 due in the future.
        let loan = Fixture.loan([
            ("2026-03-10", 100_000, 0), ("2026-03-15", 100_000, 0), ("2026-03-19", 100_000, 0), ("2026-04-10", 100_000, 0),
        ])
        #expect(standard.accrued(on: loan, asOf: due + 10, penaltyDay: 2).minorUnits == 450 + 200)
    }

    // 10.00 outstanding x 0.0005 = 0.5 minor units a day: every day is an exact half.
    @Test("rounding is applied once to the loan's exact total", arguments: [
        // (rule, days of accrual on one instalment, expected)
        (RoundingRule.halfUp, 1, Int64(1)),   // 0.5 -> 1
        (.halfEven, 1, 0),                    // 0.5 -> 0
        (.down, 1, 0),
        (.halfUp, 3, 2),                      // 1.5 -> 2 (per-day rounding would give 3)
        (.halfEven, 3, 2),                    // 1.5 -> 2
        (.down, 3, 1),                        // 1.5 -> 1 (per-day truncation would give 0)
        (.halfUp, 5, 3),                      // 2.5 -> 3
        (.halfEven, 5, 2),                    // 2.5 -> 2
        (.down, 5, 2),
    ])
    func roundingOncePerLoanSingleInstalment(rule: RoundingRule, days: Int, expected: Int64) {
        let rule = PenaltyRule(dailyRate: Rate(nanos: 500_000), capRatio: nil, rounding: rule)
        let loan = Fixture.loan([("2026-03-10", 1000, 0)])
        // days of accrual = DPD - 2 + 1.
        #expect(rule.accrued(on: loan, asOf: due + (days + 1), penaltyDay: 2).minorUnits == expected)
    }

    @Test("rounding is not per instalment", arguments: [
        (RoundingRule.halfUp, Int64(1)),  // 0.5 + 0.5 = 1.0 -> 1 (per instalment: 1 + 1 = 2)
        (.halfEven, 1),                    // per instalment: 0 + 0 = 0
        (.down, 1),                        // per instalment: 0 + 0 = 0
    ])
    func roundingNotPerInstalment(rule: RoundingRule, expected: Int64) {
        let rule = PenaltyRule(dailyRate: Rate(nanos: 500_000), capRatio: nil, rounding: rule)
        // Two 10.00 instalments due the same day, one day of accrual each: 0.5 + 0.5 minor units.
        let same = Fixture.loan([("2026-03-10", 1000, 0), ("2026-03-10", 1000, 0)])
        #expect(rule.accrued(on: same, asOf: due + 2, penaltyDay: 2).minorUnits == expected)
    }

    @Test("staggered instalments are summed exactly before rounding", arguments: [
        (RoundingRule.halfUp, Int64(2)), // 1.5 -> 2
        (.halfEven, 2),                  // 1.5 -> 2 (per instalment: 1 + 0 = 1)
        (.down, 1),                      // 1.5 -> 1
    ])
    func staggered(rule: RoundingRule, expected: Int64) {
        let rule = PenaltyRule(dailyRate: Rate(nanos: 500_000), capRatio: nil, rounding: rule)
        // As of 2026-03-13: instalment due 03-10 has DPD 3 (2 days = 1.0), due 03-11 DPD 2 (1 day = 0.5).
        let loan = Fixture.loan([("2026-03-10", 1000, 0), ("2026-03-11", 1000, 0)])
        #expect(rule.accrued(on: loan, asOf: due + 3, penaltyDay: 2).minorUnits == expected)
    }

    @Test func capLimitsToFlooredShareOfOverdue() {
        // 1% a day on 10.03 overdue for 100 days = 10.03 exact; cap 24% of 10.03 = 2.4072 -> 2.40
        // (rounded down, even though half_up would give 2.41).
        let rule = PenaltyRule(dailyRate: Rate(nanos: 10_000_000), capRatio: Rate(nanos: 240_000_000), rounding: .halfUp)
        let loan = Fixture.loan([("2026-03-10", 1003, 0)])
        #expect(rule.accrued(on: loan, asOf: due + 101, penaltyDay: 2).minorUnits == 240)
    }

    @Test func capNotBindingLeavesPenalty() {
        // 1000.00 x 0.0005 x 9 days = 4.50, cap 24% of 1000.00 = 240.00.
        let rule = PenaltyRule(dailyRate: Rate(nanos: 500_000), capRatio: Rate(nanos: 240_000_000), rounding: .halfUp)
        let loan = Fixture.loan([("2026-03-10", 100_000, 0)])
        #expect(rule.accrued(on: loan, asOf: due + 10, penaltyDay: 2).minorUnits == 450)
    }

    @Test func capBaseIsOverdueAmountOnly() {
        // Instalment 1: 100.00 due D, overdue. Instalment 2: 1000.00 due in the future (not overdue).
        // 0.0005 x 10000 x 1999 days = 9995 (99.95) uncapped; cap 24% of 100.00 = 24.00 (not of 1100.00).
        let rule = PenaltyRule(dailyRate: Rate(nanos: 500_000), capRatio: Rate(nanos: 240_000_000), rounding: .halfUp)
        let loan = Fixture.loan([("2026-03-10", 10_000, 0), ("2040-01-01", 100_000, 0)])
        #expect(rule.accrued(on: loan, asOf: due + 2000, penaltyDay: 2).minorUnits == 2400)
        // Partly paid: 100.00 due, 50.00 paid -> base 50.00 -> cap 12.00.
        let partial = Fixture.loan([("2026-03-10", 10_000, 5_000), ("2040-01-01", 100_000, 0)])
        #expect(rule.accrued(on: partial, asOf: due + 2000, penaltyDay: 2).minorUnits == 1200)
    }

    @Test func zeroCapMeansNoPenalty() {
        let rule = PenaltyRule(dailyRate: Rate(nanos: 500_000), capRatio: Rate(nanos: 0), rounding: .halfUp)
        let loan = Fixture.loan([("2026-03-10", 100_000, 0)])
        #expect(rule.accrued(on: loan, asOf: due + 30, penaltyDay: 2) == .zero)
    }

    /// docs/strategy.md, "Worked example": as of 2026-04-10, instalments due 2026-03-01 (1000.00 unpaid),
    /// 2026-03-30 (181.00 outstanding) and 2026-04-30 (not yet due).
    /// Exact: 100000 x 0.0005 x 39 + 18100 x 0.0005 x 10 = 1950 + 90.5 = 2040.5 minor units.
    @Test("worked example", arguments: [
        (RoundingRule.halfUp, Rate?.none, Int64(2041)),
        (.halfEven, nil, 2040),
        (.down, nil, 2040),
        (.halfUp, Rate(nanos: 240_000_000), 2041),  // cap 118100 x 0.24 = 28344: not binding
        (.halfUp, Rate(nanos: 15_000_000), 1771),   // cap 118100 x 0.015 = 1771.5 -> 1771
    ])
    func workedExample(rounding: RoundingRule, cap: Rate?, expected: Int64) {
        let rule = PenaltyRule(dailyRate: Rate(nanos: 500_000), capRatio: cap, rounding: rounding)
        let loan = Fixture.loan([("2026-03-01", 100_000, 0), ("2026-03-30", 100_000, 81_900), ("2026-04-30", 100_000, 0)])
        #expect(rule.accrued(on: loan, asOf: Fixture.day("2026-04-10"), penaltyDay: 2).minorUnits == expected)
    }
}
