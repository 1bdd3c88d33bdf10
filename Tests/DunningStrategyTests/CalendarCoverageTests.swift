import DunningCore
@testable import DunningStrategy
import Foundation
import Testing

/// A calendar says which dates it covers: a `# covers:` line, or the whole years it lists.
@Suite struct CalendarCoverageTests {
    typealias Directory = ContactCalendarTests.Directory

    static func calendar(_ text: String, yaml: String = Directory.yaml) throws -> (Directory, Result<Strategy, StrategyError>) {
        let dir = try Directory(calendar: Array(text.utf8))
        return (dir, dir.load(yaml))
    }

    @Test func aCoversLineDeclaresTheDates() throws {
        let (_, result) = try Self.calendar("# national holidays\n# covers: 2026-01-01..2027-06-30\ndate,name\n2026-10-01,National Day\n2027-02-06,Spring Festival\n")
        let calendar = try #require(try result.get().contact.calendar)
        #expect(calendar.coverageText == "2026-01-01..2027-06-30")
        #expect(calendar.lastCovered == Day(iso: "2027-06-30"))
        #expect(calendar.file.hasSuffix("strategy.yaml") && calendar.line == 5 && calendar.column == 13)
    }

    @Test func withoutOneTheWholeYearsOfItsDatesAreCovered() throws {
        let (_, result) = try Self.calendar("date,name\n2026-03-10,Fixture holiday\n2027-01-01,New Year\n")
        #expect(try result.get().contact.calendar?.coverageText == "2026-01-01..2027-12-31")
        let (_, empty) = try Self.calendar("date,name\n")
        #expect(try empty.get().contact.calendar?.coverage.isEmpty == true)
    }

    @Test func severalFilesAreOneCalendar() throws {
        let dir = try Directory(calendar: Array("# covers: 2026-01-01..2026-12-31\ndate\n2026-10-01\n".utf8))
        try "# covers: 2027-01-01..2027-12-31\ndate\n2027-10-01\n".write(to: dir.url.appendingPathComponent("next.csv"), atomically: true, encoding: .utf8)
        let yaml = Load.minimal("contact:\n  calendar: [holidays.csv, next.csv]\n  holidays_optional: true\n")
        let strategy = try dir.load(yaml).get()
        #expect(strategy.contact.calendar?.name == "holidays.csv, next.csv")
        #expect(strategy.contact.calendar?.covers(Day(iso: "2027-07-01")!) == true)
        #expect(strategy.contact.holidays == [Day(iso: "2026-10-01")!, Day(iso: "2027-10-01")!])
        #expect(strategy.contact.holidaysOptional)
    }

    @Test func badCoversLinesAndHolidaysOutsideThemAreLocated() throws {
        let (dir, result) = try Self.calendar("# covers: 2026-12-31..2026-01-01\n# covers: 2026-01-01..2026-06-30\ndate,name\n2026-10-01,National Day\n")
        guard case .failure(let error) = result else { Issue.record("accepted"); return }
        #expect(error.diagnostics.map(\.description) == [
            "\(dir.calendarPath):1:1: error: a covers line must read '# covers: FROM..TO' with two dates, FROM not after TO, e.g. '# covers: 2026-01-01..2026-12-31'",
            "\(dir.calendarPath):4:1: error: holiday 2026-10-01 is outside the dates the file covers (2026-01-01..2026-06-30)",
        ])
        let (_, optional) = try Self.calendar("date\n", yaml: Load.minimal("contact:\n  calendar: holidays.csv\n  holidays_optional: yes\n"))
        guard case .failure(let flag) = optional else { Issue.record("accepted"); return }
        #expect(flag.diagnostics.located == ["6:22 contact.holidays_optional must be true or false"])
    }

    @Test func theSafetySectionIsReadAndChecked() throws {
        let strategy = try #require(Load.strategy(Load.minimal("safety:\n  require_manifest: true\n  max_missing_share: 0.5%\n  max_missed_nights: 3\n")))
        #expect(strategy.safety.requireManifest)
        #expect(strategy.safety.maxMissingBasisPoints == 50)
        #expect(strategy.safety.maxMissedNights == 3)
        #expect(Load.strategy(Load.minimal())?.safety == SafetyPolicy())
        let bad = Load.diagnostics(Load.minimal("safety:\n  require_manifest: 1\n  max_missing_share: 5\n  max_missed_nights: -1\n  max_missing: 2%\n"))
        #expect(bad.located == [
            "5:21 safety.require_manifest must be true or false",
            "6:22 safety.max_missing_share must be a percentage from 0% to 100% with at most two decimals, e.g. 2% or 0.5%",
            "7:22 safety.max_missed_nights must be between 0 and 3660, not -1",
            "8:3 unknown key 'max_missing' in safety (allowed: require_manifest, max_missing_share, max_missed_nights)",
        ])
    }
}
