import DunningCore
import Foundation
import Testing
@testable import DunningIO

/// The ledger is read in chunks on several threads. Whatever the split, the result (loans, held
/// cases, every diagnostic with its line, column and text) must be exactly that of one thread.
@Suite("Ledger: parallel chunks read as one thread")
struct LedgerChunkTests {
    static let customers = "customer_id,score\nC1,700\nC2,\nC3,100\nC4,900\n"

    /// Loads with `workers` threads and chunks of at least `chunk` bytes.
    static func load(_ ledger: String, workers: Int, chunk: Int, asOf: String = "2026-03-20") throws -> Inputs {
        let input = try TempInput(["customers.csv": customers, "ledger.csv": ledger])
        var loader = InputLoader(directory: input.path, strategy: ioStrategy(), asOf: Day(iso: asOf)!, workers: workers)
        loader.minimumChunkBytes = chunk
        return try loader.load()
    }

    /// Everything a load produces that later stages see, as comparable text.
    static func fingerprint(_ inputs: Inputs) -> [String] {
        var lines = inputs.problems.map { "P \($0.line):\($0.column) \($0.message)" }
        lines += inputs.unattributableRows.map { "U \($0.line):\($0.column) \($0.message)" }
        lines += inputs.heldCases.sorted().map { "H \($0.customerID)/\($0.product)" }
        for key in inputs.loansByCase.keys.sorted() {
            for loan in inputs.loansByCase[key]!.sorted(by: { $0.id < $1.id }) {
                lines.append("L \(key.customerID)/\(key.product) \(loan.id) \(loan.currency) "
                    + loan.instalments.map { "\($0.number)@\($0.due)=\($0.amountDue)-\($0.amountPaid)" }.joined(separator: " "))
            }
        }
        lines.append("rows \(inputs.rowCounts["ledger.csv"] ?? -1)")
        return lines
    }

    static func expectSameForEverySplit(_ ledger: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let one = fingerprint(try load(ledger, workers: 1, chunk: 1 << 30))
        for workers in [2, 3, 7] {
            for chunk in [1, 40, 97] {
                let many = fingerprint(try load(ledger, workers: workers, chunk: chunk))
                #expect(many == one, "workers \(workers), chunk \(chunk)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func cleanLedgerSplitAnywhere() throws {
        var ledger = ledgerHeader
        for c in 1...4 {
            for l in 1...3 {
                for k in 1...6 {
                    ledger += "L\(c)\(l),C\(c),\(l == 3 ? "ecom" : "cash"),\(k),2026-0\(k)-10,100.00,\(k < 3 ? "100.00" : "0")\n"
                }
            }
        }
        try Self.expectSameForEverySplit(ledger)
        #expect(try Self.load(ledger, workers: 3, chunk: 40).loansByCase.count == 8)
    }

    @Test func loanRowsScatteredOverChunksWithConflicts() throws {
        // L1's rows are far apart; its second half names another customer, repeats a number and
        // switches product: messages cite the loan's first row, in another chunk.
        let ledger = ledgerHeader + """
        L1,C1,cash,1,2026-01-10,100.00,0
        L2,C2,cash,1,2026-01-10,100.00,0
        L2,C2,cash,2,2026-02-10,100.00,0
        L3,C3,cash,1,2026-01-10,100.00,0
        L1,C2,cash,2,2026-02-10,100.00,0
        L1,C1,ecom,3,2026-03-10,100.00,0
        L1,C1,cash,1,2026-01-10,100.00,0
        L4,C4,cash,1,2026-01-10,100.00,0
        L2,C2,cash,2,2026-02-10,100.00,0

        """
        try Self.expectSameForEverySplit(ledger)
        let inputs = try Self.load(ledger, workers: 3, chunk: 40)
        #expect(inputs.problems(in: "ledger.csv").contains("8:12 duplicate instalment 1 of loan L1 (first at line 2)"))
        #expect(inputs.problems(in: "ledger.csv").contains("6:4 loan L1 belongs to customer C1 at line 2"))
    }

    @Test func aLaterChunkAgreesFirstThenConflicts() throws {
        // In a later chunk L1 first agrees with its first row, then a row names another customer:
        // the message must cite line 2, not the first L1 row of that chunk.
        var ledger = ledgerHeader + "L1,C1,cash,1,2026-01-10,100.00,0\n"
        for k in 1...6 { ledger += "L2,C2,cash,\(k),2026-01-1\(k),100.00,0\n" }
        ledger += "L1,C1,cash,2,2026-02-10,100.00,0\nL1,C3,cash,3,2026-03-10,100.00,0\n"
        try Self.expectSameForEverySplit(ledger)
        let inputs = try Self.load(ledger, workers: 2, chunk: 1)
        #expect(inputs.problems(in: "ledger.csv") == ["10:4 loan L1 belongs to customer C1 at line 2"])
    }

    /// Found by `make fuzz`: a bad row in a later chunk repeats a number a valid row of an earlier
    /// chunk recorded. A sequential read reports the duplicate as well as the bad date.
    @Test func aBadRowRepeatingANumberOfAnEarlierChunk() throws {
        var ledger = ledgerHeader + "L2,C2,cash,2,2026-03-20,100.00,0\n"
        for k in 1...6 { ledger += "L1,C1,cash,\(k),2026-01-1\(k),100.00,0\n" }
        ledger += "L2,C2,cash,2,2026-02-30,100.00,0\n"
        try Self.expectSameForEverySplit(ledger)
        #expect(try Self.load(ledger, workers: 2, chunk: 1).problems(in: "ledger.csv") == [
            "9:12 duplicate instalment 2 of loan L2 (first at line 2)",
            "9:14 due_date '2026-02-30' is not a valid date (YYYY-MM-DD)",
        ])
    }

