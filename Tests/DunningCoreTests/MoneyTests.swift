import Testing
@testable import DunningCore

@Suite("Money")
struct MoneyTests {
    @Test("accepted amounts in minor units", arguments: [
        ("12", Int64(1200)),
        ("12.5", 1250),
        ("12.50", 1250),
        ("12.05", 1205),
        (".5", 50),
        ("0.01", 1),
        ("0", 0),
        ("0.00", 0),
        ("007.10", 710),
        ("1234567.89", 123_456_789),
        ("12.", 1200),   // docs/file-formats.md: "12." is accepted
        ("-0", 0),       // docs/file-formats.md: "-0" reads as 0
        ("-0.00", 0),
        // The limit itself: 10^13 units = 10^15 minor units.
        ("10000000000000", 1_000_000_000_000_000),
        ("10000000000000.00", 1_000_000_000_000_000),
    ])
    func parsesValid(text: String, minor: Int64) {
        #expect(Money.parse(text) == .success(Money(minorUnits: minor)))
    }

    @Test("rejected amounts and why", arguments: [
        ("1.234", Money.ParseError.tooManyFractionDigits),
        ("0.001", .tooManyFractionDigits),
        ("100.005", .tooManyFractionDigits),
        ("-5", .negative),
        ("-0.01", .negative),
        ("1e3", .notADecimal),
        ("1,000", .notADecimal),
        (" 1", .notADecimal),
        ("1 ", .notADecimal),
        ("+5", .notADecimal),
        ("abc", .notADecimal),
        (".", .notADecimal),
        ("1.2.3", .notADecimal),
        ("", .empty),
        ("10000000000000.01", .tooLarge),
        ("10000000000001", .tooLarge),
        ("99999999999999999999999999", .tooLarge),
    ])
    func rejectsInvalid(text: String, error: Money.ParseError) {
        #expect(Money.parse(text) == .failure(error))
    }

    @Test func parsesFromByteSlice() {
        let bytes = Array("x12.34y".utf8)
        #expect(Money.parse(bytes[1..<6]) == .success(Money(minorUnits: 1234)))
    }

    @Test("description has exactly two decimals", arguments: [
        (Int64(0), "0.00"),
        (1, "0.01"),
        (10, "0.10"),
        (99, "0.99"),
        (100, "1.00"),
        (123_450, "1234.50"),
        (-5, "-0.05"),
        (-123_456, "-1234.56"),
        (1_000_000_000_000_000, "10000000000000.00"),
    ])
    func description(minor: Int64, text: String) {
        #expect(Money(minorUnits: minor).description == text)
    }

    @Test func descriptionRoundTripsThroughParse() {
        for minor: Int64 in [0, 1, 9, 10, 11, 99, 100, 101, 1999, 250_000, 987_654_321] {
            #expect(Money.parse(Money(minorUnits: minor).description) == .success(Money(minorUnits: minor)))
        }
    }

    @Test func arithmeticAndOrder() {
        let a = Money(minorUnits: 1050), b = Money(minorUnits: 25)
        #expect((a + b).minorUnits == 1075)
        #expect((a - b).minorUnits == 1025)
        #expect(b < a)
        #expect(!(a < a))
        #expect(Money.zero.minorUnits == 0)
        #expect(Money.inputLimit.minorUnits == 1_000_000_000_000_000)
    }
}

/// Sums that no valid case reaches saturate instead of trapping; a penalty at the limits of
/// what the loaders accept is computed, not a crash.
@Suite("Money and penalty at the limits")
struct MoneyLimitTests {
    @Test func sumsSaturateInsteadOfTrapping() {
        let top = Money(minorUnits: .max), bottom = Money(minorUnits: .min)
        #expect(top + Money(minorUnits: 1) == top)
        #expect(bottom - Money(minorUnits: 1) == bottom)
        #expect(bottom + Money(minorUnits: -1) == bottom)
        #expect(top - Money(minorUnits: -1) == top)
        #expect(Money(minorUnits: 5) - Money(minorUnits: 7) == Money(minorUnits: -2))
    }

    /// The largest case the ledger accepts, 1% a day, due on the first accepted date and seen on
    /// the last: exact, and within Int64.
    @Test func thePenaltyOfTheLargestCaseOverFourCenturiesFits() {
        let rule = PenaltyRule(dailyRate: Rate(nanos: 10_000_000), capRatio: nil, rounding: .halfUp)
        let loan = Fixture.loan([("1900-01-01", Money.inputLimit.minorUnits, 0)])
        let asOf = Fixture.day("2299-12-31")
        let days = Int64(asOf.number - Fixture.day("1900-01-01").number - 1)
        #expect(rule.accrued(on: loan, asOf: asOf, penaltyDay: 2) == Money(minorUnits: Money.inputLimit.minorUnits / 100 * days))
    }
}
