import DunningCore
import Foundation
import GRDB
import Testing
@testable import DunningStore

/// Migration v8 removes the free text earlier versions stored with events: only a promise's date
/// is kept, and rows that differed only by their text become one.
@Suite struct EventValueMigrationTests {
    @Test func storedNotesAreErasedAndPromisesKept() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("v8-\(UUID().uuidString).sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v7")
        let rows: [StatementArguments] = [
            ["C1", "2026-02-20T10:00:00+08:00", 1, "call_connected", "spoke to wife, 13800138000", "2026-02-20"],
            // The same call sent again with another note on a later night: one event.
            ["C1", "2026-02-20T10:00:00+08:00", 1, "call_connected", "note edited", "2026-02-21"],
            ["C1", "2026-02-20T11:00:00+08:00", 2, "complaint", "", "2026-02-20"],
            ["C1", "2026-02-20T11:00:00+08:00", 2, "complaint", "about the caller", "2026-02-21"],
            ["C1", "2026-02-20T12:00:00+08:00", 3, "ptp", "2026-02-25", "2026-02-20"],
            ["C2", "2026-02-20T12:00:00+08:00", 3, "sms_sent", "Dear Zhang San", "2026-02-20"],
        ]
        try queue.write { db in
            for row in rows {
                try db.execute(sql: "INSERT INTO events (customer_id, at, epoch_seconds, type, value, received_on) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: row)
            }
        }
        try Schema.migrator.migrate(queue)
        let after = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT customer_id, type, value, received_on FROM events ORDER BY customer_id, epoch_seconds")
                .map { "\($0[0] as String) \($0[1] as String) '\($0[2] as String)' \($0[3] as String)" }
        }
        #expect(after == [
            "C1 call_connected '' 2026-02-20",
            "C1 complaint '' 2026-02-20",
            "C1 ptp '2026-02-25' 2026-02-20",
            "C2 sms_sent '' 2026-02-20",
        ])
    }
}
