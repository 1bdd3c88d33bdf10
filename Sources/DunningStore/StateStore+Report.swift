import DunningCore
import Foundation
import GRDB

/// One member's load on one night, as the `workloads` table keeps it.
public struct LoggedWorkload: Sendable, Equatable {
    public var runDate: Day
    public var group: String
    public var agentID: String
    public var kind: String
    public var active: Bool
    public var cases: Int
    public var amount: Money
    public var plannedCalls: Int
}

/// What `dunning report` reads from the store for a window of nights.
extension StateStore {
    /// The committed nights from `from` through `to`.
    public func runDates(from: Day, through to: Day) throws -> [Day] {
        try db.read { db in
            try String.fetchAll(db, sql: "SELECT run_date FROM runs WHERE run_date >= ? AND run_date <= ? ORDER BY run_date",
                                arguments: [from.description, to.description]).compactMap { Day(iso: $0) }
        }
    }

    /// The first committed night.
    public func firstRunDate() throws -> Day? {
        try db.read { db in try String.fetchOne(db, sql: "SELECT min(run_date) FROM runs").flatMap { Day(iso: $0) } }
    }

    /// Each case's decision record as the run of `day` (or the last one before it) left it.
    public func decisions(through day: Day) throws -> [String: DecisionRecord] {
        try decisions(before: day + 1)
    }

    /// The nights cases were settled on, for settlements acted on up to `day`.
    public func settlements(through day: Day) throws -> [String: Day] {
        try db.read { db in
            var result: [String: Day] = [:]
            let cursor = try Row.fetchCursor(db, sql: "SELECT case_id, acted_on FROM milestone_log WHERE action = 'settled' AND acted_on <= ?",
                                             arguments: [Int64(day.number)])
            while let row = try cursor.next() { result[row[0]] = Day(number: row[1]) }
            return result
        }
    }

    /// Planned contacts per night and channel, and held-back occurrences per night and rule.
    public func contactVolumes(from: Day, through to: Day) throws -> (planned: [(Day, String, Int)], held: [(Day, String, Int)]) {
        try db.read { db in
            func counts(_ sql: String) throws -> [(Day, String, Int)] {
                try Row.fetchAll(db, sql: sql, arguments: [from.description, to.description]).compactMap { row in
                    Day(iso: row[0] as String).map { ($0, row[1] as String, row[2] as Int) }
                }
            }
            return (try counts("SELECT run_date, channel, count(*) FROM contacts WHERE run_date >= ? AND run_date <= ? GROUP BY run_date, channel ORDER BY run_date, channel"),
                    try counts("SELECT run_date, held_by, count(*) FROM deferrals WHERE run_date >= ? AND run_date <= ? GROUP BY run_date, held_by ORDER BY run_date, held_by"))
        }
    }

    /// Every member's load on the nights from `from` through `to`.
    public func workloads(from: Day, through to: Day) throws -> [LoggedWorkload] {
        try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT run_date, group_name, agent_id, kind, active, cases, amount, planned_calls FROM workloads
                WHERE run_date >= ? AND run_date <= ? ORDER BY run_date, rowid
                """, arguments: [from.description, to.description]).compactMap { row in
                Day(iso: row[0] as String).map {
                    LoggedWorkload(runDate: $0, group: row[1], agentID: row[2], kind: row[3], active: row[4], cases: row[5],
                                   amount: Money(minorUnits: row[6]), plannedCalls: row[7])
                }
            }
        }
    }

    /// The strategy version of the run of `day` (for its bucket order).
    public func strategy(of day: Day) throws -> (name: String, sha256: String, source: StrategySource?)? {
        guard let run = try run(on: day) else { return nil }
        return (run.strategyName, run.strategyHash, try strategySource(sha256: run.strategyHash))
    }
}
