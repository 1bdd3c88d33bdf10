import DunningCore

/// The checks of single raw fields that every loader applies, with the messages users see.
///
/// They work on bytes in place, so the ledger's hot loop never builds a `String` it does not keep;
/// `CSVTable.Row` and `LedgerLoader` both call them, so a field means the same in every file.
enum FieldRules {
    /// A required identifier: non-empty, valid UTF-8, at most 128 bytes, no control characters.
    static func identifier(_ raw: UnsafeBufferPointer<UInt8>, column: String) -> Result<String, FieldProblem> {
        guard !raw.isEmpty else { return .failure(FieldProblem("\(column) is empty")) }
        guard raw.count <= 128 else { return .failure(FieldProblem("\(column) is longer than 128 bytes")) }
        var ascii = true
        for c in raw {
            if c < 0x20 || c == 0x7F { return .failure(FieldProblem("\(column) contains control characters")) }
            if c >= 0x80 { ascii = false }
        }
        if ascii { return .success(String(decoding: raw, as: UTF8.self)) }
        guard let text = String(validating: raw, as: UTF8.self) else {
            return .failure(FieldProblem("\(column) is not valid UTF-8"))
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

    static func day(_ raw: UnsafeBufferPointer<UInt8>, column: String) -> Result<Day, FieldProblem> {
        if let day = Day.parse(raw) { return .success(day) }
        return .failure(FieldProblem("\(column) '\(preview(raw))' is not a valid date (YYYY-MM-DD)"))
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
