import Foundation
import Testing

/// Two nightly runs on one store: one runs, the other exits 75 at once; a run killed while it
/// holds the lock leaves nothing that blocks the next night; dry runs need no lock.
@Suite(.serialized) struct ConcurrencyTests {
    /// A `dunning` process started in the background, its output going to files.
    final class Background {
        let process = Process()
        let stdout: String, stderr: String

        init(_ arguments: [String], work: String, name: String) throws {
            stdout = work + "/\(name).out"
            stderr = work + "/\(name).err"
            _ = FileManager.default.createFile(atPath: stdout, contents: nil)
            _ = FileManager.default.createFile(atPath: stderr, contents: nil)
            process.executableURL = BinaryRunner.binary
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DUNNING_") }
            process.currentDirectoryURL = BinaryRunner.root
            process.standardOutput = FileHandle(forWritingAtPath: stdout)
            process.standardError = FileHandle(forWritingAtPath: stderr)
            try process.run()
        }

        func wait() -> Int32 {
            process.waitUntilExit()
            return process.terminationStatus
        }

        var errorText: String { (try? String(contentsOfFile: stderr, encoding: .utf8)) ?? "" }
    }

    /// A book big enough that a night takes about a second in a debug build.
    static let input: String = {
        let directory = BinaryRunner.temporaryDirectory() + "/input"
        let result = try? BinaryRunner.run(["generate", "--customers", "10000", "--as-of", "2026-11-22", "--out", directory])
        precondition(result?.status == 0, "generate: \(result?.stderr ?? "did not run")")
        // The same files serve several nights here: without their manifest, whose as_of would
        // (rightly) refuse every night but the one they were made for.
        try? FileManager.default.removeItem(atPath: directory + "/manifest.json")
        return directory
    }()

    static func night(_ store: String, out: String) -> [String] {
        ["run", "--as-of", "2026-11-22", "--input", input, "--db", store, "--out", out]
    }

    static func runs(_ store: String) throws -> String {
        try BinaryRunner.run([store, "SELECT count(*) FROM runs"], executable: URL(fileURLWithPath: "/usr/bin/sqlite3")).stdout
    }

    /// Waits until the lock file holds `pid`: the run has taken the lock (it writes its pid after).
    static func waitForLock(_ store: String, held by: Background) throws {
        let pid = "\(by.process.processIdentifier)\n"
        while (try? String(contentsOfFile: store + ".lock", encoding: .utf8)) != pid {
            try #require(by.process.isRunning, "the run ended before it was seen holding the lock: \(by.errorText)")
            usleep(2_000)
        }
    }

    @Test func twoRunsStartedAtOnceOneRunsTheOtherExits75() throws {
        let work = BinaryRunner.temporaryDirectory()
        let store = work + "/s.sqlite"
        try BinaryRunner.initStore(store)
        // The store exists beforehand, so both start from the same point.
        #expect(try BinaryRunner.run(["run", "--as-of", "2026-11-21", "--input", Self.input, "--db", store, "--out", work + "/o0"]).status == 0)
        let a = try Background(Self.night(store, out: work + "/a"), work: work, name: "a")
        let b = try Background(Self.night(store, out: work + "/b"), work: work, name: "b")
        let (loser, winner) = try Self.firstToExit(a, b)
        // The loser gave up at once: the winner was still at work when it had exited.
        #expect(winner.process.isRunning)
        #expect(loser.process.terminationStatus == 75, "\(loser.errorText)")
        // The pid is named once the winner has written it (it takes the lock first, then writes).
        #expect(loser.errorText.hasPrefix("error: another dunning run holds \(store).lock"))
        let named = loser.errorText.contains("(pid ")
        #expect(!named || loser.errorText.contains("(pid \(winner.process.processIdentifier))"), "\(loser.errorText)")
        #expect(winner.wait() == 0, "\(winner.errorText)")
        #expect(try Self.runs(store) == "2\n")
        let loserOut = loser === a ? work + "/a" : work + "/b"
        #expect(!FileManager.default.fileExists(atPath: loserOut))
    }

    /// A symbolic link to the store is the same store: a run through it waits for the same lock
    /// (engine 0.4.0 locked `link.sqlite.lock` and ran both at once).
    @Test func aRunThroughALinkToTheStoreTakesTheSameLock() throws {
        let work = BinaryRunner.temporaryDirectory()
        let store = work + "/s.sqlite"
        try BinaryRunner.initStore(store)
        try FileManager.default.createSymbolicLink(atPath: work + "/link.sqlite", withDestinationPath: store)
        let holder = try Background(Self.night(store, out: work + "/a"), work: work, name: "a")
        try Self.waitForLock(store, held: holder)
        let viaLink = try BinaryRunner.run(Self.night(work + "/link.sqlite", out: work + "/b"))
        #expect(viaLink.status == 75, "\(viaLink.stderr)")
        #expect(viaLink.stderr.contains("another dunning run holds \(store).lock"))
        #expect(holder.wait() == 0, "\(holder.errorText)")
        #expect(!FileManager.default.fileExists(atPath: work + "/link.sqlite.lock"))
    }

    /// Both processes started; the one that exits first, then the other.
    static func firstToExit(_ a: Background, _ b: Background) throws -> (Background, Background) {
        while a.process.isRunning && b.process.isRunning { usleep(1_000) }
        return a.process.isRunning ? (b, a) : (a, b)
    }

    @Test func aRunKilledWhileHoldingTheLockDoesNotBlockTheNext() throws {
        let work = BinaryRunner.temporaryDirectory()
        let store = work + "/s.sqlite"
        try BinaryRunner.initStore(store)
        let killed = try Background(Self.night(store, out: work + "/killed"), work: work, name: "killed")
        try Self.waitForLock(store, held: killed)
        kill(killed.process.processIdentifier, SIGKILL)
        #expect(killed.wait() == SIGKILL)
        // The dead run's pid is still in the file; the kernel released its flock when it died.
        #expect(try String(contentsOfFile: store + ".lock", encoding: .utf8) == "\(killed.process.processIdentifier)\n")
        let next = try BinaryRunner.run(Self.night(store, out: work + "/next"))
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.isEmpty)
        #expect(try Self.runs(store) == "1\n")
        // A run that ends normally leaves the lock file empty.
        #expect(try String(contentsOfFile: store + ".lock", encoding: .utf8) == "")
    }

    @Test func aDryRunNeedsNoLock() throws {
        let work = BinaryRunner.temporaryDirectory()
        let store = work + "/s.sqlite"
        try BinaryRunner.initStore(store)
        #expect(try BinaryRunner.run(["run", "--as-of", "2026-11-21", "--input", Self.input, "--db", store, "--out", work + "/o0"]).status == 0)
        let holder = try Background(Self.night(store, out: work + "/night"), work: work, name: "night")
        try Self.waitForLock(store, held: holder)
        let dry = try BinaryRunner.run(["run", "--dry-run", "--as-of", "2026-11-22", "--input", Self.input, "--db", store])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("dry run: nothing committed"))
        #expect(holder.wait() == 0, "\(holder.errorText)")
        #expect(try Self.runs(store) == "2\n")
    }
}
