/// Migration v9: what the safety rails record. Frozen once shipped, like every migration.
///
/// - `milestone_log.adopted`: 1 for a milestone that fell due before the store's adoption date
///   and is recorded as acted on by the previous system (`dunning init --adopt-before`); it sent
///   no notice. The `milestones` view gains the column.
/// - `store_info`: one row saying when and by which engine the store was made, its adoption
///   date (NULL: a store for a new book, every milestone acted on here) and a random identity
///   that its backups carry, so that a backup of another store at the same path is never taken
///   for one of this store. A store migrated from an earlier version gets a row with its first
///   commit time, no adoption date and an identity of its own. `state_token` changes with every
///   commit: a backup carries the token of the state it copied.
/// - `store_info.history_from`: the first night whose history (contacts, deferrals, decisions,
///   assignments, workloads) retention has left complete; reports and explanations refuse what
///   lies before it. Each case keeps its last decision and assignment before it.
/// - `events`: one row per customer, instant, type and value, however the instant's text was
///   written (`...T10:00:00+08:00` and `...T02:00:00Z` are one event): the earliest received of
///   such rows is kept, and a unique index keeps it so.
/// - `runs.parent_token`: the `state_token` of the store just before the night was first
///   committed (a re-run keeps it): the state a rollback of the night returns to, so that only
///   the copy of exactly that state is ever used. NULL for nights committed before v9.
/// - `runs.accepted_missing`, `runs.accepted_missed_nights`: a drop of open cases from the
///   extract, or a gap of missed nights, that the operator accepted for the night
///   (`--accept-missing`, `--accept-missed-nights`); NULL when nothing was accepted.
/// - `runs.manifest_sha256`: the SHA-256 of the extract's `manifest.json` the night checked;
///   NULL without one.
enum SchemaV9 {
    static let sql = """
        ALTER TABLE milestone_log ADD COLUMN adopted INTEGER NOT NULL DEFAULT 0 CHECK (adopted IN (0, 1));
        DROP VIEW milestones;
        CREATE VIEW milestones AS
            SELECT rowid, case_id, substr(prefix, 1, length(prefix) - length(product) - 1) AS customer_id, product,
                   episode, loan_id, action, due_on, acted_on, amount, detail, adopted
            FROM (SELECT rowid, case_id, prefix, replace(prefix, rtrim(prefix, replace(prefix, '/', '')), '') AS product,
                         episode, loan_id, action, due_on, acted_on, amount, detail, adopted
                  FROM (SELECT rowid AS rowid, case_id,
                               substr(case_id, 1, length(case_id) - length(CAST(episode AS TEXT)) - 1) AS prefix,
                               episode, loan_id, action, date(due_on * 86400, 'unixepoch') AS due_on,
                               date(acted_on * 86400, 'unixepoch') AS acted_on, amount, detail, adopted
                        FROM milestone_log));
        CREATE TABLE store_info (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            adopt_before TEXT CHECK (adopt_before IS NULL OR date(adopt_before) IS adopt_before),
            store_id TEXT NOT NULL CHECK (length(store_id) = 32),
            state_token TEXT NOT NULL CHECK (length(state_token) = 32),
            history_from TEXT CHECK (history_from IS NULL OR date(history_from) IS history_from)
        );
        INSERT INTO store_info (id, created_at, created_by, adopt_before, store_id, state_token, history_from)
            VALUES (1, COALESCE((SELECT min(committed_at) FROM runs), ''), 'an engine before 0.5.0', NULL,
                    lower(hex(randomblob(16))), lower(hex(randomblob(16))),
                    -- Earlier engines pruned superseded rows that a report needs: if they pruned at
                    -- all (the first night's contacts are gone), only nights from the last one on
                    -- are complete.
                    CASE WHEN (SELECT min(run_date) FROM contacts) > (SELECT min(run_date) FROM runs)
                         THEN (SELECT max(run_date) FROM runs) END);
        ALTER TABLE runs ADD COLUMN accepted_missing INTEGER CHECK (accepted_missing IS NULL OR accepted_missing >= 0);
        ALTER TABLE runs ADD COLUMN accepted_missed_nights INTEGER
            CHECK (accepted_missed_nights IS NULL OR accepted_missed_nights >= 0);
        ALTER TABLE runs ADD COLUMN manifest_sha256 TEXT;
        ALTER TABLE runs ADD COLUMN parent_token TEXT;
        DELETE FROM events WHERE EXISTS (
            SELECT 1 FROM events AS other
            WHERE other.customer_id = events.customer_id AND other.epoch_seconds = events.epoch_seconds
              AND other.type = events.type AND other.value = events.value AND other.rowid < events.rowid);
        CREATE UNIQUE INDEX events_once ON events(customer_id, epoch_seconds, type, value);
        DROP INDEX events_customer; -- what it ordered, events_once orders too
        """
}
