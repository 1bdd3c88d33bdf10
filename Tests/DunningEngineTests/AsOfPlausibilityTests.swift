import DunningCore
@testable import DunningEngine
import Foundation
import Testing

/// The as-of sanity check against the machine's clock, at its boundaries and across zones.
@Suite struct AsOfPlausibilityTests {
    /// 2026-12-01T20:30:00Z: already 2026-12-02 in Shanghai, still 2026-12-01 in New York.
    let now = Date(timeIntervalSince1970: 1_796_157_000)

    func refused(_ asOf: String, zone: String = "Asia/Shanghai") -> String? {
        do {
            try NightlyRun.checkPlausible(Day(iso: asOf)!, now: now, zone: zone)
            return nil
        } catch {
            guard case .usage(let message) = error else { return "unexpected \(error)" }
            return message
        }
    }

    @Test func theClockIsReadInTheBusinessTimeZone() {
        #expect(BusinessCalendar.today(in: "Asia/Shanghai", now: now) == Day(iso: "2026-12-02"))
        #expect(BusinessCalendar.today(in: "America/New_York", now: now) == Day(iso: "2026-12-01"))
    }

    @Test func oneDayAheadIsAcceptedTwoAreNot() {
        #expect(refused("2026-12-03") == nil)
        #expect(refused("2026-12-04") == "as-of 2026-12-04 is 2 days after today (2026-12-02 in Asia/Shanghai by this machine's clock): a business date cannot be in the future; check --as-of (or DUNNING_AS_OF) and the machine's clock; for a simulation pass --allow-any-date")
        #expect(refused("2026-12-03", zone: "America/New_York") != nil)
        #expect(refused("2062-12-02")?.contains("13149 days after today") == true)
    }

    @Test func tenYearsBackIsAcceptedOneDayMoreIsNot() {
        let oldest = Day(iso: "2026-12-02")! - RunOptions.maximumDaysBehind
        #expect(oldest == Day(iso: "2016-12-01"))
        #expect(refused("\(oldest)") == nil)
        #expect(refused("\(oldest - 1)")?.hasPrefix("as-of 2016-11-30 is 3654 days before today (2026-12-02 in Asia/Shanghai") == true)
        #expect(refused("2026-02-26") == nil)
    }

    /// Through a whole run: refused before the store is created.
    @Test func aRefusedDateCreatesNoStore() throws {
        let work = TestSupport.temporaryDirectory()
        var options = RunOptions(asOf: Day(iso: "2030-01-01"), strategyPath: TestSupport.strategy,
                                 inputDirectory: TestSupport.fixture("lifecycle/nights/2026-02-26"),
                                 storePath: work + "/s.sqlite", outputDirectory: work + "/out")
        options.now = now
        #expect(throws: RunError.self) { try NightlyRun(options: options, logger: TestSupport.quietLogger).execute() }
        #expect(try FileManager.default.contentsOfDirectory(atPath: work).isEmpty)
    }
}
