import Foundation
import Testing

/// A failed, partial or stale extract is refused before it can settle cases: the open book
/// against tonight's files, and the extract's own manifest.
@Suite(.serialized) struct ExtractSafetyTests {
    /// A generated book (3,000 customers, about 1,900 open cases) whose first night is committed;
    /// each test copies the store and works on a copy of the files.
    static let book: (input: String, store: String) = {
        let work = BinaryRunner.temporaryDirectory()
        let generated = try? BinaryRunner.run(["generate", "--customers", "3000", "--as-of", "2026-11-22", "--out", work + "/in"])
        precondition(generated?.status == 0, "generate: \(generated?.stderr ?? "did not run")")
        _ = try? BinaryRunner.initStore(work + "/base.sqlite")
        let first = try? BinaryRunner.run(["run", "--as-of", "2026-11-22", "--input", work + "/in", "--db", work + "/base.sqlite",
                                          "--out", work + "/out-1"])
        precondition(first?.status == 0, "night 1: \(first?.stderr ?? "did not run")")
        return (work + "/in", work + "/base.sqlite")
    }()

    /// Tonight's (2026-11-22's files re-run as 2026-11-23, without their manifest unless asked)
    /// in a new directory, with a copy of the store; `edit` changes the files.
    static func night(manifest: Bool = false, _ edit: (String) throws -> Void = { _ in }) throws -> (input: String, store: String, work: String) {
        let work = BinaryRunner.temporaryDirectory()
        try FileManager.default.copyItem(atPath: book.input, toPath: work + "/in")
        if !manifest { try FileManager.default.removeItem(atPath: work + "/in/manifest.json") }
        try FileManager.default.copyItem(atPath: book.store, toPath: work + "/s.sqlite")
        try edit(work + "/in")
        return (work + "/in", work + "/s.sqlite", work)
    }

