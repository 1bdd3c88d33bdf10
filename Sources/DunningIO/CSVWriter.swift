/// Builds RFC 4180 CSV text in memory: fields with commas, quotes or line breaks (or a leading
/// U+FEFF) are quoted.
public struct CSVWriter {
    public private(set) var bytes: [UInt8] = []

    public init(header: [String]) {
        bytes.reserveCapacity(1 << 16)
        append(header)
    }

    /// Drops everything written so far (to stream large files in chunks).
    public mutating func resetToEmpty() { bytes.removeAll(keepingCapacity: true) }

    public mutating func append(_ fields: [String]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
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
