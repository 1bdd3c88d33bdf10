/// A JSON document whose every value knows its line and column, so that a control file's
/// problems are reported as `file:line:column` like every other input's.
///
/// Small on purpose: RFC 8259 values, objects kept in order with duplicate keys reported, numbers
/// kept as their text (the reader decides what it accepts). Nesting is limited (64 levels).
public struct LocatedJSON: Sendable {
    public indirect enum Value: Sendable {
        case object([(key: String, value: LocatedJSON)])
        case array([LocatedJSON])
        case string(String)
        case number(String)
        case bool(Bool)
        case null
    }

    public var value: Value
    public var line: Int
    public var column: Int

    /// A syntax error, located.
    public struct SyntaxError: Error, Sendable {
        public var line: Int
        public var column: Int
        public var message: String
    }

    public static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> LocatedJSON {
        var parser = Parser(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    public subscript(key: String) -> LocatedJSON? {
        guard case .object(let pairs) = value else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        var lineStart = 0
        /// The column at `counted`: columns are counted on from there, so that a file of one
        /// long line costs linear time, not quadratic.
        private var counted = 0, countedColumn = 1

        init(bytes: [UInt8]) { self.bytes = bytes }

        /// Columns count characters (Unicode scalars), not bytes.
        mutating func column() -> Int {
            if counted < lineStart || counted > index { (counted, countedColumn) = (lineStart, 1) }
            for byte in bytes[counted..<index] where byte & 0xC0 != 0x80 { countedColumn += 1 }
            counted = index
            return countedColumn
        }

        mutating func error(_ message: String) -> SyntaxError { SyntaxError(line: line, column: column(), message: message) }

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0D: index += 1
                case 0x0A: index += 1; line += 1; lineStart = index
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(SyntaxError) -> LocatedJSON {
            guard depth < 64 else { throw error("nested more than 64 levels deep") }
            guard index < bytes.count else { throw error("the JSON ends where a value was expected") }
            let (startLine, startColumn) = (line, column())
            let parsed: Value
            switch bytes[index] {
            case UInt8(ascii: "{"): parsed = try object(depth: depth)
            case UInt8(ascii: "["): parsed = try array(depth: depth)
            case UInt8(ascii: "\""): parsed = .string(try string())
            case UInt8(ascii: "t"): try literal("true"); parsed = .bool(true)
            case UInt8(ascii: "f"): try literal("false"); parsed = .bool(false)
            case UInt8(ascii: "n"): try literal("null"); parsed = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): parsed = .number(try number())
            default: throw error("expected a JSON value (an object, a list, a string, a number, true, false or null)")
            }
            return LocatedJSON(value: parsed, line: startLine, column: startColumn)
        }

        mutating func literal(_ word: String) throws(SyntaxError) {
            let expected = Array(word.utf8)
            guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected else {
                throw error("expected a JSON value (an object, a list, a string, a number, true, false or null)")
            }
            index += expected.count
        }

        /// RFC 8259: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, so `018` and `1.` are not.
        mutating func number() throws(SyntaxError) -> String {
            let start = index
            while index < bytes.count, "-+.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            guard Self.isNumber(bytes[start..<index]) else {
                index = start
                throw error("'\(text)' is not a JSON number")
            }
            return text
        }

        static func isNumber(_ text: ArraySlice<UInt8>) -> Bool {
            var i = text.startIndex
            func digits() -> Int {
                let from = i
                while i < text.endIndex, (48...57).contains(text[i]) { i += 1 }
                return i - from
            }
            if i < text.endIndex, text[i] == UInt8(ascii: "-") { i += 1 }
            guard i < text.endIndex else { return false }
            if text[i] == UInt8(ascii: "0") { i += 1 } else if digits() == 0 { return false }
            if i < text.endIndex, text[i] == UInt8(ascii: ".") {
                i += 1
                guard digits() > 0 else { return false }
            }
            if i < text.endIndex, text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E") {
                i += 1
                if i < text.endIndex, text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") { i += 1 }
                guard digits() > 0 else { return false }
            }
            return i == text.endIndex
        }

        mutating func string() throws(SyntaxError) -> String {
            index += 1 // the opening quote
            var out: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    index += 1
                    guard index < bytes.count else { break }
                    let escaped: [UInt8: UInt8] = [0x22: 0x22, 0x5C: 0x5C, 0x2F: 0x2F, 0x62: 0x08, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09]
                    if let plain = escaped[bytes[index]] {
                        out.append(plain)
                        index += 1
                    } else if bytes[index] == UInt8(ascii: "u") {
                        out += try unicodeEscape()
                    } else {
                        throw error("unknown escape '\\\(Character(Unicode.Scalar(bytes[index])))' in a string")
                    }
                case 0x00..<0x20: throw error("a string may not contain a line break or control character (write \\n)")
                default:
                    out.append(byte)
                    index += 1
                }
            }
            throw error("a string is not closed with '\"'")
        }

        mutating func unicodeEscape() throws(SyntaxError) -> [UInt8] {
            func hex4() throws(SyntaxError) -> UInt32 {
                let digits = bytes.count - index >= 5 ? bytes[index + 1..<index + 5] : []
                guard digits.count == 4, digits.allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit && $0 < 0x80 }),
                      let v = UInt32(String(decoding: digits, as: UTF8.self), radix: 16) else {
                    throw error("\\u must be followed by four hex digits")
                }
                index += 5
                return v
            }
            var code = try hex4()
            if (0xD800..<0xDC00).contains(code), bytes.count - index >= 2, bytes[index] == 0x5C, bytes[index + 1] == UInt8(ascii: "u") {
                index += 1
                let low = try hex4()
                code = 0x10000 + ((code - 0xD800) << 10) + (low &- 0xDC00)
            }
            return Array(String(Character(Unicode.Scalar(code) ?? "\u{FFFD}")).utf8)
        }

        mutating func array(depth: Int) throws(SyntaxError) -> Value {
            index += 1
            var items: [LocatedJSON] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard index < bytes.count else { throw error("a list is not closed with ']'") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                throw error("expected ',' or ']' in a list")
            }
        }

        mutating func object(depth: Int) throws(SyntaxError) -> Value {
            index += 1
            var pairs: [(key: String, value: LocatedJSON)] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(pairs) }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key in double quotes") }
                let (keyLine, keyColumn) = (line, column())
                let key = try string()
                if pairs.contains(where: { $0.key == key }) {
                    throw SyntaxError(line: keyLine, column: keyColumn, message: "key '\(key)' appears twice")
                }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after the key '\(key)'") }
                index += 1
                skipSpace()
                pairs.append((key, try value(depth: depth + 1)))
                skipSpace()
                guard index < bytes.count else { throw error("an object is not closed with '}'") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(pairs) }
                throw error("expected ',' or '}' in an object")
            }
        }
    }
}
