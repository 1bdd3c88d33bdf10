@testable import DunningCore
import Testing

/// The checks of the `safety` section and the holiday calendar's coverage, alone.
@Suite struct SafetyPolicyTests {
    @Test func percentagesParseToBasisPoints() {
        #expect(SafetyPolicy.basisPoints(percent: "2%") == 200)
        #expect(SafetyPolicy.basisPoints(percent: "0.5%") == 50)
        #expect(SafetyPolicy.basisPoints(percent: "12.25%") == 1225)
        #expect(SafetyPolicy.basisPoints(percent: "100%") == 10_000)
        #expect(SafetyPolicy.basisPoints(percent: "0%") == 0)
        for bad in ["2", "101%", "-1%", "1.234%", "%", "1.%", ".5%", "1e2%", "１%", "2 %"] {
            #expect(SafetyPolicy.basisPoints(percent: bad) == nil, "\(bad)")
        }
        #expect(SafetyPolicy.percentText(basisPoints: 200) == "2%")
        #expect(SafetyPolicy.percentText(basisPoints: 5186) == "51.86%")
        #expect(SafetyPolicy.percentText(basisPoints: 50) == "0.5%")
        #expect(SafetyPolicy.percentText(basisPoints: 5) == "0.05%")
    }

    func measure(open: Int, noLedger: Int, noCustomer: Int = 0) -> ExtractCompleteness {
        let keys = (0..<open).map { CaseKey(customerID: "C\($0)", product: "cash") }
        return ExtractCompleteness.measure(openCases: keys, inLedger: { Int($0.customerID.dropFirst())! >= noLedger },
                                           customerListed: { Int($0.dropFirst())! >= noCustomer })
    }

    @Test func theShareOfMissingCasesDecides() {
        let found = measure(open: 1000, noLedger: 30, noCustomer: 10)
        #expect(found.missingFromLedger == 30)
        #expect(found.missingCustomers == 10)
        #expect(found.missing == 30)
        #expect(found.exceeds(basisPoints: 200))          // 3% > 2%
        #expect(!found.exceeds(basisPoints: 300))         // exactly 3% is not more than 3%
        #expect(!measure(open: 1000, noLedger: 20).exceeds(basisPoints: 200))
        #expect(measure(open: 1000, noLedger: 0, noCustomer: 21).exceeds(basisPoints: 200))
    }

    @Test func smallDropsNeverTripButAnEmptyFileAlwaysDoes() {
        #expect(!measure(open: 20, noLedger: 3).exceeds(basisPoints: 200))   // 15%, but three cases
        #expect(measure(open: 20, noLedger: 4).exceeds(basisPoints: 200))
        #expect(measure(open: 2, noLedger: 2).exceeds(basisPoints: 200))     // every open case
        #expect(!measure(open: 0, noLedger: 0).exceeds(basisPoints: 0))
        #expect(measure(open: 1000, noLedger: 1).exceeds(basisPoints: 0))      // 0% lets none through
        #expect(!measure(open: 10, noLedger: 10).exceeds(basisPoints: 10_000)) // 100% lets all through
        // Shares round up: just over the limit never reads as the limit.
        #expect(ExtractCompleteness.share(2001, of: 100_000) == "2.01%")
        #expect(ExtractCompleteness.share(1556, of: 3000) == "51.87%")
        #expect(ExtractCompleteness.share(3, of: 3) == "100%")
        #expect(!measure(open: 1000, noLedger: 0).exceeds(basisPoints: 0))
    }

    @Test func aNightOutsideTheCalendarIsAnErrorOrAWarning() throws {
        let calendar = HolidayCalendar(files: ["cn-2026.csv"], coverage: [Fixture.day("2026-01-01")...Fixture.day("2026-12-31")],
                                       file: "s.yaml", line: 9, column: 13)
        #expect(calendar.problem(night: Fixture.day("2026-12-31"), optional: false) == nil)
        let refused = try #require(calendar.problem(night: Fixture.day("2027-01-01"), optional: false))
        #expect(refused.severity == .error)
        #expect(refused.description.hasPrefix("s.yaml:9:13: error: the holiday calendar cn-2026.csv covers up to 2026-12-31; 2027-01-01 is outside it"))
        let warned = try #require(calendar.problem(night: Fixture.day("2027-01-01"), optional: true))
        #expect(warned.severity == .warning)
        #expect(warned.message.contains("runs without holidays"))
        let before = try #require(calendar.problem(night: Fixture.day("2025-12-31"), optional: false))
        #expect(before.message.contains("covers 2026-01-01..2026-12-31"))
    }
}
