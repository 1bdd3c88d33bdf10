import DunningCore
import Foundation
import Testing
@testable import DunningIO

/// Columns of a ledger row "Ln,Cn,prod,1,YYYY-MM-DD,amount,paid" with a 4-letter product, counted by hand:
/// loan_id 1, customer_id 4, product 7, instalment 12, due_date 14, amount_due 25, amount_paid 32.
@Suite("InputLoader: bad rows")
struct InputLoaderBadRowsTests {
    static let customers = "customer_id,score\nC1,700\nC2,\n"

    @Test func badLedgerRowsAreLocatedAndTheirCasesHeld() throws {
        let input = try TempInput([
            "customers.csv": Self.customers,
            "ledger.csv": ledgerHeader + """
            L1,C1,cash,1,2026-02-30,100.00,0
            L2,C1,card,1,2026-01-10,100.005,0
            L3,C1,ecom,1,2026-01-10,-5,0
            L4,C1,bnpl,1,2026-01-10,100.00,150.00
            L5,C2,cash,1,2026-01-10,100.00,0
            L5,C2,cash,1,2026-01-11,100.00,0
            L6,C9,auto,1,2026-01-10,100.00,0
            L7,C2,ecom,1,2026-01-10,100.00,0
            L8,C1,cash,1,2026-01-10,100.00,0

            """,
        ])
        let inputs = try input.load()
        #expect(inputs.problems(in: "ledger.csv") == [
            "2:14 due_date '2026-02-30' is not a valid date (YYYY-MM-DD)",
            "3:25 amount_due '100.005': amount has more than two fraction digits",
            "4:25 amount_due '-5': amount is negative",
            "5:32 amount_paid 150.00 exceeds amount_due 100.00 by more than the tolerance 0.00",
            "7:12 duplicate instalment 1 of loan L5 (first at line 6)",
            "8:4 customer C9 is not in customers.csv",
        ])
        // Diagnostics name the file by its path.
        #expect(inputs.problems.allSatisfy { $0.file == input.file("ledger.csv") })
        #expect(inputs.problems.first?.description == "\(input.file("ledger.csv")):2:14: error: due_date '2026-02-30' is not a valid date (YYYY-MM-DD)")
        // Every case with a bad row is held, whole: L8 is fine but shares C1/cash with L1.
        #expect(inputs.heldCases == [key("C1", "cash"), key("C1", "card"), key("C1", "ecom"), key("C1", "bnpl"),
                                     key("C2", "cash"), key("C9", "auto")])
        #expect(Array(inputs.loansByCase.keys) == [key("C2", "ecom")])
        #expect(inputs.loansByCase[key("C2", "ecom")]?.map(\.id) == ["L7"])
        #expect(inputs.rowCounts["ledger.csv"] == 9)
    }

    @Test("one bad field per row", arguments: [
        ("L1,C1,cash,1,2026-2-3,100.00,0", "2:14 due_date '2026-2-3' is not a valid date (YYYY-MM-DD)"),
        ("L1,C1,cash,1,2025-02-29,100.00,0", "2:14 due_date '2025-02-29' is not a valid date (YYYY-MM-DD)"),
        ("L1,C1,cash,1,2026-01-10,1e3,0", "2:25 amount_due '1e3': not a decimal amount (expected digits with an optional '.' and up to two fraction digits)"),
        ("L1,C1,cash,1,2026-01-10,\"1,000.00\",0", "2:26 amount_due '1,000.00': not a decimal amount (expected digits with an optional '.' and up to two fraction digits)"),
        ("L1,C1,cash,1,2026-01-10, 5,0", "2:25 amount_due ' 5': not a decimal amount (expected digits with an optional '.' and up to two fraction digits)"),
        ("L1,C1,cash,1,2026-01-10,,0", "2:25 amount_due '': amount is empty"),
        ("L1,C1,cash,1,2026-01-10,100.00,-0.01", "2:32 amount_paid '-0.01': amount is negative"),
        ("L1,C1,cash,0,2026-01-10,100.00,0", "2:12 instalment '0' must be a whole number from 1 to 10000"),
        ("L1,C1,cash,+1,2026-01-10,100.00,0", "2:12 instalment '+1' must be a whole number from 1 to 10000"),
        ("L1,C1,cash,10001,2026-01-10,100.00,0", "2:12 instalment '10001' must be a whole number from 1 to 10000"),
        ("L1,C1,cash,1.0,2026-01-10,100.00,0", "2:12 instalment '1.0' must be a whole number from 1 to 10000"),
        ("L1,C1,cash,1,26-02-03,100.00,0", "2:14 due_date '26-02-03' is not a valid date (YYYY-MM-DD)"),
        ("L1,C1,cash,1,2026-01-10,100.00,0.001", "2:32 amount_paid '0.001': amount has more than two fraction digits"),
        ("L1,C1,cash,1,2026-01-10,10000000000000.01,0", "2:25 amount_due '10000000000000.01': amount exceeds the limit of 10000000000000.00"),
        ("L1,C1,ca$h,1,2026-01-10,100.00,0", nil),
        ("L1,,cash,1,2026-01-10,100.00,0", nil),
    ] as [(String, String?)])
    func oneBadField(row: String, expected: String?) throws {
        let input = try TempInput(["customers.csv": Self.customers, "ledger.csv": ledgerHeader + row + "\n"])
        let inputs = try input.load()
        if let expected {
            #expect(inputs.problems(in: "ledger.csv") == [expected])
            #expect(inputs.heldCases == [key("C1", "cash")])
        } else {
            // A loan whose only row has no usable key: reported, never loaded, and flagged as unattributable.
            #expect(inputs.problems(in: "ledger.csv").count == 1)
            #expect(inputs.unattributableRows.map(\.line) == [2])
        }
        #expect(inputs.loansByCase.isEmpty)
    }

    @Test func rowsThatDisagreeWithTheLoansFirstRow() throws {
        let input = try TempInput([
            "customers.csv": Self.customers,
            "ledger.csv": """
            loan_id,customer_id,product,instalment,due_date,amount_due,amount_paid,currency
            L1,C1,cash,1,2026-01-10,100.00,0,CNY
            L1,C2,cash,2,2026-02-10,100.00,0,CNY
            L1,C1,card,3,2026-03-10,100.00,0,CNY
            L1,C1,cash,4,2026-04-10,100.00,0,USD
            L2,C2,cash,1,2026-01-10,100.00,0,cny

            """,
        ])
        let inputs = try input.load()
        // currency column: 100.00,0, -> L1,C1,cash,4,2026-04-10,100.00,0, is 34 characters, currency at 35.
        #expect(inputs.problems(in: "ledger.csv") == [
            "3:4 loan L1 belongs to customer C1 at line 2",
            "4:7 loan L1 has product cash at line 2",
            "5:34 loan L1 is in CNY at line 2",
            "6:34 currency 'cny' is not an ISO 4217 code such as CNY",
        ])
        #expect(inputs.heldCases == [key("C1", "cash"), key("C2", "cash")])
        #expect(inputs.loansByCase.isEmpty)
    }

    @Test func loansOfOneCaseInDifferentCurrencies() throws {
        let input = try TempInput([
            "customers.csv": Self.customers,
            "ledger.csv": """
            loan_id,customer_id,product,instalment,due_date,amount_due,amount_paid,currency
            L1,C1,cash,1,2026-01-10,100.00,0,CNY
            L2,C1,cash,1,2026-01-10,100.00,0,USD
            L3,C2,cash,1,2026-01-10,100.00,0,

            """,
        ])
        let inputs = try input.load()
        // Reported at the second loan's first row, column 1.
        #expect(inputs.problems(in: "ledger.csv") == ["3:1 loan L2 is in USD but loan L1 of the same case is in CNY"])
        #expect(inputs.heldCases == [key("C1", "cash")])
        #expect(inputs.loansByCase[key("C2", "cash")]?.first?.currency == "CNY")
    }

    @Test func badCustomerRowsRejectTheCustomerAndItsLedgerRows() throws {
        let input = try TempInput([
            "customers.csv": """
            customer_id,score,timezone
            C1,700,
            C2,1200,
            C3,,Mars/Olympus
            C4,500,America/New_York
            C1,600,
            C5,-1,

            """,
            "ledger.csv": ledgerHeader + """
            L1,C1,cash,1,2026-01-10,100.00,0
            L2,C2,cash,1,2026-01-10,100.00,0
            L4,C4,cash,1,2026-01-10,100.00,0

            """,
        ])
        let inputs = try input.load()
        #expect(inputs.problems(in: "customers.csv") == [
            "3:4 score '1200' must be a whole number from 0 to 1000",
            "4:5 unknown IANA time zone 'Mars/Olympus'",
            "6:1 customer C1 is listed twice (first at line 2)",
            "7:4 score '-1' must be a whole number from 0 to 1000",
        ])
        // C1 is dropped in both rows; only C4 survives.
        #expect(Set(inputs.customers.keys) == ["C4"])
        #expect(inputs.problems(in: "ledger.csv") == [
            "2:4 customer C1 was rejected in customers.csv (line 6)",
            "3:4 customer C2 was rejected in customers.csv (line 3)",
        ])
        #expect(inputs.heldCases == [key("C1", "cash"), key("C2", "cash")])
        #expect(Array(inputs.loansByCase.keys) == [key("C4", "cash")])
        // Problems are sorted by file, line and column.
        #expect(inputs.problems == inputs.problems.sorted())
    }

    @Test func unreadableRowsAreReportedAndUnattributable() throws {
        let input = try TempInput([
            "customers.csv": Self.customers,
            "ledger.csv": ledgerHeader + """
            L1,C1,cash,1,2026-01-10,100.00,0
            L1,C1,cash,2,2026-02-10,100.00
            L1,C1,cash,3,2026-03-10,10"0.00,0
            L2,C2,cash,1,2026-01-10,100.00,0

            """,
        ])
        let inputs = try input.load()
        #expect(inputs.problems(in: "ledger.csv").count == 2)
        #expect(inputs.problems(in: "ledger.csv").first == "3:1 expected 7 fields as in the header, found 6")
        // The stray quote: 10"0.00 starts at column 25, the quote is at column 27.
        #expect(inputs.problems.map(\.line) == [3, 4])
        #expect(inputs.problems.map(\.column) == [1, 27])
        #expect(inputs.unattributableRows.map(\.line) == [3, 4])
        #expect(inputs.rowCounts["ledger.csv"] == 4)
    }

    @Test func emptyLoanIDIsUnattributable() throws {
        let input = try TempInput([
            "customers.csv": Self.customers,
            "ledger.csv": ledgerHeader + ",C1,cash,1,2026-01-10,100.00,0\nL2,C2,cash,1,2026-01-10,100.00,0\n",
        ])
        let inputs = try input.load()
        #expect(inputs.problems(in: "ledger.csv") == ["2:1 loan_id is empty"])
        #expect(inputs.unattributableRows.map(\.line) == [2])
        #expect(inputs.loansByCase[key("C2", "cash")]?.count == 1)
    }

    /// The first row of L1 has an invalid product code; its second row is fine. The loan's case is known
    /// (C1/cash) from the second row, so L1 must not be loaded without instalment 1 as if it were paid.
    @Test(arguments: ["L1,C1,ca$h,1,2026-01-10,100.00,0", "L1,,cash,1,2026-01-10,100.00,0", "L1,C\u{7},cash,1,2026-01-10,100.00,0"])
    func badFirstRowOfALoanStillHoldsItsCase(firstRow: String) throws {
        let input = try TempInput([
            "customers.csv": Self.customers,
            "ledger.csv": ledgerHeader + firstRow + "\nL1,C1,cash,2,2026-02-10,100.00,0\nL2,C2,cash,1,2026-01-10,100.00,0\n",
        ])
        let inputs = try input.load()
        #expect(inputs.problems(in: "ledger.csv").count == 1)
        // Held by the case the loan's later row names; not refused as unattributable.
        #expect(inputs.heldCases == [key("C1", "cash")])
        #expect(inputs.unattributableRows.isEmpty)
        #expect(inputs.loansByCase[key("C1", "cash")] == nil)
        #expect(inputs.loansByCase[key("C2", "cash")]?.count == 1)
    }
}

