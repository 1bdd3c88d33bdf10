import DunningCore
import DunningIO
import Foundation
import Yams

/// `contact.calendar`: one holiday calendar file, or a list of them read as one calendar, each a
/// CSV with a `date` column (and any others, e.g. `name`), relative to the strategy file. Their
/// bytes take part in the strategy's hash.
///
/// A file says which dates it covers with a comment line `# covers: 2026-01-01..2026-12-31`
/// (several lines for several ranges); without one it covers the whole calendar years of the
/// dates it lists. Other lines starting with `#` are comments.
extension StrategyBuilder {
    mutating func holidayCalendar(_ node: Node) -> (days: Set<Day>, calendar: HolidayCalendar?) {
        var names: [Node] = []
        if node.scalar != nil {
            names = [node]
        } else if let items = reader.sequence(node, "contact.calendar") {
            if items.isEmpty { reader.error(at: node, "contact.calendar must name at least one file") }
            names = items
        }
        var days: Set<Day> = [], coverage: [ClosedRange<Day>] = [], files: [String] = []
        for item in names {
            guard let name = reader.string(item, "contact.calendar") else { continue }
            guard let file = calendarFile(name, at: item) else { continue }
            days.formUnion(file.days)
            coverage += file.coverage
            files.append(name)
        }
        guard !files.isEmpty else { return (days, nil) }
        let mark = node.mark
        return (days, HolidayCalendar(files: files, coverage: coverage, file: reader.file, line: mark?.line ?? 1,
                                      column: mark?.column ?? 1))
    }

    /// One calendar file's holidays and coverage; nil when it cannot be read at all.
    private mutating func calendarFile(_ name: String, at node: Node) -> (days: Set<Day>, coverage: [ClosedRange<Day>])? {
        let path = name.hasPrefix("/") ? name : (baseDirectory as NSString).appendingPathComponent(name)
        // A strategy replayed from the state store brings the files it read along.
        let read = storedFiles?[name].map { Result<[UInt8], BoundedFile.ReadError>.success($0) }
            ?? BoundedFile.read(path, limit: StrategyDefaults.maxFileBytes)
        guard case .success(let bytes) = read, bytes.count <= StrategyDefaults.maxFileBytes else {
            reader.error(at: node, "contact.calendar: cannot read '\(path)' (or it is over 1 MiB)")
            return nil
        }
        let data = Data(bytes)
        calendarBytes += [UInt8](data)
        readFiles[name] = [UInt8](data)
        guard var text = String(data: data, encoding: .utf8) else {
            reader.error(at: node, "contact.calendar: '\(path)' is not valid UTF-8")
            return nil
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var parsed = CalendarText(path: path)
        parsed.read(text)
        for diagnostic in parsed.diagnostics { reader.diagnosticsAppend(diagnostic) }
        return (parsed.days, parsed.coverage)
    }
}

/// The lines of one calendar file: comments, `# covers:` declarations, the header and the dates.
struct CalendarText {
    let path: String
    var days: Set<Day> = []
    var declared: [(range: ClosedRange<Day>, line: Int)] = []
    var diagnostics: [Diagnostic] = []
    private var dated: [(day: Day, line: Int)] = []

    init(path: String) { self.path = path }

    /// Declared ranges, or the whole calendar years of the dates listed when none is declared.
    var coverage: [ClosedRange<Day>] {
        if !declared.isEmpty { return declared.map(\.range) }
        guard let first = days.min(), let last = days.max(),
              let from = Day(year: first.components.year, month: 1, day: 1),
              let to = Day(year: last.components.year, month: 12, day: 31) else { return [] }
        return [from...to]
    }

    mutating func read(_ text: String) {
        // "\r\n" is a single Character in Swift: split on both line ends.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        var dateColumn: Int?
        for (i, raw) in lines.enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty { continue }
            if line.first == "#" { comment(line, number: i + 1); continue }
            guard let column = dateColumn else {
                let header = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
                guard let found = header.firstIndex(of: "date") else {
                    diagnostics.append(Diagnostic(file: path, line: i + 1, column: 1, message: "calendar file needs a header with a 'date' column"))
                    return
                }
                dateColumn = found
                continue
            }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            let position = fields.prefix(column).reduce(1) { $0 + $1.count + 1 }
            guard column < fields.count, let day = Day(iso: fields[column]) else {
                diagnostics.append(Diagnostic(file: path, line: i + 1, column: position,
                                              message: "not a date (YYYY-MM-DD): '\(column < fields.count ? String(fields[column]) : "")'"))
                continue
            }
            days.insert(day)
            dated.append((day, i + 1))
        }
        if dateColumn == nil, diagnostics.isEmpty {
            diagnostics.append(Diagnostic(file: path, line: 1, column: 1, message: "calendar file needs a header with a 'date' column"))
        }
        checkDatesInsideCoverage()
    }

    /// `# covers: 2026-01-01..2026-12-31`; any other `#` line is a comment.
    private mutating func comment(_ line: Substring, number: Int) {
        let body = line.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
        guard body.lowercased().hasPrefix("covers") else { return }
        let rest = body.dropFirst("covers".count).drop(while: { $0 == " " || $0 == ":" || $0 == "\t" })
        let bounds = rest.trimmingCharacters(in: .whitespaces).components(separatedBy: "..")
        if bounds.count == 2, let from = Day(iso: bounds[0]), let to = Day(iso: bounds[1]), from <= to {
            declared.append((from...to, number))
        } else {
            diagnostics.append(Diagnostic(file: path, line: number, column: 1,
                                          message: "a covers line must read '# covers: FROM..TO' with two dates, FROM not after TO, e.g. '# covers: 2026-01-01..2026-12-31'"))
        }
    }

    /// A holiday outside the ranges the file declares is a typo in one or the other.
    private mutating func checkDatesInsideCoverage() {
        guard !declared.isEmpty else { return }
        for (day, line) in dated where !declared.contains(where: { $0.range.contains(day) }) {
            diagnostics.append(Diagnostic(file: path, line: line, column: 1,
                                          message: "holiday \(day) is outside the dates the file covers (\(declared.map { "\($0.range.lowerBound)..\($0.range.upperBound)" }.joined(separator: ", ")))"))
        }
    }
}
