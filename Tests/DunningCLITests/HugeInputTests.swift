import Foundation
import Testing

/// A ledger over 2 GiB (2^31 bytes): rows, cases and located errors past the 2 GiB mark are read
/// as anywhere else. Long: it writes 2.2 GB, so it runs with `make soak` (`DUNNING_SOAK=1`).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["DUNNING_SOAK"] != nil, "make soak"))
struct HugeInputTests {
    static let loans = 100_000
    static let instalments = 10
    /// An extra column the engine ignores fills each row to about 2.2 KB: one million rows, 2.2 GB.
    static let note = String(repeating: "n", count: 2_150)

    @Test func aLedgerOverTwoGigabytes() throws {
        let work = BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let input = work + "/in"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: BinaryRunner.root.path + "/fixtures/bad-rows/agents.csv", toPath: input + "/agents.csv")
        var customers = "customer_id,score\n"
        for i in 1...Self.loans { customers += "C\(i),500\n" }
        try customers.write(toFile: input + "/customers.csv", atomically: false, encoding: .utf8)

        // Every instalment is paid, except those of the last loan, which lie past 2 GiB; then one
        // bad row.
        _ = FileManager.default.createFile(atPath: input + "/ledger.csv", contents: nil)
        let ledger = try #require(FileHandle(forWritingAtPath: input + "/ledger.csv"))
        var chunk = "loan_id,customer_id,product,instalment,due_date,amount_due,amount_paid,note\n"
        for i in 1...Self.loans {
            for k in 1...Self.instalments {
                let paid = i == Self.loans ? "0.00" : "100.00"
                chunk += "L\(i),C\(i),cash,\(k),2026-\(k < 10 ? "0" : "")\(k)-10,100.00,\(paid),\(Self.note)\n"
            }
            if chunk.utf8.count > 64 << 20 || i == Self.loans {
                ledger.write(Data(chunk.utf8))
                chunk = ""
            }
        }
        let badLine = Self.loans * Self.instalments + 2
        ledger.write(Data("L\(Self.loans + 1),C1,cash,1,2026-02-30,100.00,0.00,\(Self.note)\n".utf8))
        try ledger.close()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: input + "/ledger.csv")[.size] as? NSNumber).int64Value
        #expect(size > 1 << 31)

        try BinaryRunner.initStore(work + "/s.sqlite")
        let refused = try BinaryRunner.run(["run", "--as-of", "2026-11-22", "--input", input, "--db", work + "/s.sqlite", "--out", work + "/o"])
        #expect(refused.status == 65)
        let located = "\(input)/ledger.csv:\(badLine):\("L\(Self.loans + 1),C1,cash,1,".count + 1): error: due_date '2026-02-30' is not a valid date (YYYY-MM-DD)"
        #expect(refused.stderr == located + "\n")

        let skipped = try BinaryRunner.run(["run", "--as-of", "2026-11-22", "--input", input, "--db", work + "/s.sqlite",
                                            "--out", work + "/o", "--skip-bad-rows"])
        #expect(skipped.status == 0, "\(skipped.stderr)")
        #expect(skipped.stdout.contains("  inputs    ledger.csv \(badLine - 1)  customers.csv \(Self.loans)  agents.csv 8  rejected 1\n"))
        #expect(skipped.stdout.contains("  cases     open 1  held 1\n"))
        let cases = try String(contentsOfFile: work + "/o/cases.csv", encoding: .utf8).split(separator: "\n")
        #expect(cases.count == 2)
        // The last loan: ten instalments of 100.00 overdue, the oldest since 2026-01-10 (316 days).
        #expect(cases.last?.hasPrefix("2026-11-22,C\(Self.loans)/cash/1,C\(Self.loans),cash,") == true)
        #expect(cases.last?.contains(",316,1000.00,") == true, "\(cases.last ?? "")")
    }
}
