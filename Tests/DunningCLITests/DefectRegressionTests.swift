import Foundation
import Testing

/// Defects found by testing engine 0.4.0 as an adversary and on a real loan book (issue 15),
/// each pinned end to end through the binary.
@Suite struct DefectRegressionTests {
    static let night1 = "fixtures/lifecycle/nights/2026-02-26"

    /// Tonight's files copied into `work/in`, with `edit` applied.
    static func input(_ work: String, from night: String = night1, _ edit: (String) throws -> Void = { _ in }) throws -> String {
        let input = work + "/in"
        try FileManager.default.copyItem(atPath: BinaryRunner.root.path + "/" + night, toPath: input)
        try edit(input)
        return input
    }

    static func replace(_ path: String, _ old: String, _ new: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        precondition(text.contains(old), "\(old) not in \(path)")
        try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func run(_ work: String, input: String, date: String = "2026-02-26", _ extra: [String] = []) throws -> BinaryRunner.Result {
        try BinaryRunner.run(["run", "--allow-any-date", "--as-of", date, "--input", input, "--db", work + "/s.sqlite",
                              "--out", work + "/out-\(date)"] + extra)
    }

    /// Item 1: `|` and lists with an empty place are bad rows, and no event crashes the run.
    @Test(arguments: ["|", "Asia/Shanghai|", "|Asia/Shanghai", "Asia/Shanghai||Asia/Urumqi"])
    func aZoneListWithAnEmptyPlaceIsABadRow(zone: String) throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        let input = try Self.input(work) { try Self.replace($0 + "/customers.csv", "C002,Asia/Shanghai", "C002,\(zone)") }
        try "at,customer_id,type,value\n2026-02-25T10:00:00+08:00,C002,call_attempt,\n".write(toFile: input + "/events.csv", atomically: true, encoding: .utf8)
        for dry in [true, false] {
            let refused = try Self.run(work, input: input, dry ? ["--dry-run"] : [])
            #expect(refused.status == 65, "\(zone): \(refused.stderr)")
            #expect(refused.stderr.contains("customers.csv:3:6: error: timezone '\(zone)' has an empty place in its list of zones"))
        }
        let skipped = try Self.run(work, input: input, ["--skip-bad-rows"])
        #expect(skipped.status == 0, "\(skipped.stderr)")
    }

    /// Item 2: a rejected customer row keeps its valid events, which act on the next night.
    @Test func theEventsOfARejectedCustomerRowAreKept() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        let input = try Self.input(work) { try Self.replace($0 + "/customers.csv", "C002,Asia/Shanghai,410", "C002,Asia/Shanghai,1200") }
        try "at,customer_id,type,value\n2026-02-25T10:00:00+08:00,C002,deceased,\n".write(toFile: input + "/events.csv", atomically: true, encoding: .utf8)
        let first = try Self.run(work, input: input, ["--skip-bad-rows"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(!first.stderr.contains("events.csv"), "the event row is not a bad row: \(first.stderr)")
        // The next night: the row is fixed and the event not sent again, as a "since the last run" feed does.
        let next = try Self.run(work, input: BinaryRunner.root.path + "/fixtures/lifecycle/nights/2026-02-27", date: "2026-02-27")
        #expect(next.status == 0, "\(next.stderr)")
        let contacts = try String(contentsOfFile: work + "/out-2026-02-27/contacts.csv", encoding: .utf8)
        #expect(!contacts.contains(",C002,"), "a deceased customer is contacted: \(contacts)")
        #expect(try String(contentsOfFile: work + "/out-2026-02-27/deferred.csv", encoding: .utf8).contains("suppressed_deceased"))
    }

    /// Item 3: an event is the same event however its time is written: three SMS reported again
    /// the next night in UTC are still three, not six against the 7-day cap of 7.
    @Test func eventsAreOneWhateverTheNotationOfTheirTime() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        let days = ["2026-02-22", "2026-02-23", "2026-02-24"]
        let first = try Self.input(work) { input in
            try ("at,customer_id,type,value\n" + days.map { "\($0)T10:00:00+08:00,C002,sms_sent,\n" }.joined())
                .write(toFile: input + "/events.csv", atomically: true, encoding: .utf8)
        }
        #expect(try Self.run(work, input: first).status == 0)
        let second = work + "/in2"
        try FileManager.default.copyItem(atPath: BinaryRunner.root.path + "/fixtures/lifecycle/nights/2026-02-27", toPath: second)
        try ("at,customer_id,type,value\n" + days.map { "\($0)T02:00:00Z,C002,sms_sent,\n" }.joined())
            .write(toFile: second + "/events.csv", atomically: true, encoding: .utf8)
        let next = try Self.run(work, input: second, date: "2026-02-27")
        #expect(next.status == 0, "\(next.stderr)")
        let contacts = try String(contentsOfFile: work + "/out-2026-02-27/contacts.csv", encoding: .utf8)
        #expect(contacts.contains(",C002,C002/cash_loan/1,sms,"), "held by a doubled count: \(contacts)")
        let stored = try BinaryRunner.run([work + "/s.sqlite", "SELECT count(*) FROM events WHERE customer_id = 'C002'"],
                                          executable: URL(fileURLWithPath: "/usr/bin/sqlite3"))
        #expect(stored.stdout == "3\n")
    }

