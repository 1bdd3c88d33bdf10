import DunningStore
import Foundation
import Testing

/// End-to-end: the built binary, its stdout, stderr and exit codes.
@Suite struct RunCommandTests {
    let night1 = "fixtures/lifecycle/nights/2026-02-26"

    @Test func aNightlyRunPrintsTheSummaryAndWritesOutputs() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        let result = try BinaryRunner.run(["run", "--as-of", "2026-02-26", "--strategy", "strategies/default.yaml",
                                           "--input", night1, "--db", work + "/s.sqlite", "--out", work + "/out"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("dunning run 2026-02-26  strategy default ("))
        #expect(result.stdout.contains("  cases     open 7  held 0\n"))
        #expect(result.stdout.contains("case_opened 7"))
        // Nothing personal on stdout or stderr: no customer or loan identifier.
        // (The temporary directory's random name is taken out first: it may contain "C00" too.)
        #expect(!result.stdout.replacingOccurrences(of: work, with: "").contains("C00"))
        #expect(!result.stderr.replacingOccurrences(of: work, with: "").contains("C00"))
        for name in ["actions.csv", "cases.csv", "rejects.csv", "summary.json"] {
            let path = work + "/out/" + name
            #expect(FileManager.default.fileExists(atPath: path), "\(name)")
            let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600, "\(name) mode")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: work + "/out").filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test func environmentVariablesSupplyTheDefaults() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/env.sqlite")
        let result = try BinaryRunner.run(["run"], environment: [
            "DUNNING_AS_OF": "2026-02-26", "DUNNING_STRATEGY": "strategies/default.yaml", "DUNNING_INPUT": night1,
            "DUNNING_DB": work + "/env.sqlite", "DUNNING_OUT": work + "/env-out"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: work + "/env.sqlite"))
        // DUNNING_OUT is the parent of the per-night directories, so nights never overwrite each other.
        #expect(FileManager.default.fileExists(atPath: work + "/env-out/2026-02-26/cases.csv"))
    }

    @Test func outputsDefaultToOutAsOfUnderTheWorkingDirectory() throws {
        let work = BinaryRunner.temporaryDirectory()
        let root = BinaryRunner.root.path
        let initialized = try BinaryRunner.run(["init"], cwd: work)
        #expect(initialized.status == 0, "\(initialized.stderr)")
        let result = try BinaryRunner.run(["run", "--as-of", "2026-02-26", "--strategy", root + "/strategies/default.yaml",
                                           "--input", root + "/" + night1], cwd: work)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: work + "/var/dunning.sqlite"))
        #expect(FileManager.default.fileExists(atPath: work + "/out/2026-02-26/actions.csv"))
    }

    @Test func dryRunCommitsNothingAndWritesNothingUnlessAsked() throws {
        let work = BinaryRunner.temporaryDirectory()
        let root = BinaryRunner.root.path
        try BinaryRunner.initStore(work + "/s.sqlite")
        let before = try Data(contentsOf: URL(fileURLWithPath: work + "/s.sqlite"))
        let result = try BinaryRunner.run(["run", "--dry-run", "--as-of", "2026-02-26", "--strategy", root + "/strategies/default.yaml",
                                           "--input", root + "/" + night1, "--db", work + "/s.sqlite"], cwd: work)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("dry run: nothing committed"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: work + "/s.sqlite")) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: work) == ["s.sqlite"])
    }

    @Test func badRowsExit65WithEveryLocationOnStderr() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        let result = try BinaryRunner.run(["run", "--as-of", "2026-02-26", "--input", "fixtures/bad-rows", "--db", work + "/s.sqlite", "--out", work + "/o"])
        #expect(result.status == 65)
        let lines = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(lines.count == 16)
        #expect(lines.contains("fixtures/bad-rows/ledger.csv:2:19: error: due_date '2026-02-30' is not a valid date (YYYY-MM-DD)"))
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: work + "/o/actions.csv"))

        let skipped = try BinaryRunner.run(["run", "--as-of", "2026-02-26", "--input", "fixtures/bad-rows", "--db", work + "/s.sqlite",
                                            "--out", work + "/o", "--skip-bad-rows"])
        #expect(skipped.status == 0)
        #expect(skipped.stderr.contains("fixtures/bad-rows/ledger.csv:2:19: warning: skipped: due_date"))
        #expect(FileManager.default.fileExists(atPath: work + "/o/rejects.csv"))
    }

    @Test func usageErrorsExit64() throws {
        let badDate = try BinaryRunner.run(["run", "--as-of", "2026-02-30"])
        #expect(badDate.status == 64)
        #expect(badDate.stderr.contains("--as-of '2026-02-30' is not a valid date"))
        let unknown = try BinaryRunner.run(["run", "--frobnicate"])
        #expect(unknown.status == 64)
    }

    @Test func aMissingInputDirectoryExits66() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        let result = try BinaryRunner.run(["run", "--as-of", "2026-02-26", "--input", work + "/nope", "--db", work + "/s.sqlite"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("required input file not found"))
    }

    /// The lock is held by another process (util-linux `flock`, as a concurrent run would hold
    /// it), not by this test process: a lock held in-process could be dropped by a descriptor
    /// that another test's process spawning closes, which made this test flaky.
    @Test func aRunWhileAnotherHoldsTheStoreExits75AtOnce() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        // It holds the lock until its standard input is closed.
        holder.arguments = ["-n", work + "/s.sqlite.lock", "-c", "echo held; read _"]
        let out = Pipe(), input = Pipe()
        holder.standardOutput = out
        holder.standardInput = input
        try holder.run()
        defer {
            try? input.fileHandleForWriting.close()
            holder.waitUntilExit()
        }
        // Wait until the holder has the lock.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        try #require(String(decoding: line, as: UTF8.self).hasPrefix("held"))
        let result = try BinaryRunner.run(["run", "--as-of", "2026-02-26", "--input", night1, "--db", work + "/s.sqlite", "--out", work + "/o"])
        #expect(result.status == 75)
        #expect(result.stderr.contains("another dunning run holds"))
        #expect(!FileManager.default.fileExists(atPath: work + "/o/actions.csv"))
    }

    @Test func aPastDateExits64WithTheLastCommittedDate() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        let args = ["--input", night1, "--db", work + "/s.sqlite", "--out", work + "/o"]
        #expect(try BinaryRunner.run(["run", "--as-of", "2026-02-27"] + args).status == 0)
        let past = try BinaryRunner.run(["run", "--as-of", "2026-02-26"] + args)
        #expect(past.status == 64)
        #expect(past.stderr.contains("as-of 2026-02-26 is before the last committed run 2026-02-27"))
    }

    /// A typo such as 2062 would commit a night that blocks every later date; 1926 a night of nothing.
    @Test(arguments: [("2062-02-26", "days after today"), ("1926-02-26", "more than ten years")])
    func anAsOfFarFromTheClockExits64BeforeTouchingTheStore(date: String, reason: String) throws {
        let work = BinaryRunner.temporaryDirectory()
        let result = try BinaryRunner.run(["run", "--as-of", date, "--input", night1, "--db", work + "/s.sqlite", "--out", work + "/o"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("error: as-of \(date) is "))
        #expect(result.stderr.contains(reason))
        #expect(result.stderr.contains("--allow-any-date"))
        // Refused before the store is opened or locked: nothing is created.
        #expect(try FileManager.default.contentsOfDirectory(atPath: work).isEmpty)
        // The environment's date is checked the same way.
        let fromEnvironment = try BinaryRunner.run(["run", "--input", BinaryRunner.root.path + "/" + night1, "--db", work + "/s.sqlite"],
                                                   environment: ["DUNNING_AS_OF": date, "DUNNING_STRATEGY": BinaryRunner.root.path + "/strategies/default.yaml"],
                                                   cwd: work)
        #expect(fromEnvironment.status == 64)
        #expect(try FileManager.default.contentsOfDirectory(atPath: work).isEmpty)
    }

    /// (With a strategy without a holiday calendar: the default one's ends long before 2062.)
    @Test func allowAnyDateRunsASimulatedFutureNight() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        let strategy = "fixtures/allocation/strategy.yaml", input = "fixtures/allocation/nights/2026-04-01"
        let result = try BinaryRunner.run(["run", "--allow-any-date", "--as-of", "2062-02-26", "--input", input, "--strategy", strategy,
                                           "--db", work + "/s.sqlite", "--out", work + "/o"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("dunning run 2062-02-26 "))
        // Preview takes the same flag and check.
        let preview = try BinaryRunner.run(["preview", "--as-of", "2062-02-27", "--strategy", strategy, "--baseline", strategy,
                                            "--input", input, "--db", work + "/s.sqlite"])
        #expect(preview.status == 64)
        #expect(preview.stderr.contains("days after today"))
    }
}