    static func run(_ night: (input: String, store: String, work: String), date: String = "2026-11-23",
                    _ extra: [String] = []) throws -> BinaryRunner.Result {
        try BinaryRunner.run(["run", "--as-of", date, "--input", night.input, "--db", night.store, "--out", night.work + "/out"] + extra)
    }

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    static func write(_ lines: [String], to path: String) throws {
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The store file, byte for byte, and no output: what a refused night must leave.
    static func expectUntouched(_ night: (input: String, store: String, work: String), _ comment: Comment) throws {
        #expect(try Data(contentsOf: URL(fileURLWithPath: night.store)) == Data(contentsOf: URL(fileURLWithPath: book.store)), comment)
        #expect(!FileManager.default.fileExists(atPath: night.work + "/out/actions.csv"), comment)
    }

    static func sqlite(_ store: String, _ sql: String) throws -> String {
        try BinaryRunner.run([store, sql], executable: URL(fileURLWithPath: "/usr/bin/sqlite3")).stdout
    }

    @Test func aHeaderOnlyLedgerIsRefusedAndCanBeAcceptedExactly() throws {
        let night = try Self.night { input in
            try Self.write([Self.lines(input + "/ledger.csv")[0], ""], to: input + "/ledger.csv")
        }
        let refused = try Self.run(night)
        #expect(refused.status == 65)
        let errors = refused.stderr.split(separator: "\n").map(String.init)
        let open = try #require(Int(Self.sqlite(night.store, "SELECT count(*) FROM cases").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(errors.count == 2, "\(errors)")
        #expect(errors.first == "\(night.input)/ledger.csv:1:1: error: \(open) of the \(open) cases open after 2026-11-22 (100%) have no row in tonight's ledger.csv, more than the 2% the strategy allows (safety.max_missing_share): this looks like a failed or partial extract, and running would settle every one of them. A paid loan stays in the extract; a case leaves it only when it leaves the book")
        #expect(errors.last?.contains("run again with --accept-missing \(open) (it accepts exactly that many, tonight only)") == true)
        try Self.expectUntouched(night, "header-only ledger")
        // A wrong count is refused too; the exact one goes through, recorded in the store and summary.
        let wrong = try Self.run(night, ["--accept-missing", "\(open - 1)"])
        #expect(wrong.status == 65)
        #expect(wrong.stderr.contains("--accept-missing \(open - 1) was given, but \(open) of the open cases are missing"))
        let accepted = try Self.run(night, ["--accept-missing", "\(open)"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout.contains("  extract   missing from ledger \(open)  customers 0 (of \(open) open)  accepted \(open)\n"))
        #expect(try Self.sqlite(night.store, "SELECT accepted_missing FROM runs WHERE run_date = '2026-11-23'") == "\(open)\n")
        let summary = try String(contentsOfFile: night.work + "/out/summary.json", encoding: .utf8)
        #expect(summary.contains("\"accepted_missing\" : \(open)"))
        // The acceptance is for one night: the next night without the flag checks again.
        #expect(try Self.sqlite(night.store, "SELECT accepted_missing IS NULL FROM runs WHERE run_date = '2026-11-22'") == "1\n")
    }

    @Test func aLedgerMissingHalfTheBookOrTruncatedIsRefused() throws {
        for (name, keep) in [("half", 0.5), ("truncated at 80%", 0.8)] {
            let night = try Self.night { input in
                let lines = try Self.lines(input + "/ledger.csv")
                // Cut at a line end: the file parses cleanly, it only lacks its tail.
                try Self.write(Array(lines.prefix(Int(Double(lines.count) * keep))) + [""], to: input + "/ledger.csv")
            }
            let refused = try Self.run(night)
            #expect(refused.status == 65, "\(name)")
            #expect(refused.stderr.contains("have no row in tonight's ledger.csv, more than the 2% the strategy allows"), "\(name): \(refused.stderr)")
            try Self.expectUntouched(night, "\(name)")
            // --skip-bad-rows changes nothing: nothing is bad, the file is short.
            #expect(try Self.run(night, ["--skip-bad-rows"]).status == 65, "\(name)")
        }
    }

    /// A share of 0% lets no case go missing, not even one; the default lets one through.
    @Test func aZeroShareRefusesASingleMissingCase() throws {
        let open = try Self.sqlite(Self.book.store, "SELECT customer_id FROM cases ORDER BY case_id LIMIT 1")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let night = try Self.night { input in
            let lines = try Self.lines(input + "/ledger.csv")
            try Self.write(lines.filter { !$0.contains(",\(open),") }, to: input + "/ledger.csv")
        }
        let yaml = try String(contentsOfFile: BinaryRunner.root.path + "/strategies/default.yaml", encoding: .utf8)
            .replacingOccurrences(of: "max_missing_share: 2%", with: "max_missing_share: 0%")
            .replacingOccurrences(of: "calendars/cn-2026.csv", with: BinaryRunner.root.path + "/strategies/calendars/cn-2026.csv")
        try yaml.write(toFile: night.work + "/strict.yaml", atomically: true, encoding: .utf8)
        let refused = try Self.run(night, ["--strategy", night.work + "/strict.yaml"])
        #expect(refused.status == 65, "\(refused.stderr)")
        #expect(refused.stderr.contains("1 of the ") && refused.stderr.contains("more than the 0% the strategy allows"))
        try Self.expectUntouched(night, "one case missing, 0% allowed")
        let lenient = try Self.run(night)
        #expect(lenient.status == 0, "\(lenient.stderr)")
        #expect(lenient.stdout.contains("  extract   missing from ledger 1  customers 0"))
    }

    @Test func customersMissingFromCustomersCSVAreRefused() throws {
        let night = try Self.night { input in
            let lines = try Self.lines(input + "/customers.csv")
            try Self.write(Array(lines.prefix(lines.count / 2)) + [""], to: input + "/customers.csv")
        }
        // Their ledger rows are bad rows too; with --skip-bad-rows the guard still stops the night.
        let refused = try Self.run(night, ["--skip-bad-rows"])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("belong to customers with no row in tonight's customers.csv, more than the 2% the strategy allows"))
        try Self.expectUntouched(night, "half of customers.csv")
    }

    /// Paid loans stay in the extract: a night where many cases are paid is an ordinary night.
    @Test func casesThatArePaidAreNotMissing() throws {
        let night = try Self.night { input in
            let lines = try Self.lines(input + "/ledger.csv")
            let header = lines[0].split(separator: ",").map(String.init)
            let due = try #require(header.firstIndex(of: "amount_due")), paid = try #require(header.firstIndex(of: "amount_paid"))
            var out = [lines[0]]
            for line in lines.dropFirst() where !line.isEmpty {
                var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                fields[paid] = fields[due]
                out.append(fields.joined(separator: ","))
            }
            try Self.write(out + [""], to: input + "/ledger.csv")
        }
        let result = try Self.run(night)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("  cases     open 0  held 0\n"))
    }