@Suite("InputLoader: events.csv")
struct InputLoaderEventTests {
    @Test func badEventRowsAreRejected() throws {
        let input = try TempInput([
            "customers.csv": "customer_id,score\nC4,500\n",
            "ledger.csv": ledgerHeader,
            "events.csv": """
            at,customer_id,type,value
            2026-02-20T10:00:00+08:00,C4,call_attempt,
            2026-02-20 10:00,C4,call_attempt,
            2026-02-20T10:00:00+08:00,C4,shout,
            2099-01-01T10:00:00Z,C4,sms_sent,
            2026-02-20T10:00:00+08:00,C4,ptp,soon
            2026-02-20T10:00:00+08:00,C4,ptp,
            2026-02-20T10:00:00+08:00,C9,sms_sent,
            2026-02-22T00:30:00+08:00,C4,sms_sent,
            2026-02-21T23:30:00-05:00,C4,sms_sent,
            2026-02-20T10:00:00+08:00,C4,Complaint,

            """,
        ])
        let inputs = try input.load(asOf: "2026-02-21")
        // A 25-character timestamp: customer_id at 27, type at 30, value after "C4,ptp," at 34.
        #expect(inputs.problems(in: "events.csv") == [
            "3:1 at '2026-02-20 10:00' is not an ISO 8601 timestamp with offset, e.g. 2026-11-21T14:03:00+08:00",
            "4:30 unknown event type 'shout'",
            "5:1 event dated 2099-01-01 is after the as-of date 2026-02-21",
            "6:34 a ptp event needs the promised date as its value (YYYY-MM-DD)",
            "7:34 a ptp event needs the promised date as its value (YYYY-MM-DD)",
            "8:27 customer C9 is not in customers.csv",
            // 00:30 on the 22nd at +08:00 is still the 21st in UTC, but the event's own date is the 22nd.
            "9:1 event dated 2026-02-22 is after the as-of date 2026-02-21",
            "11:30 unknown event type 'Complaint'",
        ])
        #expect(inputs.events.map(\.kind) == [.callAttempt, .smsSent])
        #expect(inputs.rowCounts["events.csv"] == 10)
        // Event problems never hold cases; they hold the contacts of known customers tonight.
        #expect(inputs.heldCases.isEmpty)
        #expect(inputs.customersWithUnreadEvents == ["C4"])
        #expect(inputs.unattributableEventRows.isEmpty)
    }

    /// An event row whose customer cannot be known is never skipped: it may be a stop request.
    @Test func eventRowsWithoutACustomerAreUnattributable() throws {
        let input = try TempInput([
            "customers.csv": "customer_id,score\nC4,500\n",
            "ledger.csv": ledgerHeader,
            "events.csv": "at,customer_id,type,value\n2026-02-20T10:00:00+08:00,,stop_collection,\n2026-02-20T10:00:00+08:00,C4\n",
        ])
        let inputs = try input.load(asOf: "2026-02-21")
        #expect(inputs.unattributableEventRows.map(\.line) == [2, 3])
        #expect(inputs.customersWithUnreadEvents.isEmpty)
    }

    @Test func missingEventsFileIsNoEvents() throws {
        let input = try TempInput(["customers.csv": "customer_id,score\n", "ledger.csv": ledgerHeader])
        #expect(try input.load().events.isEmpty)
    }
}

