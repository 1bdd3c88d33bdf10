import DunningCore

/// A CSV input file with a header row, read row by row with named columns and located errors.
///
/// Columns may come in any order; unknown columns are ignored; a missing required column is one
/// diagnostic for the whole file. Every row problem becomes a `Diagnostic` naming the file, the
/// line and the column of the offending field.
public struct CSVTable {
    public let displayName: String
    private let file: MappedFile
    private var reader: CSVReader
    /// Header names (lowercased, trimmed) and their positions. A short list searched in order:
    /// rows look columns up by name several times each, and comparing a few short strings is
    /// cheaper than hashing one.
    private var columns = ColumnIndex()
    private var headerCount = 0
    public private(set) var diagnostics: [Diagnostic] = []
    public private(set) var rowCount = 0
    /// Rows that could not even be split into fields (quoting errors, wrong field count): their
    /// keys are unknown, so nothing can say which case they belong to.
    public private(set) var unreadableRows: [Diagnostic] = []

    /// Problems that stop the whole file from being read (missing file, missing columns).
    public struct FileError: Error, Sendable { public var diagnostics: [Diagnostic]; public var missingFile: Bool }

    public init(path: String, displayName: String, required: [String], optional: [String] = []) throws(FileError) {
        self.displayName = displayName
        do { file = try MappedFile(path: path) } catch {
            let message: String
            switch error {
            case .notFound: message = "required input file not found"
            case .unreadable: message = "input file cannot be read (permissions?)"
            case .notRegular: message = "input file is not a regular file (a pipe, a device or a directory): inputs are read from files"
            }
            // Missing, unreadable or not a file: either way the input is not there for us (EX_NOINPUT).
            throw FileError(diagnostics: [Diagnostic(file: displayName, line: 1, column: 1, message: message)], missingFile: true)
        }
        reader = CSVReader(buffer: file.buffer)
        let hasHeader: Bool
        do { hasHeader = try reader.next() } catch {
            throw FileError(diagnostics: [Diagnostic(file: displayName, line: error.line, column: error.column,
                                                     message: "header row: \(error.message)")], missingFile: false)
        }
        guard hasHeader else {
            throw FileError(diagnostics: [Diagnostic(file: displayName, line: 1, column: 1,
                                                     message: "file is empty; expected a header row with: \(required.joined(separator: ", "))")],
                            missingFile: false)
        }
        headerCount = reader.fields.count
        for i in 0..<headerCount {
            let name = (reader.string(i) ?? "").trimmingASCIISpaces().lowercased()
            if columns[name] == nil { columns.add(name, at: i) }
        }
        let missing = required.filter { columns[$0] == nil }
        if !missing.isEmpty {
            var message = "missing required column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", "))"
            if let hint = Self.headerHint(file: UnsafeBufferPointer(file.buffer), reader: reader, fieldCount: headerCount,
                                          noneFound: missing.count == required.count) {
                message += "; " + hint
            }
            throw FileError(diagnostics: [Diagnostic(file: displayName, line: 1, column: 1, message: message)],
                            missingFile: false)
        }
        _ = optional
    }

    /// Why a header may lack its columns, when the file shows it: another encoding, another
    /// delimiter, or no header line at all. Each names what dunning reads instead.
    private static func headerHint(file: UnsafeBufferPointer<UInt8>, reader: CSVReader, fieldCount: Int, noneFound: Bool) -> String? {
        let start = Array(file.prefix(2))
        if start == [0xFF, 0xFE] || start == [0xFE, 0xFF] || file.prefix(256).contains(0) {
            return "the file looks UTF-16 encoded; dunning reads UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8)"
        }
        if (0..<fieldCount).contains(where: { reader.string($0) == nil }) {
            return "the header is not valid UTF-8; dunning reads UTF-8 (convert the file, e.g. iconv -f GB18030 -t UTF-8)"
        }
        if fieldCount == 1, let only = reader.string(0), only.contains(";") || only.contains("\t") || only.contains("|") {
            return "the header looks delimited by something other than commas (dunning reads comma-separated CSV)"
        }
        if noneFound, fieldCount > 1 {
            let first = reader.string(0) ?? ""
            return "found '\(first.prefix(40))' where the header should start: the first line must name the columns"
        }
        return nil
    }

    public func has(_ column: String) -> Bool { columns[column] != nil }

    /// Reads the data records again, from a fresh mapping (the first read unescaped quoted fields
    /// in place), and calls `body` with each one that has the header's field count until it
    /// returns false. For messages that cite an earlier row, which only bad files need.
    func rereadRecords(_ body: (CSVReader) -> Bool) {
        guard let file = try? MappedFile(path: file.path) else { return }
        var reader = CSVReader(buffer: file.buffer)
        var header = true
        while true {
            guard let more = try? reader.next() else { continue }
            guard more else { return }
            if header { header = false; continue }
            if reader.fields.count == headerCount, !body(reader) { return }
        }
    }

    /// The line of the first data row whose `column` holds each of `values`.
    func firstLines(of values: Set<String>, column: String) -> [String: Int] {
        guard let index = columns[column] else { return [:] }
        var first: [String: Int] = [:]
        rereadRecords { reader in
            if let value = reader.string(index), values.contains(value), first[value] == nil { first[value] = reader.recordLine }
            return first.count < values.count
        }
        return first
    }

