import Foundation
import Testing

/// Kills `dunning run` with SIGKILL at many moments of a night (reading, deciding, writing the
/// store, writing the outputs) and checks, each time, that:
/// - the store holds either the night before or the complete night, never a mix;
/// - every output file under its final name is complete (identical to an uninterrupted run's);
/// - the next run produces exactly what an uninterrupted run produces, store and files.
///
/// `DUNNING_SOAK=1` (`make soak`) kills at many more moments.
@Suite(.serialized) struct CrashSafetyTests {
    static let outputs = ["actions.csv", "cases.csv", "contacts.csv", "deferred.csv", "workload.csv", "rejects.csv", "summary.json"]

    /// Every table of the store as sorted text lines, without the commit's wall-clock time.
    static func storeState(_ path: String) throws -> [String] {
        let tables = [
            "runs": "run_date, strategy_name, strategy_hash, engine_version, open_cases, actions, rejected_rows, summary_json",
            "milestones": "*", "cases": "*", "events": "*", "contacts": "*", "deferrals": "*", "assignments": "*",
            "workloads": "*", "strategies": "sha256, name, first_run", "decisions": "*",
        ]
        var lines: [String] = []
        for (table, columns) in tables.sorted(by: { $0.key < $1.key }) {
            // Opened read-write, as the next run would: SQLite rolls back a killed transaction.
            let result = try BinaryRunner.run([path, "SELECT '\(table)', \(columns) FROM \(table)"],
                                              executable: URL(fileURLWithPath: "/usr/bin/sqlite3"))
            #expect(result.status == 0, "sqlite3 on \(table): \(result.stderr)")
            lines += result.stdout.split(separator: "\n").map(String.init).sorted()
        }
        return lines
    }

    /// The summary without its timings, the only part that differs between two runs.
    static func comparable(_ name: String, _ data: Data) -> Data {
        guard name == "summary.json", var text = String(data: data, encoding: .utf8),
              let start = text.range(of: "\"timings_ms\" : {"), let end = text[start.upperBound...].range(of: "}") else { return data }
        text.removeSubrange(start.lowerBound..<end.upperBound)
        return Data(text.utf8)
    }

    static func files(in directory: String) -> [String: Data] {
        var result: [String: Data] = [:]
        for name in outputs {
            if let data = FileManager.default.contents(atPath: directory + "/" + name) { result[name] = comparable(name, data) }
        }
        return result
    }

    struct Night {
        var input: String
        var date: String
        func arguments(store: String, out: String) -> [String] {
            ["run", "--as-of", date, "--input", input, "--db", store, "--out", out]
        }
    }

    /// A book big enough that a night takes a while (3,000 customers), a first night committed
    /// (the state before), and the second night run to the end (the state after).
    static func prepare(_ work: String) throws -> (night: Night, before: String, after: [String], afterFiles: [String: Data],
                                                  seconds: Double, commit: ClosedRange<Double>) {
        let input = work + "/input"
        let generate = try BinaryRunner.run(["generate", "--customers", "3000", "--as-of", "2026-11-22", "--out", input])
        #expect(generate.status == 0, "\(generate.stderr)")
        // Two nights from one extract: without its manifest, whose as_of fits only the first.
        try FileManager.default.removeItem(atPath: input + "/manifest.json")
        let before = work + "/before.sqlite"
        try BinaryRunner.initStore(before)
        let first = try BinaryRunner.run(Night(input: input, date: "2026-11-22").arguments(store: before, out: work + "/out-1"))
        #expect(first.status == 0, "\(first.stderr)")
        let night = Night(input: input, date: "2026-11-23")
        let reference = work + "/reference.sqlite"
        try FileManager.default.copyItem(atPath: before, toPath: reference)
        let started = Date()
        let full = try BinaryRunner.run(night.arguments(store: reference, out: work + "/out-reference"))
        let seconds = Date().timeIntervalSince(started)
        #expect(full.status == 0, "\(full.stderr)")
        // When the commit ran: the phases before it, after the process's own start-up time.
        let summary = try #require(FileManager.default.contents(atPath: work + "/out-reference/summary.json"))
        let laps = try #require((try JSONSerialization.jsonObject(with: summary) as? [String: Any])?["timings_ms"] as? [String: Int])
        let total = Double(laps.values.reduce(0, +) - (laps["outputs"] ?? 0)) / 1000
        let startUp = max(0, seconds - total)
        let commitStart = startUp + Double(laps.filter { !["commit", "outputs"].contains($0.key) }.values.reduce(0, +)) / 1000
        let commit = commitStart...(commitStart + Double(laps["commit"] ?? 0) / 1000)
        return (night, before, try storeState(reference), files(in: work + "/out-reference"), seconds, commit)
    }

    @Test func aNightKilledAtAnyMomentLeavesTheNightBeforeOrTheWholeNight() throws {
        let work = BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let (night, before, after, afterFiles, seconds, commit) = try Self.prepare(work)
        let beforeState = try Self.storeState(before)
        #expect(beforeState != after)
        let soak = ProcessInfo.processInfo.environment["DUNNING_SOAK"] != nil
        let attempts = soak ? 60 : 10
        var outcomes: [String: Int] = [:]
        for attempt in 0..<attempts {
            let store = work + "/killed-\(attempt).sqlite", out = work + "/out-killed-\(attempt)"
            try FileManager.default.copyItem(atPath: before, toPath: store)
            // Even attempts: spread over the whole night and past its end (a process started while
            // the machine is busy can take a little longer than the reference); odd ones: inside
            // the commit (the store's transaction and the output files being written).
            let fraction = Double(attempt / 2 + 1) / Double(attempts / 2)
            let delay = attempt % 2 == 0 ? seconds * 2 * fraction
                : commit.lowerBound + (commit.upperBound - commit.lowerBound) * fraction
            let process = Process()
            process.executableURL = BinaryRunner.binary
            process.arguments = night.arguments(store: store, out: out)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let state = try Self.storeState(store)
            let outcome = state == beforeState ? "before" : state == after ? "after" : "mixed"
            outcomes[outcome, default: 0] += 1
            #expect(outcome != "mixed", "attempt \(attempt), killed after \(delay) s: the store is neither the night before nor the whole night")
            // A file under its final name is complete; hidden temporaries may stay behind.
            for (name, data) in Self.files(in: out) {
                #expect(data == afterFiles[name], "attempt \(attempt): \(name) is under its final name but not complete")
            }
            // The next run makes exactly the uninterrupted night.
            let rerun = try BinaryRunner.run(night.arguments(store: store, out: out))
            #expect(rerun.status == 0, "attempt \(attempt): \(rerun.stderr)")
            #expect(try Self.storeState(store) == after, "attempt \(attempt): the re-run's store differs from an uninterrupted night")
            #expect(Self.files(in: out) == afterFiles, "attempt \(attempt): the re-run's outputs differ from an uninterrupted night")
            let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: out))?.filter { $0.hasPrefix(".dunning-tmp-") } ?? []
            #expect(leftovers.isEmpty, "attempt \(attempt): temporaries left after the re-run: \(leftovers)")
        }
        print("crash safety: \(attempts) kills over a \(String(format: "%.2f", seconds)) s night, commit at \(String(format: "%.2f-%.2f", commit.lowerBound, commit.upperBound)) s: \(outcomes.sorted { $0.key < $1.key })")
        // The kills must have hit both sides of the commit, or the test proves little.
        #expect(outcomes["before", default: 0] > 0, "no kill landed before the commit: \(outcomes)")
        #expect(outcomes["after", default: 0] > 0, "no kill landed after the commit: \(outcomes)")
    }
}
