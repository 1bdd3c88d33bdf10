import DunningCore
@testable import DunningStrategy
import Testing

/// Positions are 1-based; every line:column below was counted by hand on the YAML text.
@Suite("StrategyLoader: diagnostics for files with several mistakes")
struct StrategyDiagnosticsTests {
    /// The example of docs/strategy.md ("Checking a strategy").
    @Test func documentedBrokenFileReportsEverything() {
        let yaml = """
        name: broken
        business_time_zone: Asia/Shangai
        currency: cny
        paid_tolerence: "0.00"

        stages:
          pre_collection: D-2
          penalty: D+2
          credit_notice: D+8
          credit_report: D+8
          litigation: M12

        penalty:
          daily_rate: "0.05"
          rounding: nearest

        buckets:
          - {name: M0, from: 1, to: 30}
          - {name: M1, from: 35, to: 60}
          - {name: M2, from: 55, to: 90}
          - {name: M3+, from: 91, to: 365}

        segments:
          - name: early
            buckets: [M0, M9]
          - name: other
          - name: late
            buckets: [M1]

        """
        let allowedTop = "name, description, business_time_zone, customer_time_zone, currency, paid_tolerance, stages, penalty, buckets, segments, contact, templates, notices, treatments, allocation, safety"
        #expect(Load.diagnostics(yaml, file: "broken.yaml").rendered == [
            "broken.yaml:2:21: error: business_time_zone: unknown IANA time zone 'Asia/Shangai' (e.g. Asia/Shanghai, America/New_York)",
            "broken.yaml:3:11: error: currency must be an ISO 4217 code such as CNY or USD, not 'cny'",
            "broken.yaml:4:1: error: unknown key 'paid_tolerence' in the strategy; did you mean 'paid_tolerance'? (allowed: \(allowedTop))",
            "broken.yaml:10:3: error: stages out of order: credit_report (D+8) must be at least 1 day(s) after credit_notice (D+8)",
            "broken.yaml:14:15: error: penalty.daily_rate 0.05 is above 1% a day; write 0.0005 for 0.05% a day",
            "broken.yaml:15:13: error: penalty.rounding must be one of half_up, half_even, down",
            "broken.yaml:19:5: error: gap between buckets: M0 ends at 30 but M1 starts at 35",
            "broken.yaml:20:5: error: overlapping buckets: M2 starts at 55 but M1 runs to 60",
            "broken.yaml:21:5: error: the last bucket (M3+) must have no 'to', so that every DPD has a bucket",
            "broken.yaml:25:14: error: segment 'early': unknown bucket 'M9' (known: current, M0, M1, M2, M3+)",
            "broken.yaml:27:5: error: segment 'late' can never match: the catch-all at line 26 takes every case first",
        ])
    }

    /// Wrong types, a missing catch-all and more, all reported in one pass.
    @Test func secondFileWithWrongTypesAndNoCatchAll() {
        let yaml = """
        name: [not, text]
        business_time_zone: Mars/Olympus
        customr_time_zone: UTC
        currency: US
        stages:
          credit_notice: D+9
          credit_report: D+8
          credit_notice_lead_days: two
          litigation: 12
        penalty: half_up
        buckets:
          - {name: M0, from: 1, to: 30}
          - {name: M1, from: 31, to: 60}
          - {name: M2, from: 70, to: 90}
          - {name: M3, from: 85, to: 400}
        segments:
          - name: scored
            score: {min: 700, max: 600}
            amount: {min: "1.005"}
          - name: ecom
            products: [cash/loan]
            buckets: [M0, M4]
          - name: scored
            buckets: [current]

        """
        let allowedTop = "name, description, business_time_zone, customer_time_zone, currency, paid_tolerance, stages, penalty, buckets, segments, contact, templates, notices, treatments, allocation, safety"
        #expect(Load.diagnostics(yaml).located == [
            "1:7 name must be a text value",
            "2:21 business_time_zone: unknown IANA time zone 'Mars/Olympus' (e.g. Asia/Shanghai, America/New_York)",
            "3:1 unknown key 'customr_time_zone' in the strategy; did you mean 'customer_time_zone'? (allowed: \(allowedTop))",
            "4:11 currency must be an ISO 4217 code such as CNY or USD, not 'US'",
            "7:3 stages out of order: credit_report (D+8) must be at least 1 day(s) after credit_notice (D+9)",
            "8:28 stages.credit_notice_lead_days must be a whole number",
            "9:15 stages.litigation must be a month count such as M12 (M1 to M120)",
            "10:10 penalty must be a mapping (key: value lines)",
            "14:5 gap between buckets: M1 ends at 60 but M2 starts at 70",
            "15:5 overlapping buckets: M3 starts at 85 but M2 runs to 90",
            "15:5 the last bucket (M3) must have no 'to', so that every DPD has a bucket",
            "17:3 segments have no catch-all: add a last segment with only a name, so that every case gets a segment",
            "18:12 segment 'scored': score min 700 is above max 600",
            "19:19 segment amount min: amount has more than two fraction digits",
            "21:15 segment 'ecom': product code 'cash/loan' may use only letters, digits, '_', '-' and '.'",
            "22:14 segment 'ecom': unknown bucket 'M4' (known: current, M0, M1, M2, M3)",
            "23:5 segment name 'scored' is used twice",
        ])
    }

    @Test func diagnosticsAreSortedAndRenderedLikeACompiler() {
        guard case .failure(let error) = Load.result("""
        name: x
        business_time_zone: Asia/Shanghai
        currency: cny
        segments: none

        """, file: "dir/s.yaml") else {
            Issue.record("expected failure")
            return
        }
        #expect(error.description == """
        dir/s.yaml:3:11: error: currency must be an ISO 4217 code such as CNY or USD, not 'cny'
        dir/s.yaml:4:11: error: segments must be a list
        """)
    }

    @Test func diagnosticRendering() {
        #expect(Diagnostic(file: "a.yaml", line: 3, column: 7, message: "bad").description == "a.yaml:3:7: error: bad")
        #expect(Diagnostic(file: "b.csv", line: 1, column: 1, severity: .warning, message: "w").description == "b.csv:1:1: warning: w")
        let sorted = StrategyError(diagnostics: [
            Diagnostic(file: "f", line: 10, column: 1, message: "c"),
            Diagnostic(file: "f", line: 2, column: 9, message: "b"),
            Diagnostic(file: "f", line: 2, column: 3, message: "a"),
        ])
        #expect(sorted.diagnostics.map(\.message) == ["a", "b", "c"])
        #expect(sorted.description == "f:2:3: error: a\nf:2:9: error: b\nf:10:1: error: c")
    }
}

@Suite("StrategyLoader: one mistake at a time")
struct StrategySingleMistakeTests {
    // Load.minimal puts name, business_time_zone and currency on lines 1-3; `extra` starts on line 4.
    @Test("each mistake is located", arguments: [
        ("stages: D+2\n", ["4:9 stages must be a mapping (key: value lines)"]),
        ("buckets: M0\n", ["4:10 buckets must be a list"]),
        ("buckets: []\n", ["4:10 buckets must list at least one bucket"]),
        ("stages:\n  pre_collection: D+1\n", ["5:3 stages.pre_collection (D+1) must be on or before the due date (D0 or earlier)"]),
        ("stages:\n  penalty: D0\n", ["5:3 stages.penalty (D+0) must be after the due date (D+1 or later)"]),
        ("stages:\n  credit_notice: D-2\n  credit_report: D0\n", ["6:3 stages.credit_report must be after the due date (D+1 or later)"]),
        ("stages:\n  credit_notice: D-3\n", ["5:3 stages out of order: credit_notice (D-3) comes before pre_collection (D-2)"]),
        ("stages:\n  credit_report: D+28\n  litigation: M1\n", ["6:3 stages out of order: litigation (M1) comes before credit_report (D+28)"]),
        ("stages:\n  credit_report: tomorrow\n", ["5:18 stages.credit_report must be a day from D-366 to D+3660 such as D-2 or D+8, not 'tomorrow'"]),
        ("stages:\n  credit_report: 5000\n", ["5:18 stages.credit_report must be a day from D-366 to D+3660 such as D-2 or D+8, not '5000'"]),
        ("stages:\n  credit_report: D+5000\n", ["5:18 stages.credit_report must be a day from D-366 to D+3660 such as D-2 or D+8, not 'D+5000'"]),
        ("stages:\n  litigation: M0\n", ["5:15 stages.litigation must be a month count such as M12 (M1 to M120)"]),
        ("stages:\n  litigation: M121\n", ["5:15 stages.litigation must be a month count such as M12 (M1 to M120)"]),
        ("stages:\n  credit_notice_lead_days: 61\n", ["5:28 stages.credit_notice_lead_days must be between 1 and 60, not 61"]),
        ("stages:\n  penalti: D+2\n", ["5:3 unknown key 'penalti' in stages; did you mean 'penalty'? (allowed: pre_collection, penalty, credit_notice, credit_report, credit_notice_lead_days, litigation)"]),
        ("penalty:\n  daily_rate: 5e-4\n", ["5:15 penalty.daily_rate must be a decimal such as 0.0005 (no sign, no exponent, at most 9 decimals)"]),
        ("penalty:\n  daily_rate: \"-0.0005\"\n", ["5:15 penalty.daily_rate must be a decimal such as 0.0005 (no sign, no exponent, at most 9 decimals)"]),
        ("penalty:\n  daily_rate: \"0.0100001\"\n", ["5:15 penalty.daily_rate 0.0100001 is above 1% a day; write 0.0005 for 0.05% a day"]),
        ("penalty:\n  rounding: nearest\n", ["5:13 penalty.rounding must be one of half_up, half_even, down"]),
        ("penalty:\n  foo: 1\n", ["5:3 unknown key 'foo' in penalty (allowed: daily_rate, cap_ratio, rounding)"]),
        ("customer_time_zone: EST\n", ["4:21 customer_time_zone: unknown IANA time zone 'EST' (e.g. Asia/Shanghai, America/New_York)"]),
        ("customer_time_zone: \"+08:00\"\n", ["4:21 customer_time_zone: unknown IANA time zone '+08:00' (e.g. Asia/Shanghai, America/New_York)"]),
        ("paid_tolerance: \"-1\"\n", ["4:17 paid_tolerance: amount is negative"]),
        ("paid_tolerance: \"0.005\"\n", ["4:17 paid_tolerance: amount has more than two fraction digits"]),
        ("description: \"\"\n", ["4:14 description must not be empty"]),
        ("buckets:\n  - {name: M0, from: 2, to: 30}\n  - {name: M1, from: 31}\n",
         ["5:5 the first bucket must start at DPD 1 or earlier (it starts at 2), or overdue cases would have no bucket"]),
        ("buckets:\n  - {name: M0, from: 1}\n  - {name: M1, from: 31}\n", ["5:5 bucket M0 has no 'to' but is not the last bucket"]),
        ("buckets:\n  - {name: M0, from: 1, to: 30}\n  - {name: M0, from: 31}\n", ["6:5 bucket name 'M0' is used twice"]),
        ("buckets:\n  - {name: M0, from: 1, to: 0}\n  - {name: M1, from: 1}\n", ["5:29 bucket M0: 'to' (0) is below 'from' (1)"]),
        ("buckets:\n  - {name: current, from: 1}\n", ["5:5 bucket name 'current' is reserved for cases below the first bucket"]),
        ("buckets:\n  - {name: \"A->B\", from: 1}\n", ["5:5 bucket name 'A->B' may not contain '->' or ','"]),
        ("buckets:\n  - {name: \"A,B\", from: 1}\n", ["5:5 bucket name 'A,B' may not contain '->' or ','"]),
    ])
    func located(extra: String, expected: [String]) {
        #expect(Load.diagnostics(Load.minimal(extra)).located == expected)
    }

    // Segment sections start on line 4.
    @Test("segment mistakes", arguments: [
        ("segments: everyone\n", ["4:11 segments must be a list"]),
        ("segments:\n  - name: a\n    buckets: [M9]\n  - name: rest\n",
         ["6:14 segment 'a': unknown bucket 'M9' (known: current, M0, M1, M2, M3+)"]),
        ("segments:\n  - name: a\n    buckets: M9\n  - name: rest\n",
         ["6:14 segment 'a': unknown bucket 'M9' (known: current, M0, M1, M2, M3+)"]),
        ("segments:\n  - name: a\n    amount: {}\n  - name: rest\n",
         ["6:13 segment 'a': amount needs min, max or both"]),
        ("segments:\n  - name: a\n    buckets: []\n  - name: rest\n",
         ["6:14 segment 'a': an empty buckets list matches nothing; remove the key to match every bucket"]),
        ("segments:\n  - name: a\n    products: []\n  - name: rest\n",
         ["6:15 segment 'a': an empty products list matches nothing; remove the key to match every product"]),
        ("segments:\n  - name: a\n    amount: {min: \"10.00\", max: \"5.00\"}\n  - name: rest\n",
         ["6:13 segment 'a': amount min 10.00 is above max 5.00"]),
        ("segments:\n  - name: a\n    score: {min: 1001}\n  - name: rest\n",
         ["6:18 score min must be between 0 and 1000, not 1001"]),
        ("segments:\n  - name: a\n    score: high\n  - name: rest\n",
         ["6:12 segment score (or the word unscored) must be a mapping (key: value lines)"]),
        ("segments:\n  - buckets: [M0]\n  - name: rest\n", ["5:5 missing required key 'name'"]),
        ("segments:\n  - name: a\n    bucket: [M0]\n  - name: rest\n", [
            "6:5 unknown key 'bucket' in a segment; did you mean 'buckets'? (allowed: name, buckets, score, amount, products, treatment, window, experiment)",
            "7:5 segment 'rest' can never match: the catch-all at line 5 takes every case first",
        ]),
        ("segments:\n  - name: a\n    products: [cash loan]\n  - name: rest\n",
         ["6:15 segment 'a': product code 'cash loan' may use only letters, digits, '_', '-' and '.'"]),
        ("segments:\n  - name: rest\n  - name: rest\n", [
            "6:5 segment 'rest' can never match: the catch-all at line 5 takes every case first",
            "6:5 segment name 'rest' is used twice",
        ]),
        ("segments:\n  - name: a\n    buckets: [M0]\n", [
            "5:3 segments have no catch-all: add a last segment with only a name, so that every case gets a segment",
        ]),
    ])
    func segmentMistakes(segments: String, expected: [String]) {
        #expect(Load.diagnostics(Load.minimal(segments: segments)).located == expected)
    }

    @Test func badBucketFieldsAreLocated() {
        // When no bucket survives, "at least one bucket" is reported too; the field's own diagnostic must be there.
        let badFrom = Load.diagnostics(Load.minimal("buckets:\n  - {name: M0, from: one}\n")).located
        #expect(badFrom.contains("5:22 bucket from must be a whole number"))
        let badKey = Load.diagnostics(Load.minimal("buckets:\n  - {nam: M0, from: 1}\n")).located
        #expect(badKey.contains("5:5 missing required key 'name'"))
        #expect(badKey.contains("5:6 unknown key 'nam' in a bucket; did you mean 'name'? (allowed: name, from, to)"))
    }

    @Test func missingRequiredTopLevelKeys() {
        #expect(Load.diagnostics("description: only\n").located == [
            "1:1 missing required key 'business_time_zone'",
            "1:1 missing required key 'currency'",
            "1:1 missing required key 'name'",
            "1:1 missing required key 'segments'",
        ])
    }

    @Test func wholeFileProblemsAtOneOne() {
        #expect(Load.diagnostics("- a\n- b\n").located == ["1:1 the strategy must be a mapping (key: value lines)"])
        #expect(Load.diagnostics("").located == ["1:1 strategy file is empty"])
        #expect(Load.diagnostics("# only a comment\n").located == ["1:1 strategy file is empty"])
        guard case .failure(let utf8) = StrategyLoader.load(bytes: Array("name: ".utf8) + [0xFF, 0xFE, 0x0A], file: "x.yaml") else {
            Issue.record("invalid UTF-8 accepted")
            return
        }
        #expect(utf8.diagnostics.rendered == ["x.yaml:1:1: error: strategy file is not valid UTF-8"])
        let big = [UInt8](repeating: UInt8(ascii: "#"), count: 1_048_577)
        guard case .failure(let tooBig) = StrategyLoader.load(bytes: big, file: "big.yaml") else {
            Issue.record("oversized file accepted")
            return
        }
        #expect(tooBig.diagnostics.rendered == ["big.yaml:1:1: error: strategy file is 1048577 bytes; the limit is 1048576"])
    }
}

@Suite("StrategyLoader: YAML syntax errors and duplicate keys")
struct StrategyYAMLErrorTests {
    @Test func mappingValueInPlainScalar() throws {
        // Line 3: "currency: CNY: USD" - the second ':' is at column 14.
        let d = Load.diagnostics("name: x\nbusiness_time_zone: UTC\ncurrency: CNY: USD\nsegments:\n  - name: a\n")
        #expect(d.count == 1)
        let only = try #require(d.first)
        #expect(only.line == 3)
        #expect(only.column == 14)
        #expect(only.message.hasPrefix("YAML syntax: "))
        #expect(only.message.contains("mapping values are not allowed"))
        #expect(only.description.hasPrefix("test.yaml:3:14: error: YAML syntax: "))
    }

    @Test func unclosedFlowSequence() throws {
        // The sequence opened on line 4 is still open at the end of the input (line 5, column 1).
        let d = Load.diagnostics("name: x\nbusiness_time_zone: UTC\ncurrency: CNY\nsegments: [a, b\n")
        #expect(d.count == 1)
        let only = try #require(d.first)
        #expect(only.line == 5)
        #expect(only.column == 1)
        #expect(only.message.hasPrefix("YAML syntax: "))
        #expect(only.message.contains("flow sequence"))
    }

    @Test func duplicateKeyInNestedMappingIsLocatedInThatMapping() throws {
        // Wherever exactly, the diagnostic must point into the stages mapping (lines 5-7, column 3), not at 1:1.
        let yaml = "name: a\nbusiness_time_zone: UTC\ncurrency: CNY\nstages:\n  pre_collection: D-2\n  penalty: D+2\n  penalty: D+3\nsegments:\n  - name: other\n"
        let d = Load.diagnostics(yaml)
        #expect(d.count == 1)
        let only = try #require(d.first)
        #expect(only.message == "duplicate key 'penalty' in the same mapping")
        #expect((5...7).contains(only.line))
        #expect(only.column == 3)
    }

    @Test func duplicateTopLevelKey() {
        // docs/strategy.md: a duplicate key is reported alone, at the mapping's first key (top level: 1:1).
        let yaml = "name: a\nbusiness_time_zone: UTC\ncurrency: CNY\nsegments:\n  - name: other\nname: b\n"
        #expect(Load.diagnostics(yaml, file: "dup.yaml").rendered == ["dup.yaml:1:1: error: duplicate key 'name' in the same mapping"])
    }

    @Test func duplicateKeyIsReportedAlone() {
        // Other mistakes in the file (a bad currency) are not reported with it.
        let yaml = "currency: cny\nname: a\nbusiness_time_zone: UTC\nsegments:\n  - name: other\nname: b\n"
        let d = Load.diagnostics(yaml)
        #expect(d.count == 1)
        #expect(d.first?.message == "duplicate key 'name' in the same mapping")
        #expect(d.first?.line != nil && (d.first?.line ?? 0) < 6)
    }

    @Test func duplicateKeyInNestedMappingAtTheKeysFirstOccurrence() {
        // docs/strategy.md: reported at the first occurrence of the repeated key (penalty, 6:3).
        let yaml = "name: a\nbusiness_time_zone: UTC\ncurrency: CNY\nstages:\n  pre_collection: D-2\n  penalty: D+2\n  penalty: D+3\nsegments:\n  - name: other\n"
        #expect(Load.diagnostics(yaml).located == ["6:3 duplicate key 'penalty' in the same mapping"])
    }
}
