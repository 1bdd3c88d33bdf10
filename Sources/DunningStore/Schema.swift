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
        return migrator
    }
}