    /// Position of a column in each record, by its lowercased header name.
    func columnIndex(_ name: String) -> Int? { columns[name] }
    /// Fields every record must have: as many as the header.
    var fieldCount: Int { headerCount }
    /// The mapped file and where its data rows start (offset and line), for loaders that read the
    /// rows themselves (`LedgerLoader`).
    var dataRegion: (file: MappedFile, start: Int, line: Int) { (file, reader.offset, reader.currentLine) }

    /// Calls `body` for every data row. `body` reports problems through the `Row`.
    public mutating func forEachRow(_ body: (inout Row) -> Void) {
        while true {
            let more: Bool
            do { more = try reader.next() } catch {
                let problem = Diagnostic(file: displayName, line: error.line, column: error.column, message: error.message)
                diagnostics.append(problem)
                unreadableRows.append(problem)
                rowCount += 1
                continue
            }
            guard more else { return }
            rowCount += 1
            if reader.fields.count != headerCount {
                let problem = Diagnostic(file: displayName, line: reader.recordLine, column: 1,
                                         message: "expected \(headerCount) fields as in the header, found \(reader.fields.count)")
                diagnostics.append(problem)
                unreadableRows.append(problem)
                continue
            }
            var row = Row(table: self)
            body(&row)
            diagnostics += row.problems
        }
    }

    /// One data row: named field access and located error reporting.
    public struct Row {
        fileprivate let table: CSVTable
        public fileprivate(set) var problems: [Diagnostic] = []
        public var line: Int { table.reader.recordLine }
        public var isValid: Bool { problems.isEmpty }

        fileprivate init(table: CSVTable) { self.table = table }

        public func bytes(_ column: String) -> UnsafeBufferPointer<UInt8> {
            guard let i = table.columns[column] else { return UnsafeBufferPointer(start: nil, count: 0) }
            return table.reader.bytes(i)
        }

        public func isEmpty(_ column: String) -> Bool { bytes(column).isEmpty }

        /// Line and column of a field, for diagnostics written later.
        public func location(_ column: String) -> (line: Int, column: Int) {
            table.columns[column].map { table.reader.location(ofField: $0) } ?? (line, 1)
        }

        public mutating func error(_ column: String, _ message: String) {
            let (line, col) = table.columns[column].map { table.reader.location(ofField: $0) } ?? (self.line, 1)
            problems.append(Diagnostic(file: table.displayName, line: line, column: col, message: message))
        }

        /// A required identifier: non-empty, valid UTF-8, at most 128 bytes, no control characters.
        public mutating func identifier(_ column: String) -> String? { check(column, FieldRules.identifier(bytes(column), column: column)) }

        public mutating func day(_ column: String) -> Day? { check(column, FieldRules.day(bytes(column), column: column)) }

        public mutating func money(_ column: String) -> Money? { check(column, FieldRules.money(bytes(column), column: column)) }

        public mutating func integer(_ column: String, in range: ClosedRange<Int>) -> Int? {
            check(column, FieldRules.integer(bytes(column), column: column, in: range))
        }

        private mutating func check<T>(_ column: String, _ result: Result<T, FieldProblem>) -> T? {
            switch result {
            case .success(let value): return value
            case .failure(let problem): error(column, problem.message); return nil
            }
        }

        /// `true`/`false` (also `yes`/`no`, `1`/`0`), any case.
        public mutating func flag(_ column: String) -> Bool? {
            switch String(decoding: bytes(column), as: UTF8.self).lowercased() {
            case "true", "yes", "1": return true
            case "false", "no", "0": return false
            default:
                error(column, "\(column) '\(preview(bytes(column)))' must be true or false")
                return nil
            }
        }

        /// A decimal with up to three fraction digits, in thousandths (`0.5` -> 500).
        public mutating func milli(_ column: String, in range: ClosedRange<Int>) -> Int? {
            let text = String(decoding: bytes(column), as: UTF8.self)
            if let value = ScaledDecimal.parse(text, fractionDigits: 3, integerDigits: 9), range.contains(value) { return value }
            error(column, "\(column) '\(preview(bytes(column)))' must be a decimal from \(Self.decimal(milli: range.lowerBound)) to \(Self.decimal(milli: range.upperBound)) with at most three decimals")
            return nil
        }

        /// Thousandths as the shortest decimal: 1 -> `0.001`, 1500 -> `1.5`, 100000 -> `100`.
        static func decimal(milli value: Int) -> String {
            let sign = value < 0 ? "-" : ""
            let whole = abs(value) / 1000, fraction = abs(value) % 1000
            guard fraction != 0 else { return "\(sign)\(whole)" }
            var digits = String(fraction)
            digits = String(repeating: "0", count: 3 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            return "\(sign)\(whole).\(digits)"
        }

        func preview(_ raw: UnsafeBufferPointer<UInt8>) -> String { FieldRules.preview(raw) }
    }
}

/// Column positions by header name.
struct ColumnIndex {
    private var names: [String] = []
    private var positions: [Int] = []

    mutating func add(_ name: String, at position: Int) {
        names.append(name)
        positions.append(position)
    }

    subscript(name: String) -> Int? {
        for i in names.indices where names[i] == name { return positions[i] }
        return nil
    }
}

extension String {
    func trimmingASCIISpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