    @Test func theManifestIsCheckedFigureByFigure() throws {
        // Tonight is the night the extract was made for: its manifest holds.
        let good = try Self.night(manifest: true)
        let fresh = good.work + "/fresh.sqlite"
        try BinaryRunner.initStore(fresh)
        let ok = try BinaryRunner.run(["run", "--as-of", "2026-11-22", "--input", good.input, "--db", fresh, "--out", good.work + "/ok"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("  extract   manifest checked ("))
        #expect(try !Self.sqlite(fresh, "SELECT manifest_sha256 FROM runs").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)

        // The same files on another night: the extract is not tonight's.
        let stale = try Self.run(good)
        #expect(stale.status == 65)
        #expect(stale.stderr == "\(good.input)/manifest.json:2:12: error: the extract is for 2026-11-22 (manifest as_of) but this run is for 2026-11-23: the files are not tonight's extract; check that the extract job ran, or the run's --as-of (DUNNING_AS_OF)\n")
        try Self.expectUntouched(good, "stale manifest")

        // A wrong row count, a wrong hash: each named with both values.
        let manifest = try String(contentsOfFile: good.input + "/manifest.json", encoding: .utf8)
        let rows = try #require(manifest.firstMatch(of: /"ledger.csv": \{"rows": (\d+)/)?.output.1)
        let counted = try Self.night(manifest: true) { input in
            try manifest.replacingOccurrences(of: "\"ledger.csv\": {\"rows\": \(rows)", with: "\"ledger.csv\": {\"rows\": \(Int(rows)! + 1)")
                .write(toFile: input + "/manifest.json", atomically: true, encoding: .utf8)
        }
        let badCount = try Self.run(counted, date: "2026-11-22")
        #expect(badCount.status == 65)
        #expect(badCount.stderr.hasSuffix("error: ledger.csv has \(rows) data rows, but the manifest says \(Int(rows)! + 1)\n"), "\(badCount.stderr)")
        let hashed = try Self.night(manifest: true) { input in
            try (String(contentsOfFile: input + "/customers.csv", encoding: .utf8) + "\n").write(toFile: input + "/customers.csv", atomically: true, encoding: .utf8)
        }
        let badHash = try Self.run(hashed, date: "2026-11-22")
        #expect(badHash.status == 65)
        #expect(badHash.stderr.contains("error: customers.csv has SHA-256 "))
        #expect(badHash.stderr.contains(", but the manifest says "))
        try Self.expectUntouched(hashed, "wrong hash")
    }

    @Test func aBrokenOrRequiredManifestIsRefused() throws {
        let broken = try Self.night(manifest: true) { input in
            try "{\"as_of\": \"2026-11-22\",\n \"files\": {\"ledger.csv\": {\"rows\": -1}}}\n"
                .write(toFile: input + "/manifest.json", atomically: true, encoding: .utf8)
        }
        let result = try Self.run(broken, date: "2026-11-22")
        #expect(result.status == 65)
        let errors = result.stderr.split(separator: "\n").map { $0.replacingOccurrences(of: broken.input + "/", with: "") }
        #expect(errors == [
            "manifest.json:2:35: error: ledger.csv: rows must be the number of data rows, header not counted (a whole number, 0 or more)",
            "manifest.json:2:26: error: ledger.csv: sha256 must be the file's SHA-256 as 64 hexadecimal digits",
            "manifest.json:2:11: error: the manifest must describe customers.csv",
        ])
        let device = try Self.night(manifest: true) { input in
            let text = try String(contentsOfFile: input + "/manifest.json", encoding: .utf8)
            try FileManager.default.removeItem(atPath: input + "/events.csv")
            try FileManager.default.createSymbolicLink(atPath: input + "/events.csv", withDestinationPath: "/dev/zero")
            try text.write(toFile: input + "/manifest.json", atomically: true, encoding: .utf8)
        }
        let zero = try Self.run(device, date: "2026-11-22")
        #expect(zero.status == 65)
        #expect(zero.stderr.contains("events.csv is not a regular file: its SHA-256 cannot be checked"))
        let leading = try Self.night(manifest: true) { input in
            try "{\"as_of\": \"2026-11-22\", \"files\": {\"ledger.csv\": {\"rows\": 018}}}\n".write(toFile: input + "/manifest.json", atomically: true, encoding: .utf8)
        }
        #expect(try Self.run(leading, date: "2026-11-22").stderr.contains("'018' is not a JSON number"))
        let syntax = try Self.night(manifest: true) { input in
            try "{\"as_of\": \"2026-11-22\",\n  \"files\": {,}}\n".write(toFile: input + "/manifest.json", atomically: true, encoding: .utf8)
        }
        let bad = try Self.run(syntax, date: "2026-11-22")
        #expect(bad.status == 65)
        #expect(bad.stderr == "\(syntax.input)/manifest.json:2:13: error: the manifest is not valid JSON: expected a key in double quotes\n")

