import DunningCore
import Foundation
import Testing
@testable import DunningIO

@Suite("InputLoader: good files")
struct InputLoaderGoodFilesTests {
    @Test func loansAreGroupedByCustomerAndProduct() throws {
        let input = try TempInput([
            "customers.csv": """
            customer_id,score,timezone,emergency_contacts
            C1,700,Asia/Shanghai,1
            C2,,,
            C3,0,Asia/Shanghai|Asia/Urumqi,

            """,
            "ledger.csv": ledgerHeader + """
            L1,C1,cash,2,2026-04-10,1000.00,0
            L1,C1,cash,1,2026-03-10,1000.00,250.5
            L2,C1,cash,1,2026-03-15,500,0
            L3,C1,ecom,1,2026-03-01,99.99,99.99
            L4,C2,cash,1,2026-03-12,.5,0

            """,
        ])
        let inputs = try input.load()
        #expect(inputs.problems.isEmpty)
        #expect(inputs.heldCases.isEmpty)
        #expect(inputs.unattributableRows.isEmpty)
        #expect(inputs.rowCounts["customers.csv"] == 3)
        #expect(inputs.rowCounts["ledger.csv"] == 5)
        #expect(inputs.rowCounts["events.csv"] == nil)
        #expect(inputs.events.isEmpty)
        #expect(Set(inputs.loansByCase.keys) == [key("C1", "cash"), key("C1", "ecom"), key("C2", "cash")])

        let c1cash = try #require(inputs.loansByCase[key("C1", "cash")]).sorted { $0.id < $1.id }
        #expect(c1cash.map(\.id) == ["L1", "L2"])
        let l1 = c1cash[0]
        #expect(l1.customerID == "C1")
        #expect(l1.product == "cash")
        #expect(l1.currency == "CNY") // no currency column: the strategy's
        // Instalments sorted by due date whatever the row order.
        #expect(l1.instalments == [
            Instalment(number: 1, due: Day(iso: "2026-03-10")!, amountDue: Money(minorUnits: 100_000), amountPaid: Money(minorUnits: 25_050)),
            Instalment(number: 2, due: Day(iso: "2026-04-10")!, amountDue: Money(minorUnits: 100_000), amountPaid: .zero),
        ])
        #expect(c1cash[1].instalments.map(\.amountDue) == [Money(minorUnits: 50_000)])
        #expect(inputs.loansByCase[key("C2", "cash")]?.first?.instalments.first?.amountDue == Money(minorUnits: 50))

        #expect(inputs.customers["C1"] == Customer(id: "C1", score: 700, timeZone: "Asia/Shanghai", emergencyContacts: 1))
        #expect(inputs.customers["C2"] == Customer(id: "C2", score: nil, timeZone: nil, emergencyContacts: 0))
        #expect(inputs.customers["C3"] == Customer(id: "C3", score: 0, timeZone: "Asia/Shanghai|Asia/Urumqi", emergencyContacts: 0))
    }

    @Test func columnsInAnyOrderAndUnknownColumnsIgnored() throws {
        let input = try TempInput([
            "customers.csv": "Score,notes,CUSTOMER_ID\n650,\"vip, call after 10\",C1\n",
            "ledger.csv": """
            amount_paid,Due_Date, note ,\t LOAN_ID ,product,customer_id,instalment,amount_due,currency
            0,2026-03-10,"free, text",L1,cash,C1,1,100.00,USD
            10.00,2026-04-10,,L1,cash,C1,2,100.00,USD

            """,
        ])
        let inputs = try input.load()
        #expect(inputs.problems.isEmpty)
        #expect(inputs.customers["C1"]?.score == 650)
        let loan = try #require(inputs.loansByCase[key("C1", "cash")]?.first)
        #expect(loan.id == "L1")
        #expect(loan.currency == "USD")
        #expect(loan.instalments.map(\.number) == [1, 2])
        #expect(loan.instalments.map(\.amountPaid) == [.zero, Money(minorUnits: 1000)])
    }

    @Test func crlfAndByteOrderMarkAndBlankLines() throws {
        let input = try TempInput([
            "customers.csv": "\u{FEFF}customer_id,score\r\nC1,1\r\n\r\n",
            "ledger.csv": "\u{FEFF}" + ledgerHeader.replacingOccurrences(of: "\n", with: "\r\n")
                + "\r\nL1,C1,cash,1,2026-03-10,100.00,0\r\n",
        ])
        let inputs = try input.load()
        #expect(inputs.problems.isEmpty)
        #expect(inputs.customers["C1"]?.score == 1)
        #expect(inputs.loansByCase[key("C1", "cash")]?.first?.instalments.count == 1)
        #expect(inputs.rowCounts["ledger.csv"] == 1)
    }

    @Test func headerOnlyFilesAreEmptyInputs() throws {
        let input = try TempInput(["customers.csv": "customer_id,score\n", "ledger.csv": ledgerHeader])
        let inputs = try input.load()
        #expect(inputs.loansByCase.isEmpty)
        #expect(inputs.customers.isEmpty)
        #expect(inputs.problems.isEmpty)
    }

    @Test func paidToleranceAcceptsSmallOverpayment() throws {
        let input = try TempInput([
            "customers.csv": "customer_id,score\nC1,\n",
            "ledger.csv": ledgerHeader + "L1,C1,cash,1,2026-03-10,100.00,100.05\nL2,C1,cash,1,2026-03-10,100.00,100.06\n",
        ])
        let inputs = try input.load(tolerance: Money(minorUnits: 5))
        // 0.05 over is within the tolerance and counts as paid; 0.06 over is a data error (line 3, amount_paid at column 32).
        #expect(inputs.problems(in: "ledger.csv") == ["3:32 amount_paid 100.06 exceeds amount_due 100.00 by more than the tolerance 0.05"])
        #expect(inputs.heldCases == [key("C1", "cash")])
    }

    @Test func eventsAreParsedAndSorted() throws {
        let input = try TempInput([
            "customers.csv": "customer_id,score\nC4,500\nC1,\n",
            "ledger.csv": ledgerHeader,
            "events.csv": """
            at,customer_id,type,value
            2026-02-21T23:30:00-05:00,C4,sms_sent,
            2026-02-20T10:00:00+08:00,C4,ptp,2026-02-25
            2026-02-20T02:00:00Z,C4,call_attempt,
            2026-02-19T09:00:00+08:00,C1,complaint,"rude, twice"

            """,
        ])
        let inputs = try input.load(asOf: "2026-02-21")
        #expect(inputs.problems.isEmpty)
        #expect(inputs.rowCounts["events.csv"] == 4)
        // By customer, then instant, then type: C1 first; C4's two events at 02:00Z tie and sort by type.
        #expect(inputs.events.map(\.customerID) == ["C1", "C4", "C4", "C4"])
        #expect(inputs.events.map(\.kind) == [.complaint, .callAttempt, .ptp, .smsSent])
        // Only a promise's date is kept: the complaint's note is dropped unread.
        #expect(inputs.events.map(\.value) == ["", "", "2026-02-25", ""])
        #expect(inputs.events[3].at == "2026-02-21T23:30:00-05:00")
        #expect(inputs.events[3].localDay.description == "2026-02-21")
    }

    @Test func duplicateColumnNameUsesTheFirst() throws {
        let input = try TempInput([
            "customers.csv": "customer_id,score,score\nC1,5,7\n",
            "ledger.csv": ledgerHeader,
        ])
        #expect(try input.load().customers["C1"]?.score == 5)
    }

    @Test func identifiersWithControlCharactersOrTooLong() throws {
        let long = String(repeating: "x", count: 129)
        let input = try TempInput([
            "customers.csv": "customer_id,score\n\"C\t9\",1\n\(long),2\nC1,\n",
            "ledger.csv": ledgerHeader,
        ])
        let inputs = try input.load()
        // A quoted field is located at its first character (column 2).
        #expect(inputs.problems(in: "customers.csv") == [
            "2:2 customer_id contains control characters",
            "3:1 customer_id is longer than 128 bytes",
        ])
        #expect(Set(inputs.customers.keys) == ["C1"])
    }
}
