import DunningCore
import Foundation

/// The checks of single raw fields that every loader applies, with the messages users see.
///
/// They work on bytes in place, so the ledger's hot loop never builds a `String` it does not keep;
/// `CSVTable.Row` and `LedgerLoader` both call them, so a field means the same in every file.
enum FieldRules {
    /// A required identifier: non-empty, valid UTF-8 in Unicode NFC, at most 128 bytes, no
    /// control characters, not starting with `=`, `+`, `-` or `@`.
    ///
    /// NFC because Swift compares strings by canonical equivalence: `José` composed and
    /// decomposed, or `K001` and `\u{212A}001` (KELVIN SIGN), would otherwise be one customer in
    /// every dictionary and set while being two in the file. Two NFC strings are equivalent only
    /// when their bytes are equal, so with NFC alone identifiers compare by their bytes. And no
    /// leading `=`, `+`, `-`, `@`: a spreadsheet would run the identifier, copied into an output
    /// file, as a formula.
    static func identifier(_ raw: UnsafeBufferPointer<UInt8>, column: String) -> Result<String, FieldProblem> {
        guard !raw.isEmpty else { return .failure(FieldProblem("\(column) is empty")) }
        guard raw.count <= 128 else { return .failure(FieldProblem("\(column) is longer than 128 bytes")) }
        if let first = raw.first, first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: "@") {
            return .failure(FieldProblem("\(column) '\(preview(raw))' starts with '\(Character(Unicode.Scalar(first)))', which a spreadsheet would run as a formula: identifiers may not start with =, +, - or @"))
        }
        var ascii = true
        for c in raw {
            if c < 0x20 || c == 0x7F { return .failure(FieldProblem("\(column) contains control characters")) }
            if c >= 0x80 { ascii = false }
        }
        if ascii { return .success(String(decoding: raw, as: UTF8.self)) }
        guard let text = String(validating: raw, as: UTF8.self) else {
            return .failure(FieldProblem("\(column) is not valid UTF-8"))
        }
        let composed = text.precomposedStringWithCanonicalMapping
        guard composed.utf8.elementsEqual(text.utf8) else {
            return .failure(FieldProblem("\(column) '\(preview(raw))' is not in Unicode NFC (its characters are decomposed, or it holds a compatibility character such as the Kelvin sign): write it as '\(composed.prefix(60))', the form every other file must use too"))
        }
        return .success(text)
    }

    /// A whole number in `range`, digits only.
    static func integer(_ raw: UnsafeBufferPointer<UInt8>, column: String, in range: ClosedRange<Int>) -> Result<Int, FieldProblem> {
        var value = 0
        var ok = raw.count <= 18 && !raw.isEmpty
        if ok {
            for c in raw {
                guard c >= 48, c <= 57 else { ok = false; break }
                value = value * 10 + Int(c - 48)
            }
        }
        guard ok, range.contains(value) else {
            return .failure(FieldProblem("\(column) '\(preview(raw))' must be a whole number from \(range.lowerBound) to \(range.upperBound)"))
        }
        return .success(value)
    }

    /// Dates from 1900 through 2299: anything else in an extract is a typo (year 0026, 9999), and
    /// the span keeps every day count and penalty of a night far inside the engine's integers.
    static let plausibleDays = Day(year: 1900, month: 1, day: 1)!...Day(year: 2299, month: 12, day: 31)!

    static func day(_ raw: UnsafeBufferPointer<UInt8>, column: String) -> Result<Day, FieldProblem> {
        guard let day = Day.parse(raw) else {
            return .failure(FieldProblem("\(column) '\(preview(raw))' is not a valid date (YYYY-MM-DD)"))
        }
        guard plausibleDays.contains(day) else {
            return .failure(FieldProblem("\(column) \(day) is outside 1900-01-01 to 2299-12-31"))
        }
        return .success(day)
    }

    static func money(_ raw: UnsafeBufferPointer<UInt8>, column: String) -> Result<Money, FieldProblem> {
        switch Money.parse(raw) {
        case .success(let value): return .success(value)
        case .failure(let failure): return .failure(FieldProblem("\(column) '\(preview(raw))': \(failure)"))
        }
    }

    /// A short printable excerpt of a bad value (never a whole 10 MB field).
    static func preview(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: UnsafeBufferPointer(rebasing: raw.prefix(40)), as: UTF8.self)
        return raw.count > 40 ? text + "..." : text
    }
}

/// Why one field was refused: the message, without its location.
struct FieldProblem: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