@Suite("InputLoader: whole-file problems")
struct InputLoaderFileErrorTests {
    @Test func missingLedgerFile() throws {
        let input = try TempInput(["customers.csv": "customer_id,score\n"])
        do {
            _ = try input.load()
            Issue.record("expected missingFile")
        } catch {
            guard case .missingFile(let d) = error else {
                Issue.record("expected missingFile, got \(error)")
                return
            }
            #expect(d.file == input.file("ledger.csv"))
            #expect(d.line == 1 && d.column == 1)
        }
    }

    @Test func missingCustomersFileIsReadFirst() throws {
        let input = try TempInput([:])
        do {
            _ = try input.load()
            Issue.record("expected missingFile")
        } catch {
            guard case .missingFile(let d) = error else {
                Issue.record("expected missingFile, got \(error)")
                return
            }
            #expect(d.file == input.file("customers.csv"))
        }
    }

    @Test func missingRequiredColumn() throws {
        let input = try TempInput([
            "customers.csv": "customer_id,score\nC1,\n",
            "ledger.csv": "loan_id,customer_id,product,instalment,due_date,amount_due\nL1,C1,cash,1,2026-01-10,100.00\n",
        ])
        do {
            _ = try input.load()
            Issue.record("expected unreadable")
        } catch {
            guard case .unreadable(let diagnostics) = error else {
                Issue.record("expected unreadable, got \(error)")
                return
            }
            #expect(diagnostics.count == 1)
            #expect(diagnostics.first?.file == input.file("ledger.csv"))
            #expect(diagnostics.first.map { ($0.line, $0.column) } ?? (0, 0) == (1, 1))
            #expect(diagnostics.first?.message.contains("amount_paid") == true)
            #expect(diagnostics.first?.message.contains("missing required column") == true)
        }
    }

