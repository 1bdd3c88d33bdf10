import DunningCore
import DunningStore
import Foundation

/// `dunning init` and `dunning rollback`: the two ways a store changes other than by a night.
public enum StoreSetup {
    /// An adoption date is the go-live night: at most a month ahead (a store made before
    /// go-live) or behind (a go-live delayed) of the machine's date. A date further back would
    /// act at once on everything that fell due since (a wrong year: 2016 for 2026).
    public static let maximumAdoptDaysAway = 31

    /// Makes a new store at `path`. `adoptBefore`: milestones that fell due before it are recorded
    /// as acted on by the previous system. `now` (nil: no check) bounds that date to
    /// `maximumAdoptDaysAway` days either side of today.
    public static func initialize(path: String, adoptBefore: Day?, zone: String, now: Date?) throws(RunError) -> String {
        if let problem = StorePath.problem(path) { throw .usage(problem) }
        if let adoptBefore, let now {
            let today = BusinessCalendar.today(in: zone, now: now)
            let hint = "check --adopt-before (the go-live night, the first night this store runs); for a simulation pass --allow-any-date"
            if abs(adoptBefore - today) > maximumAdoptDaysAway {
                let side = adoptBefore > today ? "after" : "before"
                throw .usage("--adopt-before \(adoptBefore) is \(abs(adoptBefore - today)) days \(side) today (\(today) by this machine's clock), more than \(maximumAdoptDaysAway): the hand-over is the go-live night, and the first night acts on everything that fell due between the two; \(hint)")
            }
        }
        do {
            try StateStore.create(path: path, adoptBefore: adoptBefore, engineVersion: NightlyRun.engineVersion,
                                  createdAt: ISO8601DateFormatter().string(from: now ?? Date()))
        } catch {
            throw .cannotCreate(error.description)
        }
        var text = "created the state store \(path)\n"
        if let adoptBefore {
            text += "  adopts    milestones due before \(adoptBefore) are recorded as acted on by the previous system (adopted): no notice, no contact for them\n"
            text += "  first     run \(adoptBefore) or later: dunning run --as-of \(adoptBefore) --db \(path) ...\n"
        } else {
            text += "  first     the first night acts on every milestone that fell due, however old (a new book); to take over a book from another system, use --adopt-before\n"
        }
        return text
    }

    /// What a rollback did.
    public struct RollbackReport: Sendable {
        public var undone: Day
        /// The last committed night after the rollback (nil: none, the store is as `init` made it).
        public var lastNight: Day?
        public var undoneCopy: String
        public var backupsLeft: [Day]
    }

    /// Undoes the store's last committed night from the backup taken before it: afterwards the
    /// store holds exactly what it held before that night. The night's output files are left as
    /// they are; the store it replaces is kept as `undone-<night>.sqlite` beside the backups.
    public static func rollback(path: String) throws(RunError) -> RollbackReport {
        if let problem = StorePath.problem(path) { throw .usage(problem) }
        guard FileManager.default.fileExists(atPath: path) else { throw .noInput(StateStore.StoreError.missing(path).description) }
        let lock = try RunLock.acquire(storePath: path, retry: "roll back when it has finished")
        return try withExtendedLifetime(lock) { () throws(RunError) -> RollbackReport in try rollbackLocked(path: path) }
    }

    private static func rollbackLocked(path: String) throws(RunError) -> RollbackReport {
        let last: Day, previous: Day?, identity: String, parent: String?
        do {
            // Opened for writing once, so SQLite finishes any interrupted transaction first.
            let store = try StateStore.openForWriting(path: path)
            guard let night = try store.lastRunDate() else {
                throw RunError.noInput("\(path) has no committed night: there is nothing to roll back")
            }
            last = night
            previous = try store.lastRunDate(before: night)
            identity = try store.info().storeID
            parent = try store.parentToken(of: night)
            // Opening it finished any interrupted transaction: a journal still there is stale.
            store.removeStaleJournal()
        } catch let error as RunError {
            throw error
        } catch {
            throw .cannotCreate("cannot open the state store \(path): \(error)")
        }
        let backups = StoreBackups(storePath: path)
        let kept = backups.nights()
        guard kept.contains(last) else {
            let list = kept.isEmpty ? "none" : kept.map { "before \($0)" }.joined(separator: ", ")
            throw .noInput("cannot roll back \(last): there is no backup of \(path) from before it (kept in \(backups.directory): \(list)); a store keeps backups of its last nights (--keep-backups, default \(RunOptions.defaultKeepBackups)), and rolling back further than they reach is not possible. To go back further, restore a copy of the store of your own (docs/operations.md#going-back-to-an-earlier-date)")
        }
        let found = StoreBackups.identity(of: backups.path(before: last))
        guard let found, let parent, found.stateToken == parent else {
            let what = found.map {
                $0.storeID != identity ? "it is a copy of another store that was at this path"
                    : parent == nil ? "the store does not record which state \(last) was committed on (a night committed by an engine before 0.5.0)"
                    : "it is a copy of another state of this store (its last night is \($0.lastNight.map(\.description) ?? "none")), not of the one \(last) was committed on"
            } ?? "it cannot be read as a store"
            throw .data([Diagnostic(file: backups.path(before: last), line: 1, column: 1,
                                    message: "this backup does not match the store (\(what)): it is not the store as it was before \(last); nothing was changed")])
        }
        do { try backups.restore(before: last) } catch { throw .io(error.description) }
        return RollbackReport(undone: last, lastNight: previous, undoneCopy: backups.undonePath(of: last), backupsLeft: backups.nights())
    }
}
