import GRDB

/// The store's versioned schema. A shipped migration is never edited: changes come as new ones.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    run_date TEXT PRIMARY KEY,
                    strategy_name TEXT NOT NULL,
                    strategy_hash TEXT NOT NULL,
                    engine_version TEXT NOT NULL,
                    committed_at TEXT NOT NULL,
                    open_cases INTEGER NOT NULL,
                    actions INTEGER NOT NULL,
                    rejected_rows INTEGER NOT NULL,
                    summary_json TEXT NOT NULL
                );
                CREATE TABLE milestones (
                    case_id TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    product TEXT NOT NULL,
                    episode INTEGER NOT NULL,
                    loan_id TEXT NOT NULL,
                    action TEXT NOT NULL,
                    due_on TEXT NOT NULL,
                    acted_on TEXT NOT NULL,
                    amount INTEGER,
                    detail TEXT NOT NULL
                );
                CREATE INDEX milestones_acted_on ON milestones(acted_on);
                CREATE INDEX milestones_customer ON milestones(customer_id, product, episode);
                CREATE UNIQUE INDEX milestones_once ON milestones(case_id, loan_id, action)
                    WHERE action <> 'bucket_changed';
                CREATE TABLE cases (
                    case_id TEXT PRIMARY KEY,
                    customer_id TEXT NOT NULL,
                    product TEXT NOT NULL,
                    episode INTEGER NOT NULL,
                    stage TEXT NOT NULL,
                    bucket TEXT NOT NULL,
                    dpd INTEGER NOT NULL,
                    amount_overdue INTEGER NOT NULL,
                    penalty_accrued INTEGER NOT NULL,
                    segment TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    updated_on TEXT NOT NULL
                );
                CREATE TABLE events (
                    customer_id TEXT NOT NULL,
                    at TEXT NOT NULL,
                    epoch_seconds INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    value TEXT NOT NULL,
                    received_on TEXT NOT NULL,
                    UNIQUE (customer_id, at, type, value)
                );
                CREATE INDEX events_customer ON events(customer_id, epoch_seconds);
                """)
        }
        // v2: tonight's contact plan and what the rules held back, kept as the audit trail that
        // frequency caps and step validity are counted from on later nights.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                CREATE TABLE contacts (
                    run_date TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    case_id TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    target TEXT NOT NULL,
                    scheduled_at TEXT NOT NULL,
                    utc_minute INTEGER NOT NULL,
                    local_day TEXT NOT NULL,
                    template TEXT NOT NULL,
                    agent_id TEXT NOT NULL,
                    segment TEXT NOT NULL,
                    priority INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    step_key TEXT NOT NULL,
                    occurrence_on TEXT NOT NULL,
                    required INTEGER NOT NULL
                );
                CREATE INDEX contacts_run_date ON contacts(run_date);
                CREATE INDEX contacts_customer ON contacts(customer_id, local_day);
                CREATE TABLE deferrals (
                    run_date TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    case_id TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    target TEXT NOT NULL,
                    template TEXT NOT NULL,
                    segment TEXT NOT NULL,
                    priority INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    step_key TEXT NOT NULL,
                    occurrence_on TEXT NOT NULL,
                    held_by TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    retry_until TEXT,
                    required INTEGER NOT NULL
                );
                CREATE INDEX deferrals_run_date ON deferrals(run_date);
                CREATE INDEX deferrals_customer ON deferrals(customer_id);
                CREATE INDEX events_received_on ON events(received_on);
                """)
        }
        // v3: case allocation. Assignments are a log of changes (a kept case writes nothing), so
        // that a re-run of a night can read the assignments as they were before it; workloads are
        // one row per member and night, for reports over time.
        migrator.registerMigration("v3") { db in
            try db.execute(sql: """
                CREATE TABLE assignments (
                    run_date TEXT NOT NULL,
                    case_id TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    group_name TEXT NOT NULL,
                    agent_id TEXT NOT NULL,
                    assignment TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    bucket TEXT NOT NULL
                );
                CREATE INDEX assignments_case ON assignments(case_id, run_date);
                CREATE INDEX assignments_run_date ON assignments(run_date);
                CREATE TABLE workloads (
                    run_date TEXT NOT NULL,
                    group_name TEXT NOT NULL,
                    agent_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    active INTEGER NOT NULL,
                    capacity INTEGER,
                    weight_milli INTEGER NOT NULL,
                    currency TEXT NOT NULL,
                    cases INTEGER NOT NULL,
                    amount INTEGER NOT NULL,
                    new INTEGER NOT NULL,
                    kept INTEGER NOT NULL,
                    moved INTEGER NOT NULL,
                    recycled INTEGER NOT NULL,
                    stopped INTEGER NOT NULL,
                    planned_calls INTEGER NOT NULL,
                    PRIMARY KEY (run_date, group_name, agent_id)
                );
                ALTER TABLE cases ADD COLUMN group_name TEXT NOT NULL DEFAULT '';
                ALTER TABLE cases ADD COLUMN agent_id TEXT NOT NULL DEFAULT '';
                ALTER TABLE cases ADD COLUMN assignment TEXT NOT NULL DEFAULT '';
                ALTER TABLE cases ADD COLUMN assignment_reason TEXT NOT NULL DEFAULT '';
                """)
        }
        // v4: champion/challenger. The experiment variant of each case and planned contact, so
        // that later reports can compare variants.
        migrator.registerMigration("v4") { db in
            try db.execute(sql: """
                ALTER TABLE cases ADD COLUMN variant TEXT NOT NULL DEFAULT '';
                ALTER TABLE contacts ADD COLUMN variant TEXT NOT NULL DEFAULT '';
                """)
        }
        // v5: the audit trail for `dunning explain`. Every strategy version that decided a night
        // (its YAML and the files it read), and a log of each case's decision inputs, written
        // only when one changes.
        migrator.registerMigration("v5") { db in
            try db.execute(sql: """
                CREATE TABLE strategies (
                    sha256 TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    yaml BLOB NOT NULL,
                    files_json TEXT NOT NULL,
                    first_run TEXT NOT NULL
                );
                CREATE TABLE decisions (
                    run_date TEXT NOT NULL,
                    case_id TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    stage TEXT NOT NULL,
                    bucket TEXT NOT NULL,
                    due_on TEXT NOT NULL,
                    amount_overdue INTEGER NOT NULL,
                    score INTEGER,
                    segment TEXT NOT NULL,
                    variant TEXT NOT NULL
                );
                CREATE INDEX decisions_case ON decisions(case_id, run_date);
                CREATE INDEX decisions_customer ON decisions(customer_id, run_date);
                CREATE INDEX decisions_run_date ON decisions(run_date);
                """)
        }
        // v6: compactness and write speed. Two indexes repeated what another gives: milestones
        // are read per case (the unique index leads with case_id), and a customer's decisions are
        // a range of case IDs (`customer/product/episode`). One index less on the largest table
        // is a quarter fewer B-tree inserts per milestone.
        migrator.registerMigration("v6") { db in
            try db.execute(sql: """
                DROP INDEX milestones_customer;
                DROP INDEX decisions_customer;
                """)
        }
        // v7: the largest table, compact. Milestones are kept in `milestone_log` with dates as day
        // numbers (days since 1970-01-01) and without the customer and product, which the case ID
        // holds (`customer/product/episode`; products have no '/'): 44% fewer bytes a row and
        // faster inserts. `milestones` becomes a view with the columns, text dates and row IDs of
        // the old table, so every query written against it still reads the same.
        migrator.registerMigration("v7") { db in
            try db.execute(sql: """
                CREATE TABLE milestone_log (
                    case_id TEXT NOT NULL,
                    episode INTEGER NOT NULL,
                    loan_id TEXT NOT NULL,
                    action TEXT NOT NULL,
                    due_on INTEGER NOT NULL,
                    acted_on INTEGER NOT NULL,
                    amount INTEGER,
                    detail TEXT NOT NULL
                );
                INSERT INTO milestone_log (rowid, case_id, episode, loan_id, action, due_on, acted_on, amount, detail)
                    SELECT rowid, case_id, episode, loan_id, action,
                           CAST(julianday(due_on) - 2440587.5 AS INTEGER), CAST(julianday(acted_on) - 2440587.5 AS INTEGER),
                           amount, detail
                    FROM milestones ORDER BY rowid;
                DROP TABLE milestones;
                CREATE INDEX milestone_log_acted_on ON milestone_log(acted_on);
                CREATE UNIQUE INDEX milestone_log_once ON milestone_log(case_id, loan_id, action)
                    WHERE action <> 'bucket_changed';
                CREATE VIEW milestones AS
                    SELECT rowid, case_id, substr(prefix, 1, length(prefix) - length(product) - 1) AS customer_id, product,
                           episode, loan_id, action, due_on, acted_on, amount, detail
                    FROM (SELECT rowid, case_id, prefix, replace(prefix, rtrim(prefix, replace(prefix, '/', '')), '') AS product,
                                 episode, loan_id, action, due_on, acted_on, amount, detail
                          FROM (SELECT rowid AS rowid, case_id,
                                       substr(case_id, 1, length(case_id) - length(CAST(episode AS TEXT)) - 1) AS prefix,
                                       episode, loan_id, action, date(due_on * 86400, 'unixepoch') AS due_on,
                                       date(acted_on * 86400, 'unixepoch') AS acted_on, amount, detail
                                FROM milestone_log));
                """)
        }
        // v8: events keep no free text. Only a promise's `value` (its date) is read; earlier
        // versions stored every event's value verbatim, and a collector's note may name people or
        // numbers. Rows that differed only by such a value become one (the first received).
        migrator.registerMigration("v8") { db in
            try db.execute(sql: """
                DELETE FROM events
                    WHERE type <> 'ptp' AND value <> ''
                      AND EXISTS (SELECT 1 FROM events AS other
                                  WHERE other.customer_id = events.customer_id AND other.at = events.at
                                    AND other.type = events.type
                                    AND (other.value = '' OR other.rowid < events.rowid));
                UPDATE events SET value = '' WHERE type <> 'ptp' AND value <> '';
                """)
        }
        // v9: safety rails (SchemaV9.swift).
        migrator.registerMigration("v9") { db in try db.execute(sql: SchemaV9.sql) }
        return migrator
    }
}
