import DunningCore
import GRDB

/// History retention (`--retain-days`): what a committing night prunes, and the horizon from
/// which the store's history is complete.
extension StateStore {
    /// History retention: drops log rows of nights before `day`. Kept whatever their age: the
    /// milestones (the source of truth of every case), lasting events (promises, complaints,
    /// stop-collection...), the run records, and each case's latest decision and assignment
    /// (tonight's continuity and `explain` start from them). Each night removes about one
    /// night's rows, so the store levels off at `retain-days` nights of logs.
    static func prune(before cutoff: Day, in db: Database) throws {
        let day = cutoff.description
        // Nothing is old yet on the first nights of a store: no need to look.
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM runs WHERE run_date < ?)", arguments: [day]) == true else { return }
        for table in ["contacts", "deferrals", "workloads"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE run_date < ?", arguments: [day])
        }
        let lasting = lastingEventKinds.map { "'\($0.rawValue)'" }.joined(separator: ",")
        try db.execute(sql: "DELETE FROM events WHERE received_on < ? AND type NOT IN (\(lasting))", arguments: [day])
        // Each case keeps its last row before the cutoff, whatever came after it: that row is
        // the case's state on every night from the cutoff on, which a report starting there
        // needs (a case that changed again later would otherwise drop out of its cohort). Only
        // rows superseded by another row before the cutoff go. A row can only have become so by
        // a later row aging past the cutoff, within the last catch-up window; older ones were
        // handled on earlier nights.
        let recent = (cutoff - 32).description
        for table in ["decisions", "assignments"] {
            try db.execute(sql: """
                DELETE FROM \(table) WHERE run_date < ?1
                  AND case_id IN (SELECT case_id FROM \(table) WHERE run_date >= ?2 AND run_date < ?1)
                  AND run_date < (SELECT max(run_date) FROM \(table) AS later
                                  WHERE later.case_id = \(table).case_id AND later.run_date < ?1)
                """, arguments: [day, recent])
        }
        // From the cutoff on, every night's history is complete; reports and explanations refuse
        // what lies before it.
        try db.execute(sql: "UPDATE store_info SET history_from = ?1 WHERE history_from IS NULL OR history_from < ?1",
                       arguments: [day])
    }

    /// The first night whose history is complete (retention pruned what lies before); nil when
    /// nothing was pruned.
    public func historyFrom() throws -> Day? {
        try db.read { try String.fetchOne($0, sql: "SELECT history_from FROM store_info WHERE id = 1").flatMap { Day(iso: $0) } }
    }
}
