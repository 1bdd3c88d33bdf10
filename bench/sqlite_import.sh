#!/usr/bin/env bash
# A yardstick for the commit phase: the rows one `dunning run` commits on a first night (taken from
# its own output files: milestones, and cases three times for cases, decisions and assignments,
# contacts, deferrals), loaded by the sqlite3 shell's own C CSV import in one transaction into
# tables with the state store's indexes, page size and cache. If the commit is not slower than
# SQLite's own bulk loader, it can only get much faster by writing fewer rows.
#
#   bench/sqlite_import.sh OUT_DIR      (OUT_DIR: a first night's --out directory)
set -euo pipefail
out="$1"
db=$(mktemp -u /tmp/dunning-floor-XXXXXX.sqlite)
trap 'rm -f "$db" "$db-journal"' EXIT
rows=$(( $(wc -l < "$out/actions.csv") + 3 * $(wc -l < "$out/cases.csv") + $(wc -l < "$out/contacts.csv") + $(wc -l < "$out/deferred.csv") - 6 ))
start=$(date +%s.%N)
sqlite3 "$db" >/dev/null 2>&1 <<SQL
PRAGMA page_size = 16384;
PRAGMA cache_size = -131072;
BEGIN;
CREATE TABLE milestones (run_date, customer_id, case_id, loan_id, action, due_on, amount, detail);
CREATE INDEX milestones_acted_on ON milestones(run_date);
CREATE UNIQUE INDEX milestones_once ON milestones(case_id, loan_id, action) WHERE action <> 'bucket_changed';
CREATE TABLE cases (run_date, case_id PRIMARY KEY, customer_id, product, stage, bucket, dpd, amount_overdue, penalty_accrued,
                    segment, currency, group_name, agent_id, assignment, assignment_reason, variant);
CREATE TABLE decisions AS SELECT * FROM cases WHERE 0;
CREATE INDEX decisions_case ON decisions(case_id, run_date);
CREATE INDEX decisions_run_date ON decisions(run_date);
CREATE TABLE assignments AS SELECT * FROM cases WHERE 0;
CREATE INDEX assignments_case ON assignments(case_id, run_date);
CREATE INDEX assignments_run_date ON assignments(run_date);
CREATE TABLE contacts (run_date, customer_id, case_id, channel, target, scheduled_at, local_day, template, agent_id,
                       segment, priority, reason, step_key, occurrence_on, required, variant, x1, x2, x3);
CREATE INDEX contacts_run_date ON contacts(run_date);
CREATE INDEX contacts_customer ON contacts(customer_id, local_day);
CREATE TABLE deferrals (run_date, customer_id, case_id, channel, target, template, segment, priority, reason, step_key,
                        held_by, outcome, retry_until, x1, x2, x3);
CREATE INDEX deferrals_run_date ON deferrals(run_date);
CREATE INDEX deferrals_customer ON deferrals(customer_id);
.mode csv
.import --skip 1 $out/actions.csv milestones
.import --skip 1 $out/cases.csv cases
.import --skip 1 $out/cases.csv decisions
.import --skip 1 $out/cases.csv assignments
.import --skip 1 $out/contacts.csv contacts
.import --skip 1 $out/deferred.csv deferrals
COMMIT;
SQL
end=$(date +%s.%N)
printf '%d rows in %.2f s (%.0f MB)\n' "$rows" "$(echo "$end - $start" | bc)" "$(echo "$(stat -c %s "$db") / 1048576" | bc -l)"
