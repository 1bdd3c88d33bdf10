import DunningCore
import Foundation
import GRDB

/// What a committed run records for `dunning explain`: the strategy that decided (kept once per
/// version) and the cases whose decision inputs changed tonight.
public struct AuditRecord: Sendable {
    public var strategyName: String
    public var strategyHash: String
    public var source: StrategySource
    /// (position in the commit's cases, what decided it), only for cases that changed.
    public var decisions: [(Int, DecisionRecord)]

    public init(strategyName: String, strategyHash: String, source: StrategySource, decisions: [(Int, DecisionRecord)]) {
        self.strategyName = strategyName
        self.strategyHash = strategyHash
        self.source = source
        self.decisions = decisions
    }
}

/// One logged row of a case's history, with the night it was written.
public struct Dated<T: Sendable>: Sendable {
    public var runDate: Day
    public var value: T
}

/// A case's assignment as logged on a night (a change of group or member).
public struct LoggedAssignment: Sendable, Equatable {
    public var group: String
    public var agentID: String
    public var kind: String
    public var reason: String
}

/// A contact or deferral row of a night, as the store keeps it (text columns).
public struct LoggedContact: Sendable, Equatable {
    public var caseID: String
    public var channel: String
    public var target: String
    public var template: String
    public var agentID: String
    public var reason: String
    /// Planned contacts: the local time; deferrals: empty.
    public var scheduledAt: String
    /// Deferrals: the rule, the outcome and the last day it may still go out.
    public var heldBy: String
    public var outcome: String
    public var retryUntil: String
}

