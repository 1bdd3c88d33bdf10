import DunningCore
import Foundation
import GRDB
import Testing
@testable import DunningStore

/// Stores are made only by `create`, and the backups that let the last night be undone.
@Suite struct StoreCreationTests {
    let d1 = Day(iso: "2026-03-01")!

    func record(_ day: Day) -> RunRecord {
        RunRecord(runDate: day, strategyName: "s", strategyHash: "h", engineVersion: "t", committedAt: "now",
                  openCases: 0, actions: 0, rejectedRows: 0, summaryJSON: "{}")
    }

    @Test func createMakesAMigratedStoreAndNeverOverwrites() throws {
        let path = StoreSupport.temporaryPath("create") + "/sub/s.sqlite"
        try StateStore.create(path: path, adoptBefore: d1, engineVersion: "9.9", createdAt: "2026-12-04T02:30:00Z")
        let store = try #require(try StateStore.openReadOnly(path: path))
        let info = try store.info()
        #expect(info.adoptBefore == d1)
        #expect(info.createdBy == "dunning 9.9")
        #expect(info.createdAt == "2026-12-04T02:30:00Z")
        #expect(try store.scalar("PRAGMA page_size") == StateStore.pageSize)
        #expect(try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent) == ["s.sqlite"])
        #expect { try StateStore.create(path: path, adoptBefore: nil, engineVersion: "9.9", createdAt: "x") } throws: {
            ($0 as? StateStore.CreationError)?.description.contains("already exists") == true
        }
        #expect(try StateStore.openReadOnly(path: path)?.info().adoptBefore == d1)
    }

    @Test func aRunRefusesAMissingPathAnEmptyFileAndAForeignDatabase() throws {
        let missing = StoreSupport.temporaryPath("missing")
        #expect { try StateStore.openForWriting(path: missing) } throws: { "\($0)".contains("no state store at") }
        #expect(!FileManager.default.fileExists(atPath: missing))
        let empty = StoreSupport.temporaryPath("empty")
        _ = FileManager.default.createFile(atPath: empty, contents: nil)
        #expect { try StateStore.openForWriting(path: empty) } throws: { "\($0)".contains("is not a dunning state store") }
        #expect(try Data(contentsOf: URL(fileURLWithPath: empty)).isEmpty)
        let foreign = StoreSupport.temporaryPath("foreign")
        try DatabaseQueue(path: foreign).write { try $0.execute(sql: "CREATE TABLE t (x)") }
        #expect { try StateStore.openForWriting(path: foreign) } throws: { "\($0)".contains("is not a dunning state store") }
        #expect { try StateStore.openReadOnly(path: foreign) } throws: { "\($0)".contains("is not a dunning state store") }
    }

    @Test func specialNamesAreNotStorePaths() {
        for name in ["", "  ", ":memory:", "file::memory:", "File:x?mode=memory", "dir/"] {
            #expect(StorePath.problem(name) != nil, "\(name)")
        }
        for name in ["var/dunning.sqlite", "/srv/d.sqlite", "memory.sqlite", "./file.sqlite"] {
            #expect(StorePath.problem(name) == nil, "\(name)")
        }
    }

    @Test func backupsAreTakenOncePerNightPrunedAndRestored() throws {
        let store = try StoreSupport.newStore("backups")
        let backups = StoreBackups(storePath: store.path)
        try backups.keep(before: d1, store: store)
        try store.commit(run: record(d1), actions: [], cases: [], events: [])
        try backups.keep(before: d1 + 1, store: store)
        try store.commit(run: record(d1 + 1), actions: [], cases: [], events: [])
        // A re-run of d1 + 1 keeps the copy its first run took.
        let first = try Data(contentsOf: URL(fileURLWithPath: backups.path(before: d1 + 1)))
        try backups.keep(before: d1 + 1, store: store)
        #expect(try Data(contentsOf: URL(fileURLWithPath: backups.path(before: d1 + 1))) == first)
        #expect(backups.nights() == [d1, d1 + 1])
        let identity = try store.info().storeID
        #expect(StoreBackups.identity(of: backups.path(before: d1 + 1))?.lastNight == d1)
        #expect(StoreBackups.identity(of: backups.path(before: d1 + 1))?.storeID == identity)
        #expect(StoreBackups.identity(of: backups.path(before: d1))?.lastNight == nil)
        // Half-made copies of a killed run go; only the newest `count` stay.
        _ = FileManager.default.createFile(atPath: backups.directory + "/.tmp-1-before-2026-03-09.sqlite", contents: Data("x".utf8))
        try backups.keep(before: d1 + 2, store: store)
        #expect(try !FileManager.default.contentsOfDirectory(atPath: backups.directory).contains { $0.hasPrefix(".tmp-") })
        backups.prune(keeping: 2)
        #expect(backups.nights() == [d1 + 1, d1 + 2])
        // Restoring puts the backup in place and keeps the replaced store aside.
        try backups.restore(before: d1 + 2)
        #expect(try StateStore.openReadOnly(path: store.path)?.lastRunDate() == d1 + 1)
        #expect(FileManager.default.fileExists(atPath: backups.undonePath(of: d1 + 2)))
        #expect(backups.nights() == [d1 + 1])
    }

    /// A copy counts only if it is of this store, as it was before the night.
    @Test func aCopyOfAnotherStoreOrOfTheNightItselfIsNeverUsed() throws {
        let store = try StoreSupport.newStore("identity")
        let backups = StoreBackups(storePath: store.path)
        try store.commit(run: record(d1), actions: [], cases: [], events: [])
        // A re-run of d1 with no copy from before its first run: none can be made now.
        #expect(try backups.keep(before: d1, store: store) == .impossible)
        #expect(backups.nights().isEmpty)
        // A copy left by another store at this path is replaced, not reused.
        let other = try StoreSupport.newStore("other")
        try StoreBackups(storePath: other.path).keep(before: d1 + 1, store: other)
        try FileManager.default.createDirectory(atPath: backups.directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: StoreBackups(storePath: other.path).path(before: d1 + 1), toPath: backups.path(before: d1 + 1))
        #expect(try backups.keep(before: d1 + 1, store: store) == .taken)
        #expect(StoreBackups.identity(of: backups.path(before: d1 + 1))?.storeID == (try store.info().storeID))
        #expect(try backups.keep(before: d1 + 1, store: store) == .reused)
        // A copy of another state of this store (before d1 + 1, but since rolled back and re-run
        // differently) is no copy of the state now: replaced.
        try store.commit(run: record(d1 + 1), actions: [], cases: [], events: [])
        try backups.restore(before: d1 + 1)
        try FileManager.default.copyItem(atPath: store.path, toPath: backups.path(before: d1 + 1)) // the state after d1
        let reopened = try StateStore.openForWriting(path: store.path)
        try reopened.commit(run: record(d1), actions: [], cases: [], events: []) // a re-run of d1: a new state
        #expect(try backups.keep(before: d1 + 1, store: reopened) == .taken)
    }
}
