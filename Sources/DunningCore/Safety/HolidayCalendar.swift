/// The holiday calendar a strategy names (`contact.calendar`), and the dates it says it covers.
///
/// A holiday list that has run out looks exactly like a stretch of days without holidays, so a
/// calendar declares its coverage (a `# covers: FROM..TO` line in its file; without one, the
/// whole calendar years of the dates it lists), and a night outside it is refused unless the
/// strategy says holidays are optional.
public struct HolidayCalendar: Sendable, Equatable {
    /// The files, as the strategy names them.
    public var files: [String]
    /// Date ranges covered (one or more per file), in file order.
    public var coverage: [ClosedRange<Day>]
    /// Where the strategy names the calendar, for diagnostics.
    public var file: String
    public var line: Int
    public var column: Int

    public init(files: [String], coverage: [ClosedRange<Day>], file: String, line: Int, column: Int) {
        self.files = files
        self.coverage = coverage
        self.file = file
        self.line = line
        self.column = column
    }

    public func covers(_ day: Day) -> Bool { coverage.contains { $0.contains(day) } }

    /// The last date covered on or after the start of the range reaching furthest.
    public var lastCovered: Day? { coverage.map(\.upperBound).max() }
    public var firstCovered: Day? { coverage.map(\.lowerBound).min() }

    /// `calendars/cn-2026.csv` or `calendars/cn-2026.csv, calendars/cn-2027.csv`.
    public var name: String { files.joined(separator: ", ") }

    /// The coverage as text: `2026-01-01..2026-12-31` (ranges joined by `, `).
    public var coverageText: String {
        coverage.sorted { $0.lowerBound < $1.lowerBound }.map { "\($0.lowerBound)..\($0.upperBound)" }.joined(separator: ", ")
    }

    /// Why `night` cannot run with this calendar, or nil when it covers the night.
    public func problem(night: Day, optional: Bool) -> Diagnostic? {
        guard !covers(night) else { return nil }
        let edge = lastCovered.map { $0 < night ? "covers up to \($0)" : "covers \(coverageText)" } ?? "covers no date"
        if optional {
            return Diagnostic(file: file, line: line, column: column, severity: .warning,
                              message: "the holiday calendar \(name) \(edge); \(night) is outside it, so tonight runs without holidays (contact.holidays_optional is true)")
        }
        return Diagnostic(file: file, line: line, column: column, message: """
            the holiday calendar \(name) \(edge); \(night) is outside it, and a night planned without its holidays \
            could contact customers on a public holiday. Add the next calendar: a CSV of date,name with a line \
            '# covers: FROM..TO', listed with the others (calendar: [\(files.first ?? "calendars/cn-2026.csv"), calendars/next.csv]); \
            see docs/strategy.md#holidays-and-the-calendar-file. To run without holidays on purpose, set contact.holidays_optional: true
            """)
    }
}
