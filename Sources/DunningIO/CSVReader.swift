import DunningCore

/// A streaming RFC 4180 reader over a byte buffer: comma-separated, `"`-quoted fields with `""`
/// escapes, embedded commas and newlines, LF or CRLF line ends, an optional UTF-8 BOM.
///
/// It never builds a `String` per line: a record is a list of byte ranges into the buffer, and
/// quoted fields are unescaped in place (the buffer is a private, writable mapping or array), so
/// every field is one contiguous range. Callers convert only the fields they use.
public struct CSVReader {
    /// Why a record could not be read; the position is where the problem starts.
    public struct SyntaxError: Error, Sendable {
        public var line: Int
        public var column: Int
        public var message: String
    }

    public let buffer: UnsafeMutableBufferPointer<UInt8>
    private var position: Int
    /// Where this reader stops: the buffer's end, or the end of a chunk.
    private let end: Int
    private var line = 1
    private var lineStart: Int
    /// Whether any field so far was quoted or held a stray quote: a chunk split at a line end can
    /// only be trusted when none was.
    public private(set) var sawQuote = false

    /// Fields of the current record: byte ranges into `buffer`.
    public private(set) var fields: [Range<Int>] = []
    /// Position of each field of the current record, for diagnostics: kept only for a record
    /// that spans lines (a quoted line break); otherwise every field is on `recordLine`.
    private var fieldLines: [Int] = []
    private var fieldLineStarts: [Int] = []
    private var multiline = false
    private var recordLineStart = 0
    /// Line on which the current record starts.
    public private(set) var recordLine = 0

    public init(buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
        let bom = buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF
        position = bom ? 3 : 0
        end = buffer.count
        lineStart = position
    }

    /// A reader of `range` only, which must start at the beginning of a line; its line numbers
    /// count from 1 at `range.lowerBound` (the caller adds the lines before it).
    public init(buffer: UnsafeMutableBufferPointer<UInt8>, range: Range<Int>) {
        self.buffer = buffer
        position = range.lowerBound
        end = range.upperBound
        lineStart = position
    }

    /// Byte offset of the next unread record, and its line number.
    public var offset: Int { position }
    public var currentLine: Int { line }

    /// Line and 1-based column (in Unicode scalars) of field `index` of the current record.
    public func location(ofField index: Int) -> (line: Int, column: Int) {
        guard index < fields.count else { return (recordLine, 1) }
        guard multiline else { return (recordLine, column(from: recordLineStart, to: fields[index].lowerBound)) }
        return (fieldLines[index], column(from: fieldLineStarts[index], to: fields[index].lowerBound))
    }

    private func column(from start: Int, to end: Int) -> Int {
        var count = 1
        var i = start
        while i < end {
            if buffer[i] & 0xC0 != 0x80 { count += 1 }
            i += 1
        }
        return count
    }

    /// The bytes of field `index` of the current record.
    @inline(__always)
    public func bytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let range = fields[index]
        return UnsafeBufferPointer(rebasing: UnsafeBufferPointer(buffer)[range])
    }

    /// Field `index` as a string, or nil if it is not valid UTF-8.
    public func string(_ index: Int) -> String? {
        String(validating: bytes(index), as: UTF8.self)
    }

    /// Reads the next record into `fields`. Returns false at the end of the input. Blank lines
    /// are skipped. Throws on malformed quoting; the reader then resumes at the next line.
    public mutating func next() throws(SyntaxError) -> Bool {
        fields.removeAll(keepingCapacity: true)
        if multiline {
            fieldLines.removeAll(keepingCapacity: true)
            fieldLineStarts.removeAll(keepingCapacity: true)
            multiline = false
        }
        // Skip blank lines.
        while position < end {
            let c = buffer[position]
            if c == 0x0A { position += 1; line += 1; lineStart = position; continue }
            if c == 0x0D, position + 1 < end, buffer[position + 1] == 0x0A {
                position += 2; line += 1; lineStart = position; continue
            }
            break
        }
        guard position < end else { return false }
        recordLine = line
        recordLineStart = lineStart
        while true {
            if multiline {
                fieldLines.append(line)
                fieldLineStarts.append(lineStart)
            }
            if position < end, buffer[position] == UInt8(ascii: "\"") {
                try readQuotedField()
            } else {
                try readPlainField()
            }
            // After a field: a comma (another field follows), a line end, or the end of input.
            if position >= end { return true }
            let c = buffer[position]
            if c == UInt8(ascii: ",") { position += 1; continue }
            if c == 0x0A { position += 1; line += 1; lineStart = position; return true }
            if c == 0x0D, position + 1 < end, buffer[position + 1] == 0x0A {
                position += 2; line += 1; lineStart = position; return true
            }
            let where_ = (line, column(from: lineStart, to: position))
            skipToNextLine()
            throw SyntaxError(line: where_.0, column: where_.1,
                              message: "unexpected character after a closing quote; quote the whole field")
        }
    }

    private mutating func readPlainField() throws(SyntaxError) {
        let start = position
        while position < end {
            let c = buffer[position]
            if c == UInt8(ascii: ",") || c == 0x0A { break }
            if c == 0x0D, position + 1 < end, buffer[position + 1] == 0x0A { break }
            if c == UInt8(ascii: "\"") {
                sawQuote = true
                let col = column(from: lineStart, to: position)
                let errLine = line
                skipToNextLine()
                throw SyntaxError(line: errLine, column: col, message: "quote inside an unquoted field; quote the field and double the quote")
            }
            position += 1
        }
        fields.append(start..<position)
    }

    private mutating func readQuotedField() throws(SyntaxError) {
        sawQuote = true
        let openLine = line, openColumn = column(from: lineStart, to: position)
        position += 1 // opening quote
        let start = position
        var write = position
        while position < end {
            let c = buffer[position]
            if c == UInt8(ascii: "\"") {
                if position + 1 < end, buffer[position + 1] == UInt8(ascii: "\"") {
                    buffer[write] = c
                    write += 1
                    position += 2
                    continue
                }
                position += 1 // closing quote
                fields.append(start..<write)
                return
            }
            if c == 0x0A {
                if !multiline {
                    // The record spans lines from here: the fields so far, and this one, began
                    // on its first line.
                    multiline = true
                    fieldLines = Array(repeating: recordLine, count: fields.count + 1)
                    fieldLineStarts = Array(repeating: recordLineStart, count: fields.count + 1)
                }
                line += 1
                lineStart = position + 1
            }
            if write != position { buffer[write] = c }
            write += 1
            position += 1
        }
        throw SyntaxError(line: openLine, column: openColumn, message: "quoted field is never closed (missing '\"')")
    }

    private mutating func skipToNextLine() {
        while position < end, buffer[position] != 0x0A { position += 1 }
        if position < end { position += 1; line += 1; lineStart = position }
    }
}
