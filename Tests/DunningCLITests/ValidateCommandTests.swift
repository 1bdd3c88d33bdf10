import Foundation
import Testing

@Suite struct ValidateCommandTests {
    @Test func theBundledStrategiesAreValid() throws {
        let result = try BinaryRunner.run(["validate", "strategies/default.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("strategies/default.yaml: ok (strategy default, 7 segments, 4 buckets, 5 treatments, 3 notices, 33 holidays"))
    }

    @Test func everyProblemIsReportedWithItsPositionAndExit78() throws {
        let work = BinaryRunner.temporaryDirectory()
        let yaml = """
            name: broken
            business_time_zone: Asia/Shanghai
            currency: CNY
            stages:
              penalty: D+2
              credit_notice: D+8
              credit_report: D+8
              litigaton: M12
            buckets:
              - {name: M0, from: 1, to: 30}
              - {name: M1, from: 32, to: 60}
              - {name: M2, from: 61}
            segments:
              - name: early
                buckets: [M0]

            """
        try yaml.write(toFile: work + "/broken.yaml", atomically: true, encoding: .utf8)
        let result = try BinaryRunner.run(["validate", work + "/broken.yaml", "strategies/default.yaml"])
        #expect(result.status == 78)
        let lines = result.stderr.split(separator: "\n").map { $0.replacingOccurrences(of: work + "/", with: "") }
        #expect(lines.contains { $0.hasPrefix("broken.yaml:7:3: error: stages out of order: credit_report (D+8) must be at least 1 day(s) after credit_notice (D+8)") })
        #expect(lines.contains { $0.hasPrefix("broken.yaml:8:3: error: unknown key 'litigaton' in stages; did you mean 'litigation'?") })
        #expect(lines.contains { $0.hasPrefix("broken.yaml:11:5: error: gap between buckets: M0 ends at 30 but M1 starts at 32") })
        #expect(lines.contains { $0.hasPrefix("broken.yaml:14:3: error: segments have no catch-all") })
        // (A warning about the default calendar's end may come too, depending on today's date.)
        #expect(lines.filter { $0.contains(": error: ") }.count == 4)
        #expect(lines.filter { !$0.contains(": error: ") && !$0.contains(": warning: the holiday calendar") }.isEmpty)
        #expect(result.stdout.contains("strategies/default.yaml: ok"))
    }

    /// The legal window is a floor no strategy may widen: validate names the line.
    @Test func aWiderContactWindowIsRejectedWithItsLine() throws {
        let work = BinaryRunner.temporaryDirectory()
        let yaml = """
            name: too-wide
            business_time_zone: Asia/Shanghai
            currency: CNY
            segments:
              - name: everyone
                window: "09:00-22:00"
            contact:
              window: "07:30-21:00"
              channels:
                call: {per_7_days: 9, quiet_days_after_conversation: 3}

            """
        try yaml.write(toFile: work + "/wide.yaml", atomically: true, encoding: .utf8)
        let result = try BinaryRunner.run(["validate", work + "/wide.yaml"])
        #expect(result.status == 78)
        let lines = result.stderr.split(separator: "\n").map { $0.replacingOccurrences(of: work + "/", with: "") }
        #expect(lines.contains { $0.hasPrefix("wide.yaml:6:13: error: segment 'everyone' window 09:00-22:00 widens the legal contact window") })
        #expect(lines.contains { $0.hasPrefix("wide.yaml:8:11: error: contact.window 07:30-21:00 widens the legal contact window") })
        #expect(lines.contains { $0.hasPrefix("wide.yaml:10:24: error: contact.channels.call.per_7_days may not exceed 7") })
        #expect(lines.contains { $0.hasPrefix("wide.yaml:10:58: error: contact.channels.call.quiet_days_after_conversation may not be below 7") })
        #expect(lines.count == 4, "\(lines)")
    }

    @Test func aRosterIsCheckedAgainstTheStrategysGroups() throws {
        let good = try BinaryRunner.run(["validate", "strategies/default.yaml", "--agents", "fixtures/lifecycle/nights/2026-02-26/agents.csv"])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("6 allocation groups"))
        // The allocation fixture's groups are named differently: every row that does not fit is reported.
        let bad = try BinaryRunner.run(["validate", "fixtures/allocation/strategy.yaml", "--agents", "fixtures/lifecycle/nights/2026-02-26/agents.csv"])
        #expect(bad.status == 78)
        #expect(bad.stdout.isEmpty)
        let lines = bad.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains("fixtures/lifecycle/nights/2026-02-26/agents.csv:4:5: error: group 'm0_ecommerce' is not an allocation group of the strategy (known: m0_cash, m0_other, m1_m2, agencies)"))
        #expect(lines.count == 5)
        let missing = try BinaryRunner.run(["validate", "strategies/default.yaml", "--agents", "no/such/agents.csv"])
        #expect(missing.status == 78)
        #expect(missing.stderr == "no/such/agents.csv:1:1: error: required input file not found\n")
    }
}

@Suite struct PreviewCommandTests {
    @Test func previewPrintsATableOrJSONAndCommitsNothing() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        let nights = "fixtures/allocation/nights"
        for day in ["2026-04-01", "2026-04-02"] {
            let run = try BinaryRunner.run(["run", "--as-of", day, "--strategy", "fixtures/allocation/strategy.yaml", "--input", "\(nights)/\(day)",
                                            "--db", work + "/s.sqlite", "--out", work + "/o\(day)"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let yaml = try String(contentsOfFile: BinaryRunner.root.path + "/fixtures/allocation/strategy.yaml", encoding: .utf8)
        try yaml.replacingOccurrences(of: "shares: {AG_EAST: 60, AG_WEST: 40}", with: "shares: {AG_EAST: 50, AG_WEST: 50}")
            .write(toFile: work + "/candidate.yaml", atomically: true, encoding: .utf8)
        let args = ["preview", "--as-of", "2026-04-03", "--strategy", work + "/candidate.yaml", "--baseline", "fixtures/allocation/strategy.yaml",
                    "--input", "\(nights)/2026-04-03", "--db", work + "/s.sqlite"]
        let table = try BinaryRunner.run(args)
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("dunning preview 2026-04-03  baseline allocation-golden (") == true)
        #expect(lines.contains { $0.hasPrefix("    agencies/AG_EAST") && $0.split(separator: " ").suffix(3) == ["4", "2", "-2"] })
        #expect(lines.contains("    (9 unchanged)"))
        let json = try BinaryRunner.run(args + ["--json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["as_of"] as? String == "2026-04-03")
        #expect((object?["sections"] as? [Any])?.count == 11)
        // Nothing was committed: the third night is still to be run.
        let status = try BinaryRunner.run(["run", "--as-of", "2026-04-03", "--strategy", "fixtures/allocation/strategy.yaml",
                                           "--input", "\(nights)/2026-04-03", "--db", work + "/s.sqlite", "--out", work + "/o3"])
        #expect(status.status == 0)
        #expect(!status.stdout.contains("re-run"))
        let missing = try BinaryRunner.run(["preview", "--as-of", "2026-04-03", "--strategy", work + "/nope.yaml", "--baseline",
                                            "fixtures/allocation/strategy.yaml", "--input", "\(nights)/2026-04-03", "--db", work + "/s.sqlite"])
        #expect(missing.status == 78)
        #expect(missing.stderr.contains("nope.yaml:1:1: error: cannot read the strategy file"))
    }
}

@Suite struct ExplainCommandTests {
    @Test func explainPrintsWhyAndExits66ForAnUnknownCustomer() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        for day in ["2026-02-26", "2026-02-27"] {
            let run = try BinaryRunner.run(["run", "--as-of", day, "--input", "fixtures/lifecycle/nights/\(day)", "--db", work + "/s.sqlite",
                                            "--out", work + "/o\(day)"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let text = try BinaryRunner.run(["explain", "C003", "--db", work + "/s.sqlite"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("customer C003 on 2026-02-27\n"))
        #expect(text.stdout.contains("  agent     agent S01 since 2026-02-27; that night: recycled (bucket_changed)\n"))
        let json = try BinaryRunner.run(["explain", "C003", "--as-of", "2026-02-26", "--json"], environment: ["DUNNING_DB": work + "/s.sqlite"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["night"] as? String == "2026-02-26")
        let unknown = try BinaryRunner.run(["explain", "NOBODY", "--db", work + "/s.sqlite"])
        #expect(unknown.status == 66)
        #expect(unknown.stderr == "error: customer NOBODY has never had a case in \(work)/s.sqlite (check the ID: it is compared as written)\n")
    }
}
