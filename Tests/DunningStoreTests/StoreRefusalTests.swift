import DunningCore
import Foundation
import GRDB
import Testing
@testable import DunningStore

/// Files that are not this engine's store are refused before a byte of them changes: another
/// application's database (GRDB's too), and a store migrated by a newer engine.
@Suite struct StoreRefusalTests {
    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// Another GRDB application's database: it has `grdb_migrations`, but not ours. With tables
    /// named like ours (`runs`) or not, nothing is added to it.
    @Test(arguments: ["CREATE TABLE users (id INTEGER PRIMARY KEY)", "CREATE TABLE runs (run_date TEXT)"])
    func anotherGRDBApplicationsDatabaseIsNotTouched(table: String) throws {
        let path = StoreSupport.temporaryPath("foreign-grdb")
        var migrator = DatabaseMigrator()
        migrator.registerMigration("createUsers") { try $0.execute(sql: table) }
        try migrator.migrate(DatabaseQueue(path: path))
        let before = try Self.bytes(path)
        #expect { try StateStore.openForWriting(path: path) } throws: { "\($0)".contains("is not a dunning state store") }
        #expect { try StateStore.openReadOnly(path: path) } throws: { "\($0)".contains("is not a dunning state store") }
        #expect(try Self.bytes(path) == before)
    }

    /// A store a newer engine migrated (a migration this one does not know) is refused with both
    /// versions named, for writing and for reading.
    @Test func aStoreMigratedByANewerEngineIsRefused() throws {
        let path = StoreSupport.temporaryPath("newer")
        try StateStore.create(path: path, adoptBefore: nil, engineVersion: "test", createdAt: "2026-12-04T00:00:00Z")
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v42-future')")
            try db.execute(sql: """
                INSERT INTO runs (run_date, strategy_name, strategy_hash, engine_version, committed_at, open_cases, actions, rejected_rows, summary_json)
                VALUES ('2026-12-01', 's', 'h', '9.1.0', 'x', 0, 0, 0, '{}')
                """)
        }
        let before = try Self.bytes(path)
        for open in [{ _ = try StateStore.openForWriting(path: path) }, { _ = try StateStore.openReadOnly(path: path) }] {
            #expect { try open() } throws: { error in
                let text = "\(error)"
                return text.contains("was migrated by a newer dunning engine") && text.contains("v42-future")
                    && text.contains("this engine (\(EngineVersion.current)") && text.contains("committed by dunning 9.1.0")
            }
        }
        #expect(try Self.bytes(path) == before)
    }
}