    /// A header that lacks its columns says why when the file shows it.
    @Test(arguments: [
        (Data([0xFF, 0xFE]) + "customer_id,score\n".data(using: .utf16LittleEndian)!, "the file looks UTF-16 encoded"),
        (Data([0x63, 0xD5, 0xC5, 0x2C, 0x73, 0x0A]), "the header is not valid UTF-8"), // GBK bytes in a name
        (Data("C1,700\nC2,650\n".utf8), "found 'C1' where the header should start"),
        (Data("customer_id,scroe\nC1,700\n".utf8), nil), // a misspelt column: just the missing one
    ] as [(Data, String?)])
    func missingColumnsGetAHintFromTheFile(customers: Data, hint: String?) throws {
        let input = try TempInput(["ledger.csv": ledgerHeader])
        try customers.write(to: URL(fileURLWithPath: input.file("customers.csv")))
        do {
            _ = try input.load()
            Issue.record("expected unreadable")
        } catch {
            guard case .unreadable(let diagnostics) = error, let message = diagnostics.first?.message else {
                Issue.record("expected unreadable, got \(error)")
                return
            }
            #expect(message.hasPrefix("missing required column"))
            if let hint { #expect(message.contains("; " + hint), "\(message)") } else { #expect(message == "missing required column score") }
        }
    }

    @Test func missingColumnsWithSemicolonHeaderGetAHint() throws {
        let input = try TempInput([
            "customers.csv": "customer_id;score\nC1;\n",
            "ledger.csv": ledgerHeader,
        ])
        do {
            _ = try input.load()
            Issue.record("expected unreadable")
        } catch {
            guard case .unreadable(let diagnostics) = error else {
                Issue.record("expected unreadable, got \(error)")
                return
            }
            #expect(diagnostics.first?.file == input.file("customers.csv"))
            #expect(diagnostics.first?.message.contains("customer_id") == true)
            #expect(diagnostics.first?.message.contains("other than commas") == true)
        }
    }

    @Test func emptyLedgerFile() throws {
        let input = try TempInput(["customers.csv": "customer_id,score\n", "ledger.csv": ""])
        do {
            _ = try input.load()
            Issue.record("expected unreadable")
        } catch {
            guard case .unreadable(let diagnostics) = error else {
                Issue.record("expected unreadable, got \(error)")
                return
            }
            #expect(diagnostics.map(\.file) == [input.file("ledger.csv")])
        }
    }

    @Test func brokenHeaderQuoting() throws {
        let input = try TempInput(["customers.csv": "customer_id,\"score\n", "ledger.csv": ledgerHeader])
        do {
            _ = try input.load()
            Issue.record("expected unreadable")
        } catch {
            guard case .unreadable(let diagnostics) = error else {
                Issue.record("expected unreadable, got \(error)")
                return
            }
            // The unclosed quote opens at line 1, column 13.
            #expect(diagnostics.map { "\($0.line):\($0.column)" } == ["1:13"])
        }
    }
}
