import DunningCore
@testable import DunningIO
import Foundation
import Testing

/// The extract's control file: located JSON, every problem at once, and the checks of dates,
/// rows and SHA-256.
@Suite struct ManifestTests {
    static func directory(_ files: [String: String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8) }
        return path
    }

    @Test func sha256OfAFileMatchesTheStandardVectors() throws {
        let dir = try Self.directory(["abc.txt": "abc", "empty.txt": ""])
        #expect(try FileDigest.sha256(path: dir + "/abc.txt") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try FileDigest.sha256(path: dir + "/empty.txt") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // Larger than one 4 MiB read, and fed in pieces: the same digest as in one go.
        let big = [UInt8](repeating: 0x61, count: 9 << 20)
        try Data(big).write(to: URL(fileURLWithPath: dir + "/big.bin"))
        let pieces = SHA256Stream()
        for start in stride(from: 0, to: big.count, by: 1_000_003) { pieces.update(Array(big[start..<min(big.count, start + 1_000_003)])) }
        #expect(try FileDigest.sha256(path: dir + "/big.bin") == pieces.finish())
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func jsonProblemsAreLocated() {
        func error(_ text: String) -> String {
            do { _ = try LocatedJSON.parse(Array(text.utf8)); return "parsed" } catch { return "\(error.line):\(error.column) \(error.message)" }
        }
        #expect(error("{\"a\": 1,\n \"a\": 2}") == "2:2 key 'a' appears twice")
        #expect(error("{\"a\": [1, 2,]}") == "1:13 expected a JSON value (an object, a list, a string, a number, true, false or null)")
        #expect(error("{\"a\": \"x\ny\"}") == "1:9 a string may not contain a line break or control character (write \\n)")
        #expect(error("{\"名\": tru}") == "1:7 expected a JSON value (an object, a list, a string, a number, true, false or null)")
        #expect(error("{} {}") == "1:4 unexpected text after the JSON value")
        #expect(error(String(repeating: "[", count: 100)) == "1:65 nested more than 64 levels deep")
        #expect(error("") == "1:1 the JSON ends where a value was expected")
        #expect(error("{\"a\": \"\\u00e9\\ud83d\\ude00\"}") == "parsed")
        #expect(error("{\"a\": \"\\u+05f\"}") == "1:9 \\u must be followed by four hex digits")
        #expect(error("{\"a\": 018}") == "1:7 '018' is not a JSON number")
        #expect(error("{\"a\": 1.}") == "1:7 '1.' is not a JSON number")
        // Columns stay right far along one long line (and are counted in linear time).
        let long = "{\"é\": [" + Array(repeating: "0", count: 20_000).joined(separator: ",") + ", tru]}"
        #expect(error(long) == "1:\(8 + 20_000 * 2 + 1) expected a JSON value (an object, a list, a string, a number, true, false or null)")
    }

    @Test func aManifestRoundTripsAndEveryFigureIsChecked() throws {
        let dir = try Self.directory(["ledger.csv": "loan_id\nL1\nL2\n", "customers.csv": "customer_id\nC1\n"])
        let ledger = try FileDigest.sha256(path: dir + "/ledger.csv"), customers = try FileDigest.sha256(path: dir + "/customers.csv")
        let day = Day(iso: "2026-11-22")!
        try ExtractManifest.render(asOf: day, files: [("ledger.csv", 2, ledger), ("customers.csv", 1, customers)])
            .write(toFile: dir + "/manifest.json", atomically: true, encoding: .utf8)
        let manifest = try #require(try ExtractManifest.load(directory: dir))
        #expect(manifest.asOf == day)
        #expect(manifest.problem(asOf: day) == nil)
        #expect(manifest.problem(asOf: day + 1)?.message.hasPrefix("the extract is for 2026-11-22 (manifest as_of) but this run is for 2026-11-23") == true)
        #expect(manifest.fileProblems(directory: dir, reads: ["customers.csv", "ledger.csv"]).isEmpty)
        #expect(manifest.rowProblems(["ledger.csv": 2, "customers.csv": 1]).isEmpty)
        #expect(manifest.rowProblems(["ledger.csv": 3, "customers.csv": 1]).map(\.message) == ["ledger.csv has 3 data rows, but the manifest says 2"])
        // A file the night reads that the manifest leaves out, and a changed file.
        try "loan_id\nL1\n".write(toFile: dir + "/ledger.csv", atomically: true, encoding: .utf8)
        let problems = manifest.fileProblems(directory: dir, reads: ["customers.csv", "ledger.csv", "events.csv"]).map(\.message)
        #expect(problems.count == 2)
        #expect(problems[0] == "events.csv is in the input directory but not in the manifest: the manifest must describe every file the night reads")
        #expect(problems[1].hasPrefix("ledger.csv has SHA-256 \(try FileDigest.sha256(path: dir + "/ledger.csv")), but the manifest says \(ledger)"))
        #expect(try ExtractManifest.load(directory: dir + "/none") == nil)
    }

    @Test func aMalformedManifestReportsEveryProblem() throws {
        let dir = try Self.directory(["manifest.json": """
            {"as_of": "2026-02-30",
             "files": {"ledger.csv": {"rows": 1.5, "sha256": "xyz"},
                       "ledgr.csv": {"rows": 1, "sha256": "\(String(repeating: "a", count: 64))"}}}
            """])
        #expect { try ExtractManifest.load(directory: dir) } throws: { error in
            let messages = (error as? ExtractManifest.Invalid)?.diagnostics.map { "\($0.line):\($0.column) \($0.message)" } ?? []
            return messages == [
                "1:11 as_of must be the extract's business date as a string, e.g. \"2026-11-22\"",
                "2:35 ledger.csv: rows must be the number of data rows, header not counted (a whole number, 0 or more)",
                "2:50 ledger.csv: sha256 must be the file's SHA-256 as 64 hexadecimal digits",
                "3:25 'ledgr.csv' is not an input file (known: ledger.csv, customers.csv, events.csv, agents.csv)",
                "2:11 the manifest must describe customers.csv",
            ]
        }
    }
}