    /// Found by `make fuzz`: the parallel attempt unescapes quoted fields in place before it sees
    /// it must read the file as one chunk; that read must start from the file's own bytes.
    @Test func theFallbackReadsTheFileNotTheUnescapedBuffer() throws {
        var ledger = ledgerHeader
        for k in 1...6 { ledger += "L1,C1,cash,\(k),2026-01-1\(k),100.00,0\n" }
        ledger += "\"L\"\"2\"\"\"x,C2,cash,1,2026-01-10,100.00,0\n"
        try Self.expectSameForEverySplit(ledger)
        #expect(try Self.load(ledger, workers: 3, chunk: 1).problems(in: "ledger.csv")
            == ["8:9 unexpected character after a closing quote; quote the whole field"])
    }

    /// A 10 MB field (a broken extract): one located problem with a short excerpt, on every split.
    @Test func aTenMegabyteLine() throws {
        let huge = String(repeating: "9", count: 10_000_000)
        var ledger = ledgerHeader + "L1,C1,cash,1,2026-01-10,100.00,0\n"
        ledger += "L2,C2,cash,1,2026-01-10,\(huge),0\nL3,C3,cash,1,2026-01-10,100.00,0\n"
        let one = try Self.load(ledger, workers: 1, chunk: 1 << 30)
        #expect(one.problems(in: "ledger.csv") == ["3:25 amount_due '\(String(repeating: "9", count: 40))...': amount exceeds the limit of 10000000000000.00"])
        #expect(Self.fingerprint(try Self.load(ledger, workers: 3, chunk: 1 << 20)) == Self.fingerprint(one))
    }

    /// Every ledger input `make fuzz` ever caught (fixtures/fuzz/ledger), replayed on every split
    /// (as text: invalid UTF-8 becomes U+FFFD; the fuzzer itself replays the exact bytes).
    @Test func inputsTheFuzzerFound() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures/fuzz/ledger")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(!files.isEmpty)
        for name in files {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            try Self.expectSameForEverySplit(ledgerHeader + String(decoding: data, as: UTF8.self))
        }
    }

    @Test func rowsBeforeALoanHasAKeyAndUnattributableRows() throws {
        let ledger = ledgerHeader + """
        L1,C1,cash,1,2026-01-10,100.00,0
        L5,,cash,1,2026-01-10,100.00,0
        ,C2,cash,1,2026-01-10,100.00,0
        L5,C3,cash,2,2026-02-10,100.00,0
        L1,,cash,2,2026-02-10,100.00,0
        L6,C4,bad product,1,2026-01-10,100.00,0
        L7,C9,cash,1,2026-01-10,100.00,0
        L1,C1,cash,3,2026-02-30,100.00,0

        """
        try Self.expectSameForEverySplit(ledger)
    }

    @Test func quotedFieldsFallBackToOneChunk() throws {
        // A quoted field with an embedded newline: any split could cut it.
        let ledger = ledgerHeader + """
        L1,C1,cash,1,2026-01-10,100.00,0
        L2,"C2",cash,1,2026-01-10,100.00,0
        "L3
        x",C3,cash,1,2026-01-10,100.00,0
        L4,C4,cash,1,2026-01-10,"100.00",0
        L5,C4,cash,1,2026-01-10,100.00,"0
        """
        try Self.expectSameForEverySplit(ledger)
    }

    @Test func crlfBlankLinesAndWrongFieldCounts() throws {
        let ledger = ledgerHeader.replacingOccurrences(of: "\n", with: "\r\n")
            + "L1,C1,cash,1,2026-01-10,100.00,0\r\n\r\n\r\nL1,C1,cash,2\r\nL2,C2,cash,1,2026-01-10,100.00,0,extra\r\n"
            + "L2,C2,cash,2,2026-02-10,100.00,0\r\n"
        try Self.expectSameForEverySplit(ledger)
    }

    /// Random ledgers with random damage, many splits: a small fuzz run in every test pass
    /// (`make fuzz` runs the libFuzzer targets much longer).
    @Test func randomDamagedLedgers() throws {
        var rng = SplitMix64(state: 2026)
        let damages = ["", "\"", ",", "x", "2026-02-30", "-1", "1e3", "0.001", "\r", ""]
        for _ in 0..<60 {
            var ledger = ledgerHeader
            for _ in 0..<(5 + rng.below(25)) {
                var fields = ["L\(1 + rng.below(5))", "C\(1 + rng.below(5))", rng.below(5) == 0 ? "ecom" : "cash",
                              "\(1 + rng.below(4))", "2026-0\(1 + rng.below(5))-1\(rng.below(9))", "100.00",
                              rng.below(3) == 0 ? "100.00" : "0"]
                if rng.below(4) == 0 { fields[rng.below(fields.count)] = damages[rng.below(damages.count)] }
                ledger += fields.joined(separator: ",") + (rng.below(6) == 0 ? "\r\n" : "\n")
            }
            try Self.expectSameForEverySplit(ledger)
        }
    }

    @Test func onlyWhatDecisionsNeedIsKept() throws {
        // Paid instalments are dropped; unpaid ones up to the horizon (as-of + 2 for a D-2
        // pre-collection) are kept, and of the later ones only the earliest.
        let ledger = ledgerHeader + """
        L1,C1,cash,1,2026-01-10,100.00,100.00
        L1,C1,cash,2,2026-02-10,100.00,40.00
        L1,C1,cash,3,2026-03-22,100.00,0
        L1,C1,cash,5,2026-05-10,100.00,0
        L1,C1,cash,4,2026-04-10,100.00,0
        L2,C2,cash,1,2026-04-10,100.00,0
        L2,C2,cash,2,2026-05-10,100.00,0

        """
        let inputs = try Self.load(ledger, workers: 1, chunk: 1 << 30)
        #expect(inputs.problems.isEmpty)
        #expect(inputs.loansByCase[key("C1", "cash")]?.first?.instalments.map(\.number) == [2, 3, 4])
        #expect(inputs.loansByCase[key("C2", "cash")]?.first?.instalments.map(\.number) == [1])
        let loan = try #require(inputs.loansByCase[key("C1", "cash")]?.first)
        #expect(loan.earliestUnpaidDue == Day(iso: "2026-02-10"))
        #expect(loan.amountOverdue(asOf: Day(iso: "2026-03-20")!) == Money(minorUnits: 6_000))
    }
}