    /// Item 4: a night run after its day is over plans nothing for minutes already gone.
    @Test func aNightRunLatePlansNothingInThePast() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        // A real run (no --allow-any-date) of a night months ago.
        let late = try BinaryRunner.run(["run", "--as-of", "2026-02-26", "--input", Self.night1, "--db", work + "/s.sqlite", "--out", work + "/o"])
        #expect(late.status == 0, "\(late.stderr)")
        let contacts = try String(contentsOfFile: work + "/o/contacts.csv", encoding: .utf8).split(separator: "\n")
        #expect(contacts.count == 1, "only the header: \(contacts)")
        let deferred = try String(contentsOfFile: work + "/o/deferred.csv", encoding: .utf8)
        #expect(deferred.contains(",time_passed,deferred,"))
        #expect(late.stdout.contains("time_passed"))
        // As a simulation the same night plans its contacts.
        let other = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(other + "/s.sqlite")
        let simulated = try Self.run(other, input: Self.night1)
        #expect(simulated.status == 0, "\(simulated.stderr)")
        #expect(simulated.stdout.contains("contacts  sms"))
    }

    /// Item 6: the store keeps each step's last contact as long as its `every` needs it, so a
    /// retention shorter than the longest `every` is refused.
    @Test func aRetentionShorterThanAStepsSpacingIsRefused() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        let yaml = try String(contentsOfFile: BinaryRunner.root.path + "/strategies/default.yaml", encoding: .utf8)
            .replacingOccurrences(of: "from: D+45, every: 7,", with: "from: D+45, every: 120,")
            .replacingOccurrences(of: "calendars/cn-2026.csv", with: BinaryRunner.root.path + "/strategies/calendars/cn-2026.csv")
        #expect(yaml.contains("every: 120"))
        try yaml.write(toFile: work + "/wide.yaml", atomically: true, encoding: .utf8)
        let refused = try Self.run(work, input: Self.night1, ["--strategy", work + "/wide.yaml"])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("--retain-days 92 is shorter than step late_third_party's every: 120"), "\(refused.stderr)")
        #expect(try Self.run(work, input: Self.night1, ["--strategy", work + "/wide.yaml", "--retain-days", "120"]).status == 0)
        #expect(try Self.run(work, input: Self.night1, ["--strategy", work + "/wide.yaml", "--retain-days", "0"]).status == 0)
    }

    /// Item 12: a FIFO (or device) in place of an input file is refused at once, not waited on.
    @Test func aPipeAsAnInputFileIsRefused() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        let input = try Self.input(work)
        #expect(mkfifo(input + "/events.csv", 0o600) == 0)
        let result = try Self.run(work, input: input)
        #expect(result.status == 66)
        #expect(result.stderr.contains("events.csv: input file is not a regular file"))
        let strategy = try BinaryRunner.run(["validate", "/dev/zero"])
        #expect(strategy.status == 78)
        #expect(strategy.stderr.contains("not a regular file"))
    }

    /// Item 13: canonically equivalent identifiers are not merged: only NFC is accepted.
    @Test func identifiersMustBeInNFC() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        let kelvin = "\u{212A}001", decomposed = "Jose\u{301}"
        let input = try Self.input(work) { input in
            try Self.replace(input + "/customers.csv", "C001,", "\(decomposed),")
            let ledger = try String(contentsOfFile: input + "/ledger.csv", encoding: .utf8)
            try (ledger + "LK1,\(kelvin),cash_loan,1,2026-02-20,100.00,0.00\n").write(toFile: input + "/ledger.csv", atomically: true, encoding: .utf8)
        }
        let result = try Self.run(work, input: input)
        #expect(result.status == 65)
        #expect(result.stderr.contains("customer_id 'Jose\u{301}' is not in Unicode NFC"))
        #expect(result.stderr.contains("customer_id '\(kelvin)' is not in Unicode NFC"))
    }

    /// Item 14: identifiers that a spreadsheet would run as formulas are refused; other output
    /// fields starting a formula are written as text.
    @Test func noOutputFieldStartsAFormula() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        for id in ["=HYPERLINK(\"x\")", "+1", "-1", "@SUM(A1)"] {
            let dir = work + "/\(abs(id.hashValue))"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let input = try Self.input(dir) { try Self.replace($0 + "/customers.csv", "C001,", "\"\(id.replacingOccurrences(of: "\"", with: "\"\""))\",") }
            let result = try BinaryRunner.run(["run", "--allow-any-date", "--as-of", "2026-02-26", "--input", input, "--db", work + "/s.sqlite",
                                               "--out", dir + "/o"])
            #expect(result.status == 65, "\(id)")
            #expect(result.stderr.contains("which a spreadsheet would run as a formula"), "\(id): \(result.stderr)")
        }
        // A strategy name is neutralised on output instead.
        let yaml = try String(contentsOfFile: BinaryRunner.root.path + "/strategies/default.yaml", encoding: .utf8)
            .replacingOccurrences(of: "- name: pre_due ", with: "- name: \"=pre_due\" ")
            .replacingOccurrences(of: "calendars/cn-2026.csv", with: BinaryRunner.root.path + "/strategies/calendars/cn-2026.csv")
        try yaml.write(toFile: work + "/formula.yaml", atomically: true, encoding: .utf8)
        let named = try Self.run(work, input: Self.night1, ["--strategy", work + "/formula.yaml"])
        #expect(named.status == 0, "\(named.stderr)")
        let cases = try String(contentsOfFile: work + "/out-2026-02-26/cases.csv", encoding: .utf8)
        #expect(cases.contains(",'=pre_due,"))
        for line in cases.split(separator: "\n") {
            for field in line.split(separator: ",", omittingEmptySubsequences: false) {
                #expect(!(field.first.map { "=+@".contains($0) } ?? false), "\(field)")
            }
        }
    }

    /// Item 15: values at the edges of what is accepted never crash the binary.
    @Test func extremeValuesAreRefusedOrComputedNeverATrap() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        let retain = try Self.run(work, input: Self.night1, ["--retain-days", "3000000000"])
        #expect(retain.status == 64)
        let input = try Self.input(work) { input in
            let ledger = try String(contentsOfFile: input + "/ledger.csv", encoding: .utf8)
            var rows = ledger
            for k in 1...3 { rows += "LX,C002,cash_loan,\(k),1900-01-0\(k),10000000000000.00,0.00\n" }
            rows += "LY,C001,cash_loan,1,0001-01-01,1.00,0.00\n"
            try rows.write(toFile: input + "/ledger.csv", atomically: true, encoding: .utf8)
        }
        let refused = try Self.run(work, input: input)
        #expect(refused.status == 65, "\(refused.stderr)")
        #expect(refused.stderr.contains("due_date 0001-01-01 is outside 1900-01-01 to 2299-12-31"))
        #expect(refused.stderr.contains("add up to more than 10000000000000.00, the most a case may owe"))
        let yaml = try String(contentsOfFile: BinaryRunner.root.path + "/strategies/default.yaml", encoding: .utf8)
            .replacingOccurrences(of: "daily_rate: \"0.0005\"", with: "daily_rate: \"0.01\"")
            .replacingOccurrences(of: "  cap_ratio: \"0.24\"", with: "")
            .replacingOccurrences(of: "calendars/cn-2026.csv", with: BinaryRunner.root.path + "/strategies/calendars/cn-2026.csv")
        try yaml.write(toFile: work + "/steep.yaml", atomically: true, encoding: .utf8)
        let big = try Self.input(BinaryRunner.temporaryDirectory()) { input in
            let ledger = try String(contentsOfFile: input + "/ledger.csv", encoding: .utf8)
            try (ledger + "LZ,C001,ecommerce,1,1900-01-01,9999999999999.99,0.00\n").write(toFile: input + "/ledger.csv", atomically: true, encoding: .utf8)
        }
        let computed = try Self.run(work, input: big, ["--strategy", work + "/steep.yaml"])
        #expect(computed.status == 0, "\(computed.stderr)")
    }

    /// Item 16: exit codes as the README says, decided before any work.
    @Test func outputAndStoreProblemsExitAsDocumented() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        try "x".write(toFile: work + "/file", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: work + "/dangling", withDestinationPath: work + "/nowhere/at/all")
        for out in [work + "/file", work + "/dangling"] {
            let result = try BinaryRunner.run(["run", "--allow-any-date", "--as-of", "2026-02-26", "--input", Self.night1,
                                               "--db", work + "/s.sqlite", "--out", out])
            #expect(result.status == 73, "\(out): \(result.stderr)")
        }
        #expect(try String(contentsOfFile: work + "/file", encoding: .utf8) == "x")
        let help = try BinaryRunner.run(["run", "--help"])
        #expect(!help.stdout.contains("(default: 600). (default: 600)") && !help.stdout.contains("(default: 92) "))
    }
}
