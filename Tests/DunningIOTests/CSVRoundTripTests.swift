import DunningCore
import Testing
@testable import DunningIO

/// Random fields full of the characters RFC 4180 cares about (commas, quotes, CR, LF, CRLF, a
/// BOM-like prefix, non-ASCII), written by `CSVWriter` and read back by `CSVReader`: every record
/// must come back field for field, with line numbers that count the embedded line breaks.
@Suite struct CSVRoundTripTests {
    static let alphabet: [String] = ["a", "Z", "0", ",", "\"", "\"\"", "\n", "\r", "\r\n", " ", "\u{FEFF}", "é", "中", "|", ";"]

    @Test func randomRecordsRoundTrip() {
        var rng = SplitMix64(state: 4180)
        for _ in 0..<300 {
            var records: [[String]] = []
            let width = 1 + rng.below(6)
            for _ in 0..<(1 + rng.below(8)) {
                records.append((0..<width).map { _ in
                    (0..<rng.below(6)).map { _ in Self.alphabet[rng.below(Self.alphabet.count)] }.joined()
                })
            }
            // A record of one empty field is a blank line, which the reader skips (as documented).
            if width == 1 { records = records.filter { $0 != [""] } }
            guard !records.isEmpty else { continue }
            var writer = CSVWriter(header: records[0])
            for r in records.dropFirst() { writer.append(r) }
            var expectedLine = 1
            var expected: [CSVItem] = []
            for r in records {
                expected.append(.record(expectedLine, r))
                // The writer quotes fields with line breaks; each LF inside moves the next record down.
                expectedLine += 1 + r.joined().utf8.filter { $0 == 0x0A }.count
            }
            let items = readCSV(writer.bytes).items
            #expect(items == expected, "records: \(records.map { $0.map { $0.debugDescription } })")
        }
    }
}
