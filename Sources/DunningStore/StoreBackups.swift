import DunningCore
import Foundation
import GRDB

/// Copies of the store as it was before each of its last committed nights, so that the last
/// night can be undone (`dunning rollback`).
///
/// They live beside the store in `<store>.backups/`: `before-<night>.sqlite` holds exactly what
/// the store held before `<night>` was committed, taken with SQLite's online backup (a page copy,
/// consistent even while a dry run reads). A rollback moves the store it replaces to
/// `undone-<night>.sqlite`, so a rollback made by mistake can itself be undone by hand.
public struct StoreBackups: Sendable {
    public let storePath: String
    public var directory: String { StorePath.backupDirectory(of: storePath) }

    /// A store reached through a symbolic link is backed up and restored where the file really
    /// is, so that a rollback replaces the file, not the link.
    public init(storePath: String) { self.storePath = StorePath.resolved(storePath) }

    public enum BackupError: Error, Sendable, CustomStringConvertible {
        case io(String)
        public var description: String {
            switch self { case .io(let message): return message }
        }
    }

    static let before = "before-", undone = "undone-", suffix = ".sqlite", temporaryPrefix = ".tmp-"

    public func path(before night: Day) -> String { directory + "/" + Self.before + night.description + Self.suffix }
    public func undonePath(of night: Day) -> String { directory + "/" + Self.undone + night.description + Self.suffix }

    /// Nights with a backup taken before them, oldest first.
    public func nights() -> [Day] { days(prefix: Self.before) }

    private func days(prefix: String) -> [Day] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name -> Day? in
            guard name.hasPrefix(prefix), name.hasSuffix(Self.suffix) else { return nil }
            return Day(iso: name.dropFirst(prefix.count).dropLast(Self.suffix.count))
        }.sorted()
    }

    /// What `keep` did.
    public enum Kept: Sendable, Equatable {
        case taken, reused
        /// A re-run of `night` with no copy from before its first run (that run kept none): the
        /// store now holds the night, so no copy of it can stand for the state before it.
        case impossible
    }

    /// Makes sure a copy of `store` as it was before `night` is kept. A re-run of `night` finds
    /// the copy its first run took (the store before that run held the same as now minus the
    /// night being replaced) and keeps it. A copy counts only when it holds exactly that state:
    /// the state token it carries is the one the store had before `night` was first committed
    /// (a copy left by a night that failed, or of a state since rolled back, never is).
    @discardableResult
    public func keep(before night: Day, store: StateStore) throws(BackupError) -> Kept {
        let target = path(before: night)
        let expected: String?, rerun: Bool
        do {
            rerun = try store.lastRunDate() == night
            expected = rerun ? try store.parentToken(of: night) : try store.info().stateToken
        } catch {
            throw .io("cannot read the state store \(storePath) to back it up: \(error)")
        }
        if let expected, Self.identity(of: target)?.stateToken == expected { return .reused }
        if rerun { return .impossible }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .io("cannot create the backup directory \(directory): \(error.localizedDescription)")
        }
        removeTemporaries()
        let temporary = directory + "/" + Self.temporaryPrefix + "\(getpid())-" + Self.before + night.description + Self.suffix
        do {
            let fd = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw BackupError.io("cannot create \(temporary): \(String(cString: strerror(errno)))") }
            close(fd)
            let copy = try DatabaseQueue(path: temporary)
            try store.db.backup(to: copy)
            try copy.close()
        } catch {
            unlink(temporary)
            throw .io("cannot back up the state store to \(temporary): \(error)")
        }
        FileDurability.syncFile(temporary)
        guard rename(temporary, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .io("cannot back up the state store to \(target): \(reason)")
        }
        FileDurability.syncDirectory(of: target)
        return .taken
    }

    /// Removes half-made copies left by a run that was killed while it backed up (the caller
    /// holds the run lock, so no other run is making one).
    private func removeTemporaries() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(Self.temporaryPrefix) {
            unlink(directory + "/" + name)
        }
    }

    /// Keeps the newest `count` backups (and as many undone stores); deletes the rest.
    public func prune(keeping count: Int) {
        for (prefix, days) in [(Self.before, nights()), (Self.undone, days(prefix: Self.undone))] where days.count > count {
            for day in days.dropLast(count) {
                unlink(directory + "/" + prefix + day.description + Self.suffix)
            }
        }
    }

    /// Replaces the store with its backup from before `night`; the store it replaces is kept as
    /// `undone-<night>.sqlite`. The store's path names a complete store at every moment: the
    /// current one is first linked under its new name, then the backup is renamed over it.
    /// The caller holds the run lock and has opened the store once (so no hot journal is left).
    public func restore(before night: Day) throws(BackupError) {
        for suffix in ["-journal", "-wal"] where FileManager.default.fileExists(atPath: storePath + suffix) {
            throw .io("\(storePath)\(suffix) is still there after the store was opened: another program may be writing to the store; stop it, then roll back")
        }
        let backup = path(before: night), aside = undonePath(of: night)
        unlink(aside)
        guard link(storePath, aside) == 0 else {
            throw .io("cannot keep the undone store as \(aside): \(String(cString: strerror(errno)))")
        }
        guard rename(backup, storePath) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(aside)
            throw .io("cannot put \(backup) in place of \(storePath): \(reason)")
        }
        FileDurability.syncDirectory(of: storePath)
        FileDurability.syncDirectory(of: aside)
    }

    /// Which store the file at `path` is a copy of, of which state, and its last committed night
    /// (nil: none); nil when the file cannot be read as a store.
    public static func identity(of path: String) -> (storeID: String, stateToken: String, lastNight: Day?)? {
        guard let store = try? StateStore.openReadOnly(path: path) else { return nil }
        do {
            let info = try store.info()
            return (info.storeID, info.stateToken, try store.lastRunDate())
        } catch { return nil }
    }

    /// Deletes the copy taken before `night` (a night that then failed: the copy would only
    /// mislead, and it holds the size of the store).
    public func discard(before night: Day) { unlink(path(before: night)) }
}
