import DunningCore
import Foundation
import GRDB

/// What the store says about itself (`store_info`, migration v9).
public struct StoreInfo: Sendable, Equatable {
    /// When `dunning init` made it (ISO 8601), or the first commit of a store made before v9.
    public var createdAt: String
    /// The engine that made it.
    public var createdBy: String
    /// Milestones that fell due before this date are recorded as acted on by the previous
    /// system (`dunning init --adopt-before`); nil for a new book.
    public var adoptBefore: Day?
    /// Random, made with the store: its backups carry it (`StoreBackups`).
    public var storeID: String
    /// Random, new with every commit: names the state the store is in.
    public var stateToken: String
}

extension StateStore {
    /// Why `create` refused.
    public enum CreationError: Error, Sendable, CustomStringConvertible {
        /// A file (or directory) is already at the path: init never overwrites.
        case exists(String)
        case cannotCreate(String)

        public var description: String {
            switch self {
            case .exists(let message), .cannotCreate(let message): return message
            }
        }
    }

    /// Makes a new, migrated store at `path` (and its directory), or refuses when anything is
    /// already there. The store is built under a temporary name and then hard-linked into place,
    /// which fails if the name was taken meanwhile: two inits at once make one store, and a store
    /// half made (the process killed) never appears under the real name.
    public static func create(path: String, adoptBefore: Day?, engineVersion: String, createdAt: String) throws(CreationError) {
        if FileManager.default.fileExists(atPath: path) || isDanglingLink(path) {
            throw .exists("\(path) already exists; `dunning init` never overwrites a file (\(describeExisting(path)))")
        }
        // What an earlier store at this path left behind would be taken for the new store's: an
        // unfinished transaction's journal would be replayed into it, old backups rolled back to.
        for leftover in [path + "-journal", path + "-wal", path + "-shm", StorePath.backupDirectory(of: path)]
        where FileManager.default.fileExists(atPath: leftover) {
            throw .exists("\(leftover) is left from an earlier store at \(path): move it aside (keep it if that store may be needed again), then run `dunning init` again")
        }
        let directory = PathText.directory(of: path)
        if !directory.isEmpty {
            do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw .cannotCreate("cannot create the store directory \(directory): \(error.localizedDescription)")
            }
        }
        let temporary = path + ".init-\(getpid())"
        defer { unlink(temporary) }
        do {
            unlink(temporary)
            let fd = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw CreationError.cannotCreate("cannot create \(temporary): \(String(cString: strerror(errno)))") }
            close(fd)
            let queue = try DatabaseQueue(path: temporary, configuration: writingConfiguration())
            // Before the first table: larger pages (fewer, shallower B-trees for millions of rows
            // a night). A store keeps the page size it was made with.
            try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA page_size = \(Self.pageSize)") }
            try Schema.migrator.migrate(queue)
            try queue.write { db in
                try db.execute(sql: "UPDATE store_info SET created_at = ?, created_by = ?, adopt_before = ?, store_id = lower(hex(randomblob(16))), state_token = lower(hex(randomblob(16))) WHERE id = 1",
                               arguments: [createdAt, "dunning \(engineVersion)", adoptBefore?.description])
            }
            try queue.close()
        } catch let error as CreationError {
            throw error
        } catch {
            throw .cannotCreate("cannot create the state store \(path): \(error)")
        }
        guard link(temporary, path) == 0 else {
            let code = errno
            if code == EEXIST { throw .exists("\(path) already exists; `dunning init` never overwrites a file") }
            throw .cannotCreate("cannot create the state store \(path): \(String(cString: strerror(code)))")
        }
        FileDurability.syncDirectory(of: path)
    }

    static func isDanglingLink(_ path: String) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
    }

    /// What is at an existing path, for the refusal message.
    private static func describeExisting(_ path: String) -> String {
        if StorePath.isDirectory(path) { return "it is a directory" }
        guard let store = try? openReadOnly(path: path), let last = try? store.lastRunDate() else {
            return (try? openReadOnly(path: path)) != nil ? "a dunning store with no committed night yet" : "it is not a dunning store"
        }
        return "a dunning store whose last committed night is \(last)"
    }

    /// The store's own record of itself.
    public func info() throws -> StoreInfo {
        try db.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT created_at, created_by, adopt_before, store_id, state_token FROM store_info WHERE id = 1") else {
                return StoreInfo(createdAt: "", createdBy: "", adoptBefore: nil, storeID: "", stateToken: "")
            }
            return StoreInfo(createdAt: row[0], createdBy: row[1], adoptBefore: (row[2] as String?).flatMap { Day(iso: $0) },
                             storeID: row[3], stateToken: row[4])
        }
    }

    /// The state a rollback of `night` returns to (`runs.parent_token`); nil when unknown (a
    /// night committed before v9, or none).
    public func parentToken(of night: Day) throws -> String? {
        try db.read { db in
            try String.fetchOne(db, sql: "SELECT parent_token FROM runs WHERE run_date = ?", arguments: [night.description])
        }
    }
}

/// fsync for the directory entries a rename or link creates: without it a power loss can undo them.
enum FileDurability {
    static func syncDirectory(of path: String) {
        let directory = PathText.directory(of: path)
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    static func syncFile(_ path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
