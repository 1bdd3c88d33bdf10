import DunningCore
import DunningIO
import Foundation
import GRDB

/// The SQLite state store: the one writer of the database, one transaction per run.
///
/// The milestones table is the audit trail and the source of truth: what earlier nights did is
/// replayed from it (`CaseHistory.replay`). The cases table mirrors the open cases after the
/// last run, for inspection and for later reports.
public final class StateStore {
    let db: DatabaseQueue
    public let path: String

    public enum StoreError: Error, Sendable, CustomStringConvertible {
        case notMigrated(String)
        /// No file at the path: stores are made by `dunning init`, never by a run.
        case missing(String)
        /// The file is not a dunning state store (no migrations recorded: an empty file, or
        /// another SQLite database).
        case notAStore(String)
        /// Migrated by a newer engine than this one: opening it could undo what that engine knows.
        case newer(String, String)
        /// A run was killed inside its commit: only a writing connection can finish (roll back) it.
        case unfinished(String)
        case sqlite(String)
        /// The file is not a store this engine may use (as opposed to one it failed to read).
        public var isNotAStore: Bool {
            switch self {
            case .notAStore, .newer: return true
            case .notMigrated, .missing, .unfinished, .sqlite: return false
            }
        }

        public var description: String {
            switch self {
            case .notMigrated(let path): return "\(path): the state store needs a migration; run without --dry-run once"
            case .missing(let path):
                return "no state store at \(path): check --db (or DUNNING_DB), and that the store's disk is mounted and the file was not moved; nothing was created. Only for the first night of a book: `dunning init --db \(path)` makes a new store, whose first night acts on every milestone that ever fell due (to take over a book from another system, add --adopt-before DATE; see docs/operations.md#creating-a-store)"
            case .notAStore(let path):
                return "\(path) is not a dunning state store (it holds no dunning tables); check --db (or DUNNING_DB); `dunning init` makes a new store at a path where no file exists"
            case .newer(let path, let what): return "\(path) was migrated by a newer dunning engine: \(what). Nothing was changed; run that engine"
            case .unfinished(let path):
                return "\(path) has an unfinished transaction from an interrupted run (\(path)-journal): the next committing run on it, or `dunning rollback`, rolls it back first; dry runs, previews, explain and report only read, so they cannot"
            case .sqlite(let message): return message
            }
        }
    }

    private init(db: DatabaseQueue, path: String) {
        self.db = db
        self.path = path
    }

    /// Page cache of a committing run, in KiB (SQLite's own default is 2 MiB). Measured at a
    /// million customers (docs/performance.md): 2 to 16 MiB commit as fast as 128 MiB, whose
    /// pages cost 450 MB of peak memory on a first night; 16 MiB leaves room for larger indexes.
    static let cacheKiB = 16_384
    /// Page size of a new store, in bytes (SQLite's default is 4096).
    static let pageSize = 16_384

