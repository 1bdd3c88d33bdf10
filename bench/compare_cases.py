#!/usr/bin/env python3
"""Checks the DuckDB yardstick against dunning's cases.csv: same cases, DPD, bucket, segment,
overdue amount and penalty. Prints one line; exits 1 on any difference.

Usage: bench/compare_cases.py DUCKDB_OUT.csv DUNNING_OUT/cases.csv
"""
import csv
import sys
from decimal import Decimal

duck = {}
with open(sys.argv[1], newline="") as f:
    for r in csv.DictReader(f):
        duck[(r["customer_id"], r["product"])] = (int(r["dpd"]), r["bucket"], r["segment"], int(r["overdue"]), int(r["penalty"]))

differences, ours = 0, 0
with open(sys.argv[2], newline="") as f:
    for r in csv.DictReader(f):
        ours += 1
        key = (r["customer_id"], r["product"])
        mine = (int(r["dpd"]), r["bucket"], r["segment"], int(Decimal(r["amount_overdue"]) * 100), int(Decimal(r["penalty_accrued"]) * 100))
        if duck.pop(key, None) != mine:
            differences += 1
differences += len(duck)  # cases only DuckDB found
print(f"agreement: {ours} cases in cases.csv, {differences} differences with DuckDB")
sys.exit(1 if differences else 0)
