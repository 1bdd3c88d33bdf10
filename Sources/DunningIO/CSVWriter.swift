/// Builds RFC 4180 CSV text in memory: fields with commas, quotes or line breaks (or a leading
/// U+FEFF) are quoted.
///
/// `spreadsheetSafe` (the night's output files, which analysts open in spreadsheets): a field
/// that a spreadsheet would run as a formula (starting with `=`, `+`, `@`, a tab or a carriage
/// return, or `-` unless it is a plain number such as `-2` or `-39.29`) is written with a leading
/// `'`, which spreadsheets show as text. Identifiers never need it (the loaders refuse such
/// identifiers); it guards everything else a field can hold.
public struct CSVWriter {
    public private(set) var bytes: [UInt8] = []
    public let spreadsheetSafe: Bool

    public init(header: [String], spreadsheetSafe: Bool = false) {
        self.spreadsheetSafe = spreadsheetSafe
        bytes.reserveCapacity(1 << 16)
        append(header)
    }

    /// True for a field a spreadsheet would take for a formula.
    public static func startsFormula(_ utf8: String.UTF8View) -> Bool {
        guard let first = utf8.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "@"), 0x09, 0x0D: return true
        case UInt8(ascii: "-"):
            // A plain negative number is a number: -2, -39.29.
            let rest = utf8.dropFirst()
            var digits = 0, dots = 0
            for c in rest {
                if (48...57).contains(c) { digits += 1 } else if c == UInt8(ascii: "."), dots == 0 { dots += 1 } else { return true }
            }
            return digits == 0
        default: return false
        }
    }

    /// Drops everything written so far (to stream large files in chunks).
    public mutating func resetToEmpty() { bytes.removeAll(keepingCapacity: true) }

    public mutating func append(_ fields: [String]) {
        for (i, raw) in fields.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            let field = spreadsheetSafe && Self.startsFormula(raw.utf8) ? "'" + raw : raw
            let utf8 = field.utf8
            // A leading U+FEFF is quoted too: unquoted at the start of a file, a reader would take it
            // for the byte-order mark and drop it.
            if utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D })
                || utf8.starts(with: [0xEF, 0xBB, 0xBF]) {
                bytes.append(UInt8(ascii: "\""))
                for c in utf8 {
                    if c == UInt8(ascii: "\"") { bytes.append(c) }
                    bytes.append(c)
                }
                bytes.append(UInt8(ascii: "\""))
            } else {
                bytes.append(contentsOf: utf8)
            }
        }
        bytes.append(0x0A)
    }
}