    /// Opens and migrates an existing store for a committing run. Never creates one: a store is
    /// made by `create` (`dunning init`), so a mistyped path cannot start a new book. The caller
    /// holds the `RunLock`.
    public static func openForWriting(path: String) throws -> StateStore {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.missing(path) }
        let queue: DatabaseQueue
        do { queue = try DatabaseQueue(path: path, configuration: writingConfiguration()) } catch let error as DatabaseError
            where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.notAStore(path)
        }
        // An empty file, or another database (another GRDB application's too): migrating it would
        // quietly start a new book in it. Nothing is written before this is known.
        let applied = try appliedMigrations(queue, path: path)
        guard applied.contains("v1") else { throw StoreError.notAStore(path) }
        if let newer = try newerMigrations(applied, queue: queue) { throw StoreError.newer(path, newer) }
        try Schema.migrator.migrate(queue)
        return StateStore(db: queue, path: path)
    }

    /// The migrations of a store this engine does not know, and the last engine that committed
    /// to it; nil when it knows them all.
    private static func newerMigrations(_ applied: Set<String>, queue: DatabaseQueue) throws -> String? {
        let known = Set(Schema.migrator.migrations)
        let unknown = applied.subtracting(known).sorted()
        guard !unknown.isEmpty else { return nil }
        let engine = try queue.read { try String.fetchOne($0, sql: "SELECT engine_version FROM runs ORDER BY run_date DESC LIMIT 1") }
        return "it has migrations \(unknown.joined(separator: ", ")), which this engine (\(EngineVersion.current), migrations up to \(Schema.migrator.migrations.last ?? "")) does not know\(engine.map { "; its last night was committed by dunning \($0)" } ?? "")"
    }

    /// The migrations a file records; a file that is not an SQLite database at all is not a store.
    private static func appliedMigrations(_ queue: DatabaseQueue, path: String) throws -> Set<String> {
        do { return try queue.read { try Schema.migrator.appliedIdentifiers($0) } } catch let error as DatabaseError
            where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.notAStore(path)
        }
    }

    static func writingConfiguration() -> Configuration {
        var config = Configuration()
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            // Inserts arrive in key order, so the B-trees grow at their right edge and a small
            // cache holds their working set; a large one only costs memory.
            try db.execute(sql: "PRAGMA cache_size = -\(Self.cacheKiB)")
        }
        return config
    }

    /// Opens an existing store read-only (dry runs): the file is never modified. Nil when absent.
    public static func openReadOnly(path: String) throws -> StateStore? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(5)
        let applied: Set<String>
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            applied = try appliedMigrations(queue, path: path)
        } catch let error as DatabaseError {
            // A read-only connection cannot roll back an interrupted run's transaction.
            if FileManager.default.fileExists(atPath: StorePath.resolved(path) + "-journal") { throw StoreError.unfinished(path) }
            if error.resultCode == .SQLITE_NOTADB { throw StoreError.notAStore(path) }
            throw error
        }
        guard applied.contains("v1") else { throw StoreError.notAStore(path) }
        if let newer = try newerMigrations(applied, queue: queue) { throw StoreError.newer(path, newer) }
        guard try queue.read({ try Schema.migrator.hasCompletedMigrations($0) }) else { throw StoreError.notMigrated(path) }
        return StateStore(db: queue, path: path)
    }

    /// Deletes a rollback journal left beside the store that SQLite, having opened the store,
    /// did not need (a hot journal is rolled back and removed when the store is first read; one
    /// left after that is stale, e.g. with a zeroed header). The caller holds the run lock.
    public func removeStaleJournal() {
        _ = try? db.read { _ in } // the first read rolls back a hot journal, if there was one
        unlink(StorePath.resolved(path) + "-journal") // beside the file, not a link to it
    }

    /// The as-of date of the last committed run, if any.
    public func lastRunDate() throws -> Day? {
        try db.read { db in
            try String.fetchOne(db, sql: "SELECT max(run_date) FROM runs").flatMap { Day(iso: $0) }
        }
    }

    /// The last committed run strictly before `day` (to count missed nights, also on re-runs).
    public func lastRunDate(before day: Day) throws -> Day? {
        try db.read { db in
            try String.fetchOne(db, sql: "SELECT max(run_date) FROM runs WHERE run_date < ?", arguments: [day.description])
                .flatMap { Day(iso: $0) }
        }
    }

    /// The latest case per customer and product, from milestones acted on before `day`.
    public func history(before day: Day) throws -> [CaseKey: CaseHistory] {
        try db.read { db in
            var replay = CaseHistory.Replay()
            let rows = try RawCursor(db, sql: """
                SELECT case_id, episode, loan_id, action, due_on, acted_on, amount, detail, adopted
                FROM milestone_log WHERE acted_on < ? ORDER BY acted_on, rowid
                """, arguments: [Int64(day.number)])
            // A book has a handful of products: one shared string each.
            var products: [String] = []
            while try rows.next() {
                guard let kind = MilestoneKind(rawValue: rows.string(3)), let key = CaseKey(caseID: rows.bytes(0)) else { continue }
                replay.apply(Action(caseKey: CaseKey(customerID: key.customerID, product: Self.shared(key.product, in: &products)),
                                    episode: Int(rows.int(1)), loanID: rows.string(2), kind: kind,
                                    dueOn: Day(number: Int32(truncatingIfNeeded: rows.int(4))),
                                    actedOn: Day(number: Int32(truncatingIfNeeded: rows.int(5))),
                                    amount: rows.isNull(6) ? nil : Money(minorUnits: rows.int(6)),
                                    detail: kind == .bucketChanged ? rows.string(7) : "", adopted: rows.int(8) != 0))
            }
            return replay.histories
        }
    }

    /// Event kinds that matter however old they are: suppression flags, promises and complaints.
    static let lastingEventKinds: [EventKind] = [.ptp, .complaint, .dispute, .ceaseCommunication, .stopCollection,
                                                 .resumeCollection, .deceased, .bankruptcy]

    /// Events received by nights before `day` that tonight's contact plan needs: every lasting
    /// one, and contact attempts from `attemptsSince` on (epoch seconds).
    public func events(before day: Day, attemptsSince: Int64) throws -> [Event] {
        try db.read { db in
            let kinds = Self.lastingEventKinds.map { "'\($0.rawValue)'" }.joined(separator: ",")
            let rows = try RawCursor(db, sql: """
                SELECT customer_id, at, epoch_seconds, type, value FROM events
                WHERE received_on < ? AND (type IN (\(kinds)) OR epoch_seconds >= ?)
                """, arguments: [day.description, attemptsSince])
            var result: [Event] = []
            while try rows.next() {
                let at = rows.string(1)
                guard let kind = EventKind(rawValue: rows.string(3)), let parsed = Day(iso: at.prefix(10)) else { continue }
                result.append(Event(at: at, epochSeconds: rows.int(2), localDay: parsed, customerID: rows.string(0), kind: kind,
                                    value: rows.string(4)))
            }
            return result
        }
    }

    /// Contacts planned by runs from `since` up to (not including) `day`.
    public func priorContacts(since: Day, before day: Day) throws -> [PriorContact] {
        try db.read { db in
            let rows = try RawCursor(db, sql: """
                SELECT customer_id, case_id, channel, target, local_day, step_key, occurrence_on FROM contacts
                WHERE run_date >= ? AND run_date < ?
                """, arguments: [since.description, day.description])
            var result: [PriorContact] = []
            while try rows.next() {
                guard let channel = Channel(rawValue: rows.string(2)), let target = ContactTarget(rawValue: rows.string(3)),
                      let local = rows.day(4), let occurrence = rows.day(6) else { continue }
                result.append(PriorContact(customerID: rows.string(0), caseID: rows.string(1), channel: channel, target: target,
                                           localDay: local, stepKey: rows.string(5), occurrence: occurrence))
            }
            return result
        }
    }

    /// The rows the run of `day` held back `deferred` (to be tried again): tonight ends those it
    /// does not carry on (`DeferralClosing`).
    public func deferrals(heldOn day: Day) throws -> [Deferral] {
        try db.read { db in
            let rows = try RawCursor(db, sql: """
                SELECT customer_id, case_id, channel, target, template, segment, priority, reason, step_key, occurrence_on,
                       held_by, retry_until, required
                FROM deferrals WHERE run_date = ? AND outcome = 'deferred'
                """, arguments: [day.description])
            var result: [Deferral] = []
            while try rows.next() {
                guard let channel = Channel(rawValue: rows.string(2)), let target = ContactTarget(rawValue: rows.string(3)),
                      let occurrence = rows.day(9), let heldBy = HoldReason(rawValue: rows.string(10)) else { continue }
                result.append(Deferral(customerID: rows.string(0), caseID: rows.string(1), channel: channel, target: target,
                                       template: rows.string(4), segment: rows.string(5), priority: Int(rows.int(6)),
                                       reason: rows.string(7), stepKey: rows.string(8), occurrence: occurrence, heldBy: heldBy,
                                       outcome: .deferred, retryUntil: rows.day(11), required: rows.int(12) != 0))
            }
            return result
        }
    }

    /// Each case's assignment as the last run before `day` left it (the latest logged change).
    public func assignments(before day: Day) throws -> [String: PriorAssignment] {
        try db.read { db in
            // SQLite takes the bare columns of a max() aggregate from the row holding the maximum.
            let rows = try RawCursor(db, sql: """
                SELECT case_id, group_name, agent_id, bucket, max(run_date) FROM assignments
                WHERE run_date < ? GROUP BY case_id
                """, arguments: [day.description])
            var result: [String: PriorAssignment] = [:]
            var groups: [String] = [], buckets: [String] = []
            while try rows.next() {
                result[rows.string(0)] = PriorAssignment(group: Self.shared(rows.string(1), in: &groups), agentID: rows.string(2),
                                                         bucket: Self.shared(rows.string(3), in: &buckets))
            }
            return result
        }
    }

    /// One string per distinct value of a column with few values (groups, buckets, products).
    static func shared(_ value: String, in table: inout [String]) -> String {
        if let existing = table.first(where: { $0 == value }) { return existing }
        if table.count < 256 { table.append(value) }
        return value
    }

    /// Milestones acted on by the run of `day` (for tests and inspection).
    public func actions(actedOn day: Day) throws -> Int {
        try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM milestone_log WHERE acted_on = ?", arguments: [Int64(day.number)]) ?? 0 }
    }

    /// Commits one night in a single transaction. A re-run of the last committed date replaces
    /// that night's milestones and run record, so the store ends as one uninterrupted run would
    /// have left it.
    /// `cases` replaces the open-case table except the rows named in `keepCases` (cases held
    /// tonight because of bad input rows), which stay as the last night left them.
    /// `keepSince` (when given) drops the history logs' rows of nights before it (see `prune`).
    /// `beforeCommit` runs inside the transaction after every write; if it throws, nothing is
    /// committed.
    public func commit(run: RunRecord, actions: [Action], cases: [CaseState], keepCases: Set<String> = [],
                       events: [Event], plan: ContactPlan = ContactPlan(), allocation: AllocationRecord? = nil,
                       audit: AuditRecord? = nil, keepSince: Day? = nil, beforeCommit: () throws -> Void = {}) throws {
        let date = run.runDate.description
        try db.write { db in
            // The state before the night: the current one, or, on a re-run, the one its first run
            // started from (the night's rows are about to be replaced).
            let parent = try String.fetchOne(db, sql: "SELECT parent_token FROM runs WHERE run_date = ?", arguments: [date])
                ?? (try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM runs WHERE run_date = ?)", arguments: [date]) == true
                    ? nil : try String.fetchOne(db, sql: "SELECT state_token FROM store_info WHERE id = 1"))
            try db.execute(sql: "UPDATE store_info SET state_token = lower(hex(randomblob(16))) WHERE id = 1")
            try db.execute(sql: "DELETE FROM milestone_log WHERE acted_on = ?", arguments: [Int64(run.runDate.number)])
            try db.execute(sql: "DELETE FROM runs WHERE run_date = ?", arguments: [date])
            try db.execute(sql: "DELETE FROM events WHERE received_on = ?", arguments: [date])
            try db.execute(sql: "DELETE FROM contacts WHERE run_date = ?", arguments: [date])
            try db.execute(sql: "DELETE FROM deferrals WHERE run_date = ?", arguments: [date])
            try db.execute(sql: "DELETE FROM assignments WHERE run_date = ?", arguments: [date])
            try db.execute(sql: "DELETE FROM workloads WHERE run_date = ?", arguments: [date])
            try db.execute(sql: "DELETE FROM decisions WHERE run_date = ?", arguments: [date])
            if let audit { try Self.record(audit, cases: cases, date: date, in: db) }
            try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS keep_cases (case_id TEXT PRIMARY KEY)")
            try db.execute(sql: "DELETE FROM keep_cases")
            let keep = try db.makeStatement(sql: "INSERT OR IGNORE INTO keep_cases (case_id) VALUES (?)")
            for id in keepCases.sorted() { try keep.execute(arguments: [id]) }
            try db.execute(sql: "DELETE FROM cases WHERE case_id NOT IN (SELECT case_id FROM keep_cases)")

            var insertMilestone = try BulkInsert(db, sql: """
                INSERT INTO milestone_log (case_id, episode, loan_id, action, due_on, acted_on, amount, detail, adopted)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var caseIDs = Action.CaseIDs()
            for a in actions {
                insertMilestone.bind(caseIDs.of(a)); insertMilestone.bind(a.episode); insertMilestone.bind(a.loanID)
                insertMilestone.bind(a.kind.rawValue); insertMilestone.bind(Int64(a.dueOn.number)); insertMilestone.bind(Int64(a.actedOn.number))
                insertMilestone.bind(a.amount?.minorUnits); insertMilestone.bind(a.detail); insertMilestone.bind(a.adopted)
                try insertMilestone.insert()
            }
            var upsertCase = try BulkInsert(db, sql: """
                INSERT OR REPLACE INTO cases (case_id, customer_id, product, episode, stage, bucket, dpd, amount_overdue,
                    penalty_accrued, segment, currency, updated_on, group_name, agent_id, assignment, assignment_reason, variant)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let assignments = allocation?.assignments
            for (i, c) in cases.enumerated() {
                let a = assignments?[i]
                upsertCase.bind(c.caseID); upsertCase.bind(c.key.customerID); upsertCase.bind(c.key.product)
                upsertCase.bind(c.episode); upsertCase.bind(c.stage.rawValue); upsertCase.bind(c.bucket); upsertCase.bind(c.dpd)
                upsertCase.bind(c.amountOverdue.minorUnits); upsertCase.bind(c.penaltyAccrued.minorUnits)
                upsertCase.bind(c.segment); upsertCase.bind(c.currency); upsertCase.bind(date)
                upsertCase.bind(a?.group ?? ""); upsertCase.bind(a?.agentID ?? ""); upsertCase.bind(a?.kind.rawValue ?? "")
                upsertCase.bind(a?.reason.rawValue ?? ""); upsertCase.bind(c.variant)
                try upsertCase.insert()
            }
            if let allocation {
                var logChange = try BulkInsert(db, sql: """
                    INSERT INTO assignments (run_date, case_id, customer_id, group_name, agent_id, assignment, reason, bucket)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for i in allocation.changed {
                    let c = cases[i], a = allocation.assignments[i]
                    logChange.bind(date); logChange.bind(c.caseID); logChange.bind(c.key.customerID); logChange.bind(a.group)
                    logChange.bind(a.agentID); logChange.bind(a.kind.rawValue); logChange.bind(a.reason.rawValue)
                    logChange.bind(c.bucket)
                    try logChange.insert()
                }
                let insertLoad = try db.makeStatement(sql: """
                    INSERT INTO workloads (run_date, group_name, agent_id, kind, active, capacity, weight_milli, currency,
                        cases, amount, new, kept, moved, recycled, stopped, planned_calls)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for l in allocation.loads {
                    try insertLoad.execute(arguments: [date, l.group, l.agentID, l.kind.rawValue, l.active, l.capacity,
                                                       l.weightMilli, l.currency, l.cases, l.amount.minorUnits, l.new, l.kept,
                                                       l.moved, l.recycled, l.stopped, l.plannedCalls])
                }
            }
            var insertEvent = try BulkInsert(db, sql: """
                INSERT OR IGNORE INTO events (customer_id, at, epoch_seconds, type, value, received_on) VALUES (?, ?, ?, ?, ?, ?)
                """)
            for e in events {
                insertEvent.bind(e.customerID); insertEvent.bind(e.at); insertEvent.bind(e.epochSeconds)
                insertEvent.bind(e.kind.rawValue); insertEvent.bind(e.value); insertEvent.bind(date)
                try insertEvent.insert()
            }
            var insertContact = try BulkInsert(db, sql: """
                INSERT INTO contacts (run_date, customer_id, case_id, channel, target, scheduled_at, utc_minute, local_day,
                    template, agent_id, segment, priority, reason, step_key, occurrence_on, required, variant)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for c in plan.contacts {
                insertContact.bind(date); insertContact.bind(c.customerID); insertContact.bind(c.caseID)
                insertContact.bind(c.channel.rawValue); insertContact.bind(c.target.rawValue); insertContact.bind(c.scheduledAt)
                insertContact.bind(c.utcMinute); insertContact.bind(c.localDay.description); insertContact.bind(c.template)
                insertContact.bind(c.agentID); insertContact.bind(c.segment); insertContact.bind(c.priority)
                insertContact.bind(c.reason); insertContact.bind(c.stepKey); insertContact.bind(c.occurrence.description)
                insertContact.bind(c.required); insertContact.bind(c.variant)
                try insertContact.insert()
            }
            var insertDeferral = try BulkInsert(db, sql: """
                INSERT INTO deferrals (run_date, customer_id, case_id, channel, target, template, segment, priority, reason,
                    step_key, occurrence_on, held_by, outcome, retry_until, required)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for d in plan.deferrals {
                insertDeferral.bind(date); insertDeferral.bind(d.customerID); insertDeferral.bind(d.caseID)
                insertDeferral.bind(d.channel.rawValue); insertDeferral.bind(d.target.rawValue); insertDeferral.bind(d.template)
                insertDeferral.bind(d.segment); insertDeferral.bind(d.priority); insertDeferral.bind(d.reason)
                insertDeferral.bind(d.stepKey); insertDeferral.bind(d.occurrence.description); insertDeferral.bind(d.heldBy.rawValue)
                insertDeferral.bind(d.outcome.rawValue); insertDeferral.bind(d.retryUntil?.description); insertDeferral.bind(d.required)
                try insertDeferral.insert()
            }
            try db.execute(sql: """
                INSERT INTO runs (run_date, strategy_name, strategy_hash, engine_version, committed_at, open_cases, actions,
                    rejected_rows, summary_json, accepted_missing, accepted_missed_nights, manifest_sha256, parent_token)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [date, run.strategyName, run.strategyHash, run.engineVersion, run.committedAt,
                                 run.openCases, run.actions, run.rejectedRows, run.summaryJSON, run.acceptedMissing,
                                 run.acceptedMissedNights, run.manifestSHA256, parent])
            if let keepSince { try Self.prune(before: keepSince, in: db) }
            // Last: what must be true for the night to count (its outputs staged); a throw rolls back.
            try beforeCommit()
        }
    }

    /// The integer a read-only query returns (tests and benchmarks inspect the store with it).
    public func scalar(_ sql: String) throws -> Int {
        try db.read { try Int.fetchOne($0, sql: sql) ?? 0 }
    }

    /// Row counts per table, for `dunning status` and tests.
    public func tableCounts() throws -> [String: Int] {
        try db.read { db in
            var result: [String: Int] = [:]
            for table in ["runs", "milestones", "cases", "events", "contacts", "deferrals", "assignments", "workloads", "strategies", "decisions"] {
                // Milestones are counted in their table, not through the view.
                result[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table == "milestones" ? "milestone_log" : table)") ?? 0
            }
            return result
        }
    }
}
