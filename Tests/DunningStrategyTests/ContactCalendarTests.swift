import DunningCore
@testable import DunningStrategy
import Foundation
import Testing

/// `contact.calendar`: a CSV of non-contact days read next to the strategy; part of its version.
@Suite("StrategyLoader: contact calendar file")
struct ContactCalendarTests {
    /// A fresh directory holding `strategy.yaml` (calendar on line 5) and, if given, `holidays.csv`.
    final class Directory {
        let url: URL
        var strategyPath: String { url.appendingPathComponent("strategy.yaml").path }
        var calendarPath: String { url.appendingPathComponent("holidays.csv").path }

        init(calendar: [UInt8]?, extraContact: String = "") throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("dunning-calendar-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            if let calendar { try Data(calendar).write(to: URL(fileURLWithPath: calendarPath)) }
        }

        deinit { try? FileManager.default.removeItem(at: url) }

        func load(_ yaml: String = Directory.yaml) -> Result<Strategy, StrategyError> {
            StrategyLoader.load(bytes: Array(yaml.utf8), file: strategyPath)
        }

        static let yaml = Load.minimal("contact:\n  calendar: holidays.csv\n  holidays: [\"2026-12-25\"]\n")
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func holidaysAreReadAndJoinTheInlineOnes() throws {
        let dir = try Directory(calendar: Self.bytes("date,name\n2026-10-01,National Day\n2026-10-02,National Day\n"))
        guard case .success(let s) = dir.load() else { Issue.record("did not load: \(dir.load())"); return }
        #expect(s.contact.holidays == [Day(iso: "2026-10-01")!, Day(iso: "2026-10-02")!, Day(iso: "2026-12-25")!])
    }

    /// The date column may be anywhere (any case); a UTF-8 BOM and blank lines are fine.
    @Test func dateColumnAnywhereWithBOMAndBlankLines() throws {
        let dir = try Directory(calendar: [0xEF, 0xBB, 0xBF] + Self.bytes("name,Date\nLabour Day,2026-05-01\n\nTomb sweeping,2026-04-05\n"))
        guard case .success(let s) = dir.load() else { Issue.record("did not load: \(dir.load())"); return }
        #expect(s.contact.holidays == [Day(iso: "2026-05-01")!, Day(iso: "2026-04-05")!, Day(iso: "2026-12-25")!])
    }

    /// A calendar saved with Windows line ends (Excel's CSV export) must give the same holidays.
    @Test func windowsLineEndsAreRead() throws {
        let dir = try Directory(calendar: Self.bytes("date,name\r\n2026-10-01,National Day\r\n2026-10-02,National Day\r\n"))
        let result = dir.load()
        guard case .success(let s) = result else { Issue.record("did not load: \(result)"); return }
        #expect(s.contact.holidays.contains(Day(iso: "2026-10-01")!))
        #expect(s.contact.holidays.contains(Day(iso: "2026-10-02")!))
    }

    @Test func missingCalendarIsReportedAtTheKey() throws {
        let dir = try Directory(calendar: nil)
        guard case .failure(let e) = dir.load() else { Issue.record("a missing calendar was accepted"); return }
        #expect(e.diagnostics.map(\.description) == [
            "\(dir.strategyPath):5:13: error: contact.calendar: cannot read '\(dir.calendarPath)' (or it is over 1 MiB)",
        ])
    }

    /// Bad dates are reported in the calendar file, at their line and column, all of them.
    @Test func badDatesAreReportedAtTheCalendarLine() throws {
        let dir = try Directory(calendar: Self.bytes("name,date\nNew year,2026-01-01\nBad,2026-13-01\nLeap,2026-02-29\nOk,2026-10-01\n"))
        guard case .failure(let e) = dir.load() else { Issue.record("bad calendar dates were accepted"); return }
        #expect(e.diagnostics.map(\.description) == [
            "\(dir.calendarPath):3:5: error: not a date (YYYY-MM-DD): '2026-13-01'",
            "\(dir.calendarPath):4:6: error: not a date (YYYY-MM-DD): '2026-02-29'",
        ])
    }

    @Test func calendarWithoutADateColumn() throws {
        let dir = try Directory(calendar: Self.bytes("day,name\n2026-10-01,National Day\n"))
        guard case .failure(let e) = dir.load() else { Issue.record("a calendar without a date column was accepted"); return }
        #expect(e.diagnostics.map(\.description) == ["\(dir.calendarPath):1:1: error: calendar file needs a header with a 'date' column"])
    }

    /// Calendar problems and strategy problems come out together.
    @Test func calendarAndStrategyMistakesInOnePass() throws {
        let dir = try Directory(calendar: Self.bytes("date\n2026-1-1\n"))
        let yaml = Load.minimal("contact:\n  calendar: holidays.csv\n  window: \"07:00-21:00\"\n")
        guard case .failure(let e) = dir.load(yaml) else { Issue.record("loaded"); return }
        #expect(e.diagnostics.count == 2)
        #expect(e.diagnostics.contains { $0.file == dir.calendarPath && $0.line == 2 && $0.column == 1 })
        #expect(e.diagnostics.contains { $0.file == dir.strategyPath && $0.line == 6 && $0.column == 11 })
    }

    /// The strategy's version covers the calendar: other calendar bytes, another hash.
    @Test func calendarBytesChangeTheStrategyHash() throws {
        let a = try Directory(calendar: Self.bytes("date\n2026-10-01\n"))
        let b = try Directory(calendar: Self.bytes("date\n2026-10-02\n"))
        let a2 = try Directory(calendar: Self.bytes("date\n2026-10-01\n"))
        guard case .success(let sa) = a.load(), case .success(let sb) = b.load(), case .success(let sa2) = a2.load() else {
            Issue.record("calendars did not load")
            return
        }
        #expect(sa.contentHash != sb.contentHash)
        #expect(sa.contentHash == sa2.contentHash)
        #expect(sa.contentHash.count == 64)
        let fileHash = SHA256.hex(Array(Directory.yaml.utf8))
        #expect(sa.contentHash != fileHash)
        #expect(sa.contentHash == SHA256.hex(Array(fileHash.utf8) + Self.bytes("date\n2026-10-01\n")))
        // Without a calendar the version is the file's own hash.
        guard case .success(let plain) = a.load(Load.minimal()) else { Issue.record("minimal did not load"); return }
        #expect(plain.contentHash == SHA256.hex(Array(Load.minimal().utf8)))
    }
}
