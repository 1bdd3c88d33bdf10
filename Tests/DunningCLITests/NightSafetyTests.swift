import Foundation
import Testing

/// Going live on an existing book, undoing the last night, and a night past the holiday calendar.
@Suite struct NightSafetyTests {
    static let nights = ["2026-02-26", "2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02", "2026-03-06"]

    static func run(_ day: String, store: String, out: String, _ extra: [String] = []) throws -> BinaryRunner.Result {
        try BinaryRunner.run(["run", "--allow-any-date", "--as-of", day, "--input", "fixtures/lifecycle/nights/\(day)", "--db", store, "--out", out] + extra)
    }

    static func csv(_ path: String) throws -> [[String: String]] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.dropFirst().map { line in
            Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
        }
    }

    static func sqlite(_ store: String, _ sql: String) throws -> String {
        try BinaryRunner.run(["-readonly", store, sql], executable: URL(fileURLWithPath: "/usr/bin/sqlite3")).stdout
    }

    /// Every table of the store, row by row, as text.
    static func dump(_ store: String) throws -> String {
        let tables = try sqlite(store, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").split(separator: "\n")
        return try tables.map { "\($0):\n" + (try sqlite(store, "SELECT * FROM \($0) ORDER BY 1, 2, 3")) }.joined(separator: "\n")
    }

    @Test func aGoLiveNightSendsNoNoticeForAdoptedMilestones() throws {
        let work = BinaryRunner.temporaryDirectory()
        let store = work + "/s.sqlite"
        let made = try BinaryRunner.initStore(store, ["--adopt-before", "2026-03-02", "--allow-any-date"])
        #expect(made.stdout.contains("milestones due before 2026-03-02 are recorded as acted on by the previous system (adopted)"))
        // The first night may not come before the hand-over.
        let early = try Self.run("2026-03-01", store: store, out: work + "/early")
        #expect(early.status == 64)
        #expect(early.stderr.contains("this store takes over the book on 2026-03-02"))

        let first = try Self.run("2026-03-02", store: store, out: work + "/o1")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("  adopted   case_opened "))
        let actions = try Self.csv(work + "/o1/actions.csv")
        let adopted = actions.filter { $0["adopted"] == "true" }, live = actions.filter { $0["adopted"] == "false" }
        #expect(!adopted.isEmpty && adopted.allSatisfy { $0["due_on"]! < "2026-03-02" })
        #expect(live.allSatisfy { $0["due_on"]! >= "2026-03-02" })
        #expect(adopted.contains { $0["action"] == "credit_notice" } && adopted.contains { $0["action"] == "litigation_referred" })
        // No notice for an adopted milestone: only milestones due tonight send one.
        let notices = try Self.csv(work + "/o1/contacts.csv").filter { $0["reason"]!.hasPrefix("notice:") }
        let liveNotices = Set(live.filter { ["case_opened", "credit_notice", "litigation_referred"].contains($0["action"]!) }.map { $0["case_id"]! })
        #expect(notices.allSatisfy { liveNotices.contains($0["case_id"]!) }, "\(notices)")
        // The store marks them, and they never fall due again.
        #expect(try Self.sqlite(store, "SELECT count(*) FROM milestones WHERE adopted = 1") == "\(adopted.count)\n")
        let next = try Self.run("2026-03-06", store: store, out: work + "/o2")
        #expect(next.status == 0, "\(next.stderr)")
        let again = try Self.csv(work + "/o2/actions.csv")
        #expect(!again.contains { $0["adopted"] == "true" })
        let keys = Set(adopted.map { "\($0["case_id"]!)|\($0["loan_id"]!)|\($0["action"]!)" })
        #expect(!again.contains { $0["action"] != "bucket_changed" && keys.contains("\($0["case_id"]!)|\($0["loan_id"]!)|\($0["action"]!)") })
        // Nor a notice for a day before the hand-over, planned or held.
        for file in ["contacts.csv", "deferred.csv"] {
            let rows = try Self.csv(work + "/o2/" + file).filter { $0["reason"]!.hasPrefix("notice:") }
            #expect(rows.allSatisfy { String($0["reason"]!.split(separator: "@").last!) >= "2026-03-02" }, "\(file): \(rows)")
        }
    }

    /// A case missing from the go-live extract that appears later: what fell due before the
    /// hand-over is still the previous system's, whichever night it first shows.
    @Test func aCaseFirstSeenAfterGoLiveIsAdoptedToo() throws {
        let work = BinaryRunner.temporaryDirectory()
        let store = work + "/s.sqlite"
        try BinaryRunner.initStore(store, ["--adopt-before", "2026-02-27", "--allow-any-date"])
        let source = BinaryRunner.root.path + "/fixtures/lifecycle/nights/2026-02-27"
        try FileManager.default.copyItem(atPath: source, toPath: work + "/in")
        let ledger = try String(contentsOfFile: source + "/ledger.csv", encoding: .utf8)
        try ledger.split(separator: "\n").filter { !$0.contains(",C002,") }.joined(separator: "\n").appending("\n")
            .write(toFile: work + "/in/ledger.csv", atomically: true, encoding: .utf8)
        let first = try BinaryRunner.run(["run", "--allow-any-date", "--as-of", "2026-02-27", "--input", work + "/in", "--db", store, "--out", work + "/o1"])
        #expect(first.status == 0, "\(first.stderr)")
        let next = try Self.run("2026-02-28", store: store, out: work + "/o2")
        #expect(next.status == 0, "\(next.stderr)")
        let late = try Self.csv(work + "/o2/actions.csv").filter { $0["customer_id"] == "C002" }
        #expect(!late.isEmpty)
        #expect(late.allSatisfy { $0["adopted"] == ($0["due_on"]! < "2026-02-27" ? "true" : "false") }, "\(late)")
        #expect(late.contains { $0["action"] == "credit_notice" && $0["adopted"] == "true" })
        #expect(try !Self.csv(work + "/o2/contacts.csv").contains { $0["customer_id"] == "C002" && $0["reason"]!.hasPrefix("notice:") })
    }

    /// The hand-over is the go-live night: a wrong year would act on everything since.
    @Test func anAdoptionDateFarFromTodayIsRefused() throws {
        let work = BinaryRunner.temporaryDirectory()
        let today = ISO8601DateFormatter().string(from: Date()).prefix(10)
        let year = Int(today.prefix(4))! - 10
        let typo = "\(year)" + today.dropFirst(4)
        let refused = try BinaryRunner.run(["init", "--db", work + "/s.sqlite", "--adopt-before", String(typo)])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("--adopt-before \(typo) is "))
        #expect(refused.stderr.contains("the hand-over is the go-live night"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: work).isEmpty)
        #expect(try BinaryRunner.run(["init", "--db", work + "/s.sqlite", "--adopt-before", String(today)]).status == 0)
        // A first night long after the hand-over is a gap like missed nights.
        let store = work + "/late.sqlite"
        try BinaryRunner.initStore(store, ["--adopt-before", "2026-02-01", "--allow-any-date"])
        let late = try Self.run("2026-02-26", store: store, out: work + "/o")
        #expect(late.status == 64)
        #expect(late.stderr.contains("2026-02-26 is 25 nights after the store's hand-over date (dunning init --adopt-before) 2026-02-01"))
        #expect(try Self.run("2026-02-26", store: store, out: work + "/o", ["--accept-missed-nights", "25"]).status == 0)
    }

    @Test func rollbackRestoresTheStoreAndARerunGivesTheSameOutputs() throws {
        let work = BinaryRunner.temporaryDirectory()
        let store = work + "/s.sqlite"
        try BinaryRunner.initStore(store)
        for day in Self.nights.prefix(5) { #expect(try Self.run(day, store: store, out: work + "/out/\(day)").status == 0) }
        let before = try Self.dump(store)
        let last = Self.nights[5]
        #expect(try Self.run(last, store: store, out: work + "/first").status == 0)
        #expect(try Self.dump(store) != before)

        // A stale journal (a zeroed header, left by a kill) does not stop the rollback.
        _ = FileManager.default.createFile(atPath: store + "-journal", contents: Data(repeating: 0, count: 4096))
        let rolled = try BinaryRunner.run(["rollback", "--db", store])
        #expect(rolled.status == 0, "\(rolled.stderr)")
        #expect(!FileManager.default.fileExists(atPath: store + "-journal"))
        #expect(rolled.stdout.hasPrefix("rolled back 2026-03-06: the state store \(store) is as it was after 2026-03-02\n"))
        #expect(try Self.dump(store) == before)
        #expect(FileManager.default.fileExists(atPath: work + "/first/actions.csv"), "the night's outputs stay")
        #expect(FileManager.default.fileExists(atPath: store + ".backups/undone-2026-03-06.sqlite"))

        #expect(try Self.run(last, store: store, out: work + "/second").status == 0)
        for name in ["actions.csv", "cases.csv", "contacts.csv", "deferred.csv", "workload.csv", "rejects.csv"] {
            #expect(FileManager.default.contents(atPath: work + "/first/" + name) == FileManager.default.contents(atPath: work + "/second/" + name), "\(name)")
        }
    }

    /// A night that fails after its inputs were accepted (here a strategy whose groups leave
    /// cases unserved, exit 78) leaves the backups as they were: the copy it took is gone.
    @Test func aNightThatFailsLeavesTheBackupsAsTheyWere() throws {
        let work = BinaryRunner.temporaryDirectory()
        let store = work + "/s.sqlite"
        try BinaryRunner.initStore(store)
        #expect(try Self.run("2026-02-26", store: store, out: work + "/o1").status == 0)
        let root = BinaryRunner.root.path
        let yaml = try String(contentsOfFile: root + "/strategies/default.yaml", encoding: .utf8)
            .replacingOccurrences(of: "    - name: m0_ecommerce\n      products: [ecommerce]\n      buckets: [M0]\n", with: "")
            .replacingOccurrences(of: "    - name: m0_other           # M0 cases of any other product\n      buckets: [M0]\n", with: "")
            .replacingOccurrences(of: "calendars/cn-2026.csv", with: root + "/strategies/calendars/cn-2026.csv")
        try yaml.write(toFile: work + "/narrow.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: root + "/fixtures/lifecycle/nights/2026-02-27", toPath: work + "/in")
        let roster = try String(contentsOfFile: work + "/in/agents.csv", encoding: .utf8)
        try roster.split(separator: "\n").filter { !$0.contains("m0_ecommerce") && !$0.contains("m0_other") }.joined(separator: "\n")
            .appending("\n").write(toFile: work + "/in/agents.csv", atomically: true, encoding: .utf8)
        let failed = try BinaryRunner.run(["run", "--as-of", "2026-02-27", "--input", work + "/in", "--db", store,
                                           "--out", work + "/o2", "--strategy", work + "/narrow.yaml"])
        #expect(failed.status == 78, "\(failed.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: store + ".backups") == ["before-2026-02-26.sqlite"])
        #expect(!FileManager.default.fileExists(atPath: work + "/o2"))
    }

    /// A run killed inside its commit leaves a hot journal: read-only commands say so in words,
    /// and a rollback (as a committing run would) finishes it first.
    @Test func anUnfinishedTransactionIsNamedAndFinishedByRollback() throws {
        let work = BinaryRunner.temporaryDirectory()
        let store = work + "/s.sqlite"
        try BinaryRunner.initStore(store)
        #expect(try Self.run(Self.nights[0], store: store, out: work + "/out/1").status == 0)
        let afterFirst = try Self.dump(store)
        #expect(try Self.run(Self.nights[1], store: store, out: work + "/out/2").status == 0)
        // A writer killed mid-transaction, its changed pages already spilled into the file.
        let python = "import sqlite3, os\nc = sqlite3.connect('\(store)', isolation_level=None)\nc.execute('PRAGMA cache_size=1')\n"
            + "c.execute('BEGIN IMMEDIATE')\nc.execute('DELETE FROM milestone_log')\nc.execute('DELETE FROM contacts')\nos._exit(0)\n"
        let killed = try BinaryRunner.run(["python3", "-c", python], executable: URL(fileURLWithPath: "/usr/bin/env"))
        #expect(killed.status == 0, "\(killed.stderr)")
        try #require(FileManager.default.fileExists(atPath: store + "-journal"))
        let report = try BinaryRunner.run(["report", "--db", store])
        #expect(report.stderr.contains("has an unfinished transaction from an interrupted run"), "\(report.stderr)")
        let dry = try BinaryRunner.run(["run", "--dry-run", "--as-of", "2026-02-28", "--input", "fixtures/lifecycle/nights/2026-02-28", "--db", store])
        #expect(dry.status == 73)
        #expect(dry.stderr.contains("has an unfinished transaction from an interrupted run"))
        let rolled = try BinaryRunner.run(["rollback", "--db", store])
        #expect(rolled.status == 0, "\(rolled.stderr)")
        #expect(!FileManager.default.fileExists(atPath: store + "-journal"))
        // The killed writer's changes are gone, and the second night is undone exactly.
        #expect(try Self.dump(store) == afterFirst)
    }

    @Test func rollingBackFurtherThanTheKeptNightsIsRefused() throws {
        let work = BinaryRunner.temporaryDirectory()
        let store = work + "/s.sqlite"
        try BinaryRunner.initStore(store)
        let empty = try BinaryRunner.run(["rollback", "--db", store])
        #expect(empty.status == 66)
        #expect(empty.stderr.contains("has no committed night: there is nothing to roll back"))
        for day in Self.nights.prefix(4) {
            #expect(try Self.run(day, store: store, out: work + "/out/\(day)", ["--keep-backups", "2"]).status == 0)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: store + ".backups").sorted()
            == ["before-2026-02-28.sqlite", "before-2026-03-01.sqlite"])
        #expect(try BinaryRunner.run(["rollback", "--db", store]).status == 0)
        #expect(try BinaryRunner.run(["rollback", "--db", store]).status == 0)
        let refused = try BinaryRunner.run(["rollback", "--db", store])
        #expect(refused.status == 66)
        #expect(refused.stderr.contains("cannot roll back 2026-02-27: there is no backup of \(store) from before it"))
        #expect(try Self.sqlite(store, "SELECT max(run_date) FROM runs") == "2026-02-27\n")
        // Without backups nothing can be undone, and rolling back a missing store says so.
        #expect(try Self.run("2026-02-28", store: store, out: work + "/o", ["--keep-backups", "0"]).status == 0)
        #expect(try BinaryRunner.run(["rollback", "--db", store]).status == 66)
        // Its re-run with backups on cannot make a copy from before it: it says so, and makes none.
        let rerun = try Self.run("2026-02-28", store: store, out: work + "/o")
        #expect(rerun.status == 0)
        #expect(rerun.stderr.contains("warning: no backup of the store from before 2026-02-28 exists"))
        #expect(!FileManager.default.fileExists(atPath: store + ".backups/before-2026-02-28.sqlite"))
        #expect(try String(contentsOfFile: work + "/o/summary.json", encoding: .utf8).contains("this night cannot be rolled back"))
        #expect(try BinaryRunner.run(["rollback", "--db", work + "/nope.sqlite"]).status == 66)
    }

    @Test func aNightPastTheHolidayCalendarIsRefusedUnlessHolidaysAreOptional() throws {
        let work = BinaryRunner.temporaryDirectory()
        let store = work + "/s.sqlite"
        try BinaryRunner.initStore(store)
        let input = "fixtures/lifecycle/nights/2026-02-26"
        let args = ["run", "--as-of", "2027-01-04", "--allow-any-date", "--input", input, "--db", store, "--out", work + "/o"]
        let refused = try BinaryRunner.run(args)
        #expect(refused.status == 78)
        #expect(refused.stderr.hasPrefix("strategies/default.yaml:102:13: error: the holiday calendar calendars/cn-2026.csv covers up to 2026-12-31; 2027-01-04 is outside it"))
        #expect(refused.stderr.contains("contact.holidays_optional: true"))
        #expect(try Self.sqlite(store, "SELECT count(*) FROM runs") == "0\n")
        let yaml = try String(contentsOfFile: BinaryRunner.root.path + "/strategies/default.yaml", encoding: .utf8)
            .replacingOccurrences(of: "holidays_optional: false", with: "holidays_optional: true")
            .replacingOccurrences(of: "calendars/cn-2026.csv", with: BinaryRunner.root.path + "/strategies/calendars/cn-2026.csv")
        try yaml.write(toFile: work + "/optional.yaml", atomically: true, encoding: .utf8)
        let warned = try BinaryRunner.run(args + ["--strategy", work + "/optional.yaml"])
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stderr.contains("optional.yaml:102:13: warning: the holiday calendar"))
        #expect(warned.stderr.contains("tonight runs without holidays"))
        let summary = try String(contentsOfFile: work + "/o/summary.json", encoding: .utf8)
        #expect(summary.contains("\"warnings\" : ["))
        #expect(summary.contains("tonight runs without holidays"))
    }
}
