import DunningCore
import Foundation
import GRDB
import Testing
@testable import DunningStore

/// Migration v7 moves milestones into a compact table behind a view of the old columns: a store
/// made before it must read exactly as it did, through the view and through the engine.
@Suite struct MilestoneLogMigrationTests {
    static let rows: [StatementArguments] = [
        ["C1/cash/1", "C1", "cash", 1, "", "case_opened", "2026-02-27", "2026-03-01", 500, ""],
        ["C1/cash/1", "C1", "cash", 1, "", "bucket_changed", "2026-03-01", "2026-03-01", nil, "current->M0"],
        ["C1/cash/1", "C1", "cash", 1, "L1", "penalty_started", "2026-03-02", "2026-03-02", 500, ""],
        // A customer ID with slashes: the product is read from the right of the case ID.
        ["C/7/x/ecommerce/12", "C/7/x", "ecommerce", 12, "", "case_opened", "1999-12-31", "2026-03-02", 1, ""],
    ]

    @Test func aStoreFromBeforeV7ReadsTheSameAfterIt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("v7-\(UUID().uuidString).sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v6")
        try queue.write { db in
            for row in Self.rows {
                try db.execute(sql: """
                    INSERT INTO milestones (case_id, customer_id, product, episode, loan_id, action, due_on, acted_on, amount, detail)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: row)
            }
        }
        let query = "SELECT rowid, case_id, customer_id, product, episode, loan_id, action, due_on, acted_on, amount, detail FROM milestones ORDER BY rowid"
        let before = try queue.read { try Row.fetchAll($0, sql: query) }
        try Schema.migrator.migrate(queue)
        let after = try queue.read { try Row.fetchAll($0, sql: query) }
        #expect(after == before)
        #expect(after.count == 4)
        // The compact table holds day numbers.
        let acted: Int = try #require(try queue.read { try Int.fetchOne($0, sql: "SELECT acted_on FROM milestone_log WHERE rowid = 1") })
        #expect(acted == Int(Day(iso: "2026-03-01")!.number))

        let store = try StateStore.openForWriting(path: path)
        let history = try store.history(before: Day(iso: "2026-03-03")!)
        #expect(history[CaseKey(customerID: "C1", product: "cash")]?.loanMilestones["L1"]?[.penaltyStarted] == Day(iso: "2026-03-02"))
        #expect(history[CaseKey(customerID: "C1", product: "cash")]?.bucket == "M0")
        #expect(history[CaseKey(customerID: "C/7/x", product: "ecommerce")]?.episode == 12)
        let explained = try store.milestones(caseID: "C/7/x/ecommerce/12", through: Day(iso: "2026-03-02")!)
        #expect(explained.map(\.dueOn) == [Day(iso: "1999-12-31")!])
        #expect(explained.first?.caseKey == CaseKey(customerID: "C/7/x", product: "ecommerce"))
    }

    @Test func caseIDsReadFromTheRight() {
        #expect(CaseKey(caseID: "C1/cash/1") == CaseKey(customerID: "C1", product: "cash"))
        #expect(CaseKey(caseID: "a/b/c/d/3") == CaseKey(customerID: "a/b/c", product: "d"))
        #expect(CaseKey(caseID: "C1/cash") == nil)
        #expect(CaseKey(caseID: "/cash/1") == nil)
        #expect(CaseKey(caseID: "C1//1") == nil)
    }
}
