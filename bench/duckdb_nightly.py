#!/usr/bin/env python3
"""The yardstick of docs/performance.md: the core of the nightly job as one DuckDB query.

DPD per loan, case aggregation (customer x product), buckets, score segments and penalty interest
(0.05% a day from D+2, rounded half-up per loan, capped at 24% of the loan's overdue amount), over
the same CSV files `dunning run` reads, with DuckDB's CSV reader, at 2 threads. It writes one row
per open case, sorted, so the result can be checked against dunning's cases.csv.

Not part of the project: `pip install duckdb` is enough (docs/performance.md). Usage:
    bench/duckdb_nightly.py INPUT_DIR AS_OF OUT.csv [THREADS]
"""
import sys
import time

import duckdb

input_dir, as_of, out = sys.argv[1], sys.argv[2], sys.argv[3]
threads = int(sys.argv[4]) if len(sys.argv) > 4 else 2

QUERY = f"""
COPY (
WITH ledger AS (
    SELECT loan_id, customer_id, product, due_date,
           CAST(round(amount_due * 100) AS BIGINT) AS due_minor,
           CAST(round(amount_paid * 100) AS BIGINT) AS paid_minor
    FROM read_csv('{input_dir}/ledger.csv', header = true,
        columns = {{'loan_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'product': 'VARCHAR', 'instalment': 'INTEGER',
                   'due_date': 'DATE', 'amount_due': 'DECIMAL(18,2)', 'amount_paid': 'DECIMAL(18,2)'}})
),
unpaid AS (
    SELECT *, due_minor - paid_minor AS outstanding, DATE '{as_of}' - due_date AS dpd
    FROM ledger WHERE paid_minor < due_minor
),
loans AS (
    SELECT loan_id, customer_id, product,
           max(dpd) AS dpd,
           sum(CASE WHEN dpd > 0 THEN outstanding ELSE 0 END) AS overdue,
           -- exact penalty in minor units x 10^4 (rate 0.0005 = 5 / 10^4), rounded half-up once per loan
           sum(CASE WHEN dpd >= 2 THEN outstanding * 5 * (dpd - 1) ELSE 0 END) AS penalty_e4
    FROM unpaid GROUP BY loan_id, customer_id, product
),
penalised AS (
    SELECT *, least((penalty_e4 + 5000) // 10000, (overdue * 24) // 100) AS penalty FROM loans
),
cases AS (
    SELECT customer_id, product, max(dpd) AS dpd, sum(overdue) AS overdue, sum(penalty) AS penalty
    FROM penalised GROUP BY customer_id, product HAVING max(dpd) >= -2
),
customers AS (
    SELECT customer_id, TRY_CAST(score AS INTEGER) AS score
    FROM read_csv('{input_dir}/customers.csv', header = true, all_varchar = true)
)
SELECT c.customer_id, c.product, c.dpd,
       CASE WHEN c.dpd < 1 THEN 'current' WHEN c.dpd <= 30 THEN 'M0' WHEN c.dpd <= 60 THEN 'M1'
            WHEN c.dpd <= 90 THEN 'M2' ELSE 'M3+' END AS bucket,
       CASE WHEN c.dpd < 1 THEN 'pre_due'
            WHEN c.dpd <= 30 AND s.score >= 600 THEN 'early_low_risk'
            WHEN c.dpd <= 30 AND s.score IS NULL THEN 'early_unscored'
            WHEN c.dpd <= 30 THEN 'early_high_risk'
            WHEN c.overdue >= 500000 THEN 'late_large'
            ELSE 'late_small' END AS segment,
       c.overdue, c.penalty
FROM cases c LEFT JOIN customers s USING (customer_id)
ORDER BY c.customer_id, c.product
) TO '{out}' (HEADER, DELIMITER ',')
"""

con = duckdb.connect()
con.execute(f"SET threads = {threads}")
start = time.perf_counter()
con.execute(QUERY)
print(f"duckdb {duckdb.__version__} threads={threads} wall_s={time.perf_counter() - start:.2f}")
