import DunningCore
import DunningEngine
import Foundation
import Testing

/// Bad rows: all reported at once with file:line:column; nothing committed unless skipped.
@Suite struct BadInputTests {
    let input = TestSupport.fixture("bad-rows")
    let day = Day(iso: "2026-02-26")!

    @Test func everyBadRowIsReportedAndNothingIsCommitted() throws {
        let work = TestSupport.temporaryDirectory()
        let store = work + "/s.sqlite"
        var diagnostics: [Diagnostic] = []
        do {
            try TestSupport.run(day, input: input, store: store, out: work + "/out")
            Issue.record("a run over bad rows must fail")
        } catch let error as RunError {
            #expect(error.exitCode == 65)
            if case .data(let d) = error { diagnostics = d }
        }
        let rendered = diagnostics.map { $0.description.replacingOccurrences(of: input + "/", with: "") }
        let expected = [
            "customers.csv:3:4: error: score '1200' must be a whole number from 0 to 1000",
            "customers.csv:4:5: error: unknown IANA time zone 'Mars/Olympus'",
            "customers.csv:6:1: error: customer C1 is listed twice (first at line 2)",
            "ledger.csv:2:19: error: due_date '2026-02-30' is not a valid date (YYYY-MM-DD)",
            "ledger.csv:3:30: error: amount_due '100.005': amount has more than two fraction digits",
            "ledger.csv:4:30: error: amount_due '-5': amount is negative",
            "ledger.csv:5:37: error: amount_paid 150.00 exceeds amount_due 100.00 by more than the tolerance 0.00",
            "ledger.csv:7:17: error: duplicate instalment 1 of loan L5 (first at line 6)",
            "ledger.csv:8:4: error: customer C9 is not in customers.csv",
        ]
        for line in expected { #expect(rendered.contains(line), "missing: \(line)") }
        #expect(rendered.count == 16)
        #expect(!FileManager.default.fileExists(atPath: work + "/out/actions.csv"))
        // The store holds no run and no milestone.
        let counts = try DunningStoreProbe.counts(store)
        #expect(counts == ["runs": 0, "milestones": 0, "cases": 0, "events": 0, "contacts": 0, "deferrals": 0, "assignments": 0, "workloads": 0, "strategies": 0, "decisions": 0])
    }

    @Test func skipBadRowsCommitsTheRestAndHoldsCasesWithBadRows() throws {
        let work = TestSupport.temporaryDirectory()
        let report = try TestSupport.run(day, input: input, store: work + "/s.sqlite", out: work + "/out", skipBadRows: true)
        // 16 problems on 15 rows: ledger.csv line 12 has two.
        #expect(report.summary.rejectedRows == 15)
        // C4's loans L1-L5, L7 and C9's L6 are bad; their cases (C4/cash_loan, C4/ecommerce, C9/cash_loan, C2/cash_loan) are held.
        #expect(report.summary.heldCases == 4)
        let cases = try #require(TestSupport.read(work + "/out/cases.csv"))
        #expect(cases.split(separator: "\n").count == 2)
        #expect(cases.contains(",C4/card/1,C4,card,penalty,M1,47,400.00,"))
        let rejects = try #require(TestSupport.read(work + "/out/rejects.csv"))
        #expect(rejects.hasPrefix("file,line,column,reason\n"))
        #expect(rejects.contains("ledger.csv,9,30,amount_due '1e3': not a decimal amount"))
        #expect(rejects.split(separator: "\n").count == 17)
    }

    @Test func aMissingLedgerIsNoInput() throws {
        let work = TestSupport.temporaryDirectory()
        try "customer_id,score\nC1,1\n".write(toFile: work + "/customers.csv", atomically: true, encoding: .utf8)
        #expect { try TestSupport.run(day, input: work, store: work + "/s.sqlite", out: nil) } throws: {
            ($0 as? RunError)?.exitCode == 66
        }
    }

    @Test func anInvalidStrategyIsAConfigError() throws {
        let work = TestSupport.temporaryDirectory()
        try "name: x\nbusiness_time_zone: Nowhere/City\ncurrency: CNY\nsegments:\n  - name: a\n    buckets: [M9]\n"
            .write(toFile: work + "/bad.yaml", atomically: true, encoding: .utf8)
        var messages: [String] = []
        do {
            try TestSupport.run(day, input: input, store: work + "/s.sqlite", out: nil, strategy: work + "/bad.yaml", createStore: false)
        } catch let error as RunError {
            #expect(error.exitCode == 78)
            messages = error.description.split(separator: "\n").map(String.init)
        }
        #expect(messages.count == 3)
        #expect(messages.first?.hasSuffix("bad.yaml:2:21: error: business_time_zone: unknown IANA time zone 'Nowhere/City' (e.g. Asia/Shanghai, America/New_York)") == true)
        #expect(!FileManager.default.fileExists(atPath: work + "/s.sqlite"))
    }

    /// Rows whose case cannot be known are never skipped: without them an open case could look
    /// paid and be settled by mistake.
    @Test(arguments: [
        "L1,C1,cash,2,\"2026-02-10,100.00,0\n",       // a quote never closed: swallows the rest of the file
        "L1,C1,cash,2,2026-02-10,100.00\n",            // a field missing
        ",C1,cash,2,2026-02-10,100.00,0\n",           // no loan id
    ])
    func rowsThatCannotBeTiedToACaseAreNeverSkipped(badRow: String) throws {
        let work = TestSupport.temporaryDirectory()
        try "customer_id,score\nC1,700\n".write(toFile: work + "/customers.csv", atomically: true, encoding: .utf8)
        try TestSupport.writeDefaultAgents(work)
        let header = "loan_id,customer_id,product,instalment,due_date,amount_due,amount_paid\n"
        try (header + "L1,C1,cash,1,2026-01-10,100.00,0\n").write(toFile: work + "/ledger.csv", atomically: true, encoding: .utf8)
        let store = work + "/s.sqlite"
        try TestSupport.run(day, input: work, store: store, out: work + "/out")
        // Next night the extract is damaged: the first instalment row is paid, the bad row would be the unpaid one.
        try (header + "L1,C1,cash,1,2026-01-10,100.00,100.00\n" + badRow)
            .write(toFile: work + "/ledger.csv", atomically: true, encoding: .utf8)
        #expect { try TestSupport.run(day + 1, input: work, store: store, out: nil, skipBadRows: true) } throws: { error in
            guard let error = error as? RunError, case .data(let diagnostics) = error else { return false }
            return diagnostics.contains { $0.message.contains("cannot be tied to a case") }
        }
        #expect(try DunningStoreProbe.counts(store)["runs"] == 1)
    }
}