extension StateStore {
    static func record(_ audit: AuditRecord, cases: [CaseState], date: String, in db: Database) throws {
        let files = Dictionary(uniqueKeysWithValues: audit.source.files.map { ($0.key, Data($0.value).base64EncodedString()) })
        let filesJSON = String(decoding: (try? JSONSerialization.data(withJSONObject: files, options: [.sortedKeys])) ?? Data("{}".utf8), as: UTF8.self)
        try db.execute(sql: "INSERT OR IGNORE INTO strategies (sha256, name, yaml, files_json, first_run) VALUES (?, ?, ?, ?, ?)",
                       arguments: [audit.strategyHash, audit.strategyName, Data(audit.source.yaml), filesJSON, date])
        var insert = try BulkInsert(db, sql: """
            INSERT INTO decisions (run_date, case_id, customer_id, stage, bucket, due_on, amount_overdue, score, segment, variant)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (i, d) in audit.decisions {
            let c = cases[i]
            insert.bind(date); insert.bind(c.caseID); insert.bind(c.key.customerID); insert.bind(d.stage.rawValue)
            insert.bind(d.bucket); insert.bind(d.dueOn.description); insert.bind(d.amountOverdue.minorUnits)
            insert.bind(d.score); insert.bind(d.segment); insert.bind(d.variant)
            try insert.insert()
        }
    }

    /// The decision record in columns `c` to `c + 6` (stage, bucket, due_on, amount_overdue,
    /// score, segment, variant); buckets, segments and variants share one string per value.
    private static func decision(_ rows: RawCursor, from c: Int32, shared: inout [String]) -> DecisionRecord? {
        guard let stage = Stage(rawValue: rows.string(c)), let due = rows.day(c + 2) else { return nil }
        return DecisionRecord(stage: stage, bucket: Self.shared(rows.string(c + 1), in: &shared), dueOn: due,
                              amountOverdue: Money(minorUnits: rows.int(c + 3)), score: rows.isNull(c + 4) ? nil : Int(rows.int(c + 4)),
                              segment: Self.shared(rows.string(c + 5), in: &shared), variant: Self.shared(rows.string(c + 6), in: &shared))
    }

    /// Each case's decision record as the last run before `day` left it.
    public func decisions(before day: Day) throws -> [String: DecisionRecord] {
        try db.read { db in
            let rows = try RawCursor(db, sql: """
                SELECT case_id, stage, bucket, due_on, amount_overdue, score, segment, variant, max(run_date) FROM decisions
                WHERE run_date < ? GROUP BY case_id
                """, arguments: [day.description])
            var result: [String: DecisionRecord] = [:]
            var shared: [String] = []
            while try rows.next() { result[rows.string(0)] = Self.decision(rows, from: 1, shared: &shared) }
            return result
        }
    }

    /// The run committed for `day`, if any.
    public func run(on day: Day) throws -> RunRecord? {
        try db.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT run_date, strategy_name, strategy_hash, engine_version, committed_at, open_cases, actions, rejected_rows,
                    summary_json FROM runs WHERE run_date = ?
                """, arguments: [day.description]) else { return nil }
            return RunRecord(runDate: day, strategyName: row[1], strategyHash: row[2], engineVersion: row[3], committedAt: row[4],
                             openCases: row[5], actions: row[6], rejectedRows: row[7], summaryJSON: row[8])
        }
    }

    /// The strategy version `sha256` as it was read, if a run recorded it.
    public func strategySource(sha256: String) throws -> StrategySource? {
        try db.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT yaml, files_json FROM strategies WHERE sha256 = ?", arguments: [sha256]) else {
                return nil
            }
            let yaml: Data = row[0]
            let json: String = row[1]
            let encoded = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: String] ?? [:]
            var files: [String: [UInt8]] = [:]
            for (name, base64) in encoded { if let data = Data(base64Encoded: base64) { files[name] = [UInt8](data) } }
            return StrategySource(yaml: [UInt8](yaml), files: files)
        }
    }

    /// The cases of a customer that have a decision record on or before `day`, and the latest one each.
    /// Its case IDs are the range `customer/` up to `customer0` ('0' follows '/'), read through
    /// the case index; customer_id filters out another customer whose ID extends this one's.
    public func decisions(customer: String, through day: Day) throws -> [String: Dated<DecisionRecord>] {
        try db.read { db in
            let rows = try RawCursor(db, sql: """
                SELECT case_id, stage, bucket, due_on, amount_overdue, score, segment, variant, max(run_date) FROM decisions
                WHERE case_id >= ? AND case_id < ? AND customer_id = ? AND run_date <= ? GROUP BY case_id
                """, arguments: [customer + "/", customer + "0", customer, day.description])
            var result: [String: Dated<DecisionRecord>] = [:]
            var shared: [String] = []
            while try rows.next() {
                guard let d = Self.decision(rows, from: 1, shared: &shared), let date = rows.day(8) else { continue }
                result[rows.string(0)] = Dated(runDate: date, value: d)
            }
            return result
        }
    }

    /// True when the store recorded a case of `customer` on any night.
    public func hasCases(customer: String) throws -> Bool {
        try db.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM milestone_log WHERE case_id >= ? AND case_id < ?)",
                              arguments: [customer + "/", customer + "0"]) ?? false
        }
    }

    /// A case's milestones acted on up to `day`, in the order they were acted on.
    public func milestones(caseID: String, through day: Day) throws -> [Action] {
        try db.read { db in
            guard let key = CaseKey(caseID: caseID) else { return [] }
            let rows = try Row.fetchAll(db, sql: """
                SELECT episode, loan_id, action, due_on, acted_on, amount, detail, adopted FROM milestone_log
                WHERE case_id = ? AND acted_on <= ? ORDER BY acted_on, rowid
                """, arguments: [caseID, Int64(day.number)])
            return rows.compactMap { row in
                guard let kind = MilestoneKind(rawValue: row[2]) else { return nil }
                let amount: Int64? = row[5]
                return Action(caseKey: key, episode: row[0], loanID: row[1], kind: kind, dueOn: Day(number: row[3]),
                              actedOn: Day(number: row[4]), amount: amount.map(Money.init(minorUnits:)), detail: row[6],
                              adopted: row[7])
            }
        }
    }

    /// A case's logged assignment changes up to `day`.
    public func assignmentLog(caseID: String, through day: Day) throws -> [Dated<LoggedAssignment>] {
        try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT run_date, group_name, agent_id, assignment, reason FROM assignments
                WHERE case_id = ? AND run_date <= ? ORDER BY run_date
                """, arguments: [caseID, day.description]).compactMap { row in
                Day(iso: row[0] as String).map { Dated(runDate: $0, value: LoggedAssignment(group: row[1], agentID: row[2], kind: row[3], reason: row[4])) }
            }
        }
    }

    /// The contacts planned and held back for a customer by the run of `day`.
    public func contactLog(customer: String, on day: Day) throws -> (planned: [LoggedContact], held: [LoggedContact]) {
        try db.read { db in
            let planned = try Row.fetchAll(db, sql: """
                SELECT case_id, channel, target, template, agent_id, reason, scheduled_at FROM contacts
                WHERE customer_id = ? AND run_date = ? ORDER BY utc_minute, case_id, channel, reason
                """, arguments: [customer, day.description]).map { row in
                LoggedContact(caseID: row[0], channel: row[1], target: row[2], template: row[3], agentID: row[4], reason: row[5],
                              scheduledAt: row[6], heldBy: "", outcome: "", retryUntil: "")
            }
            let held = try Row.fetchAll(db, sql: """
                SELECT case_id, channel, target, template, reason, held_by, outcome, retry_until FROM deferrals
                WHERE customer_id = ? AND run_date = ? ORDER BY case_id, occurrence_on, step_key, channel
                """, arguments: [customer, day.description]).map { row in
                LoggedContact(caseID: row[0], channel: row[1], target: row[2], template: row[3], agentID: "", reason: row[4],
                              scheduledAt: "", heldBy: row[5], outcome: row[6], retryUntil: (row[7] as String?) ?? "")
            }
            return (planned, held)
        }
    }
}