        // A strategy that requires the manifest refuses an extract without one (exit 66).
        let yaml = try String(contentsOfFile: BinaryRunner.root.path + "/strategies/default.yaml", encoding: .utf8)
            .replacingOccurrences(of: "require_manifest: false", with: "require_manifest: true")
            .replacingOccurrences(of: "calendars/cn-2026.csv", with: BinaryRunner.root.path + "/strategies/calendars/cn-2026.csv")
        let none = try Self.night()
        try yaml.write(toFile: none.work + "/strict.yaml", atomically: true, encoding: .utf8)
        let missing = try Self.run(none, ["--strategy", none.work + "/strict.yaml"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("manifest.json: required by the strategy (safety.require_manifest) but not found"))
        try Self.expectUntouched(none, "required manifest")
    }

    @Test func aLongGapSinceTheLastNightNeedsAnExactYes() throws {
        let night = try Self.night()
        // (--allow-any-date: the gap reaches past today's date whenever this runs.)
        let late = try Self.run(night, date: "2026-12-20", ["--allow-any-date"])
        #expect(late.status == 64)
        #expect(late.stderr.contains("2026-12-20 is 27 nights after the last committed night 2026-11-22, more than the 14 missed nights the strategy accepts"))
        #expect(late.stderr.contains("--accept-missed-nights 27"))
        try Self.expectUntouched(night, "missed nights")
        #expect(try Self.run(night, date: "2026-12-20", ["--accept-missed-nights", "26", "--allow-any-date"]).status == 64)
        let accepted = try Self.run(night, date: "2026-12-20", ["--accept-missed-nights", "27", "--allow-any-date"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout.contains("  catch-up  missed nights 27  (accepted)\n"))
        #expect(try Self.sqlite(night.store, "SELECT accepted_missed_nights FROM runs WHERE run_date = '2026-12-20'") == "27\n")
    }
}
