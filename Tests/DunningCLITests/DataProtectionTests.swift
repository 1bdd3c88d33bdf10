import Foundation
import Testing

/// Personal data never leaves the inputs: names, phone numbers and free-text notes given to the
/// engine appear in no log line, summary, output file or the state store; files are private.
@Suite struct DataProtectionTests {
    static let night = "fixtures/lifecycle/nights/2026-02-27"
    static let markers = ["Zhang San", "13800138000", "13900139000", "spoke to his wife"]

    /// Tonight's fixture with a name and a phone column for every customer, and notes on events.
    static func personalInput(_ work: String) throws -> String {
        let input = work + "/in"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        let source = BinaryRunner.root.path + "/" + night
        for name in try FileManager.default.contentsOfDirectory(atPath: source) {
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: input + "/" + name)
        }
        let customers = try String(contentsOfFile: input + "/customers.csv", encoding: .utf8).split(separator: "\n")
        let named = [customers[0] + ",name,phone"] + customers.dropFirst().map { $0 + ",Zhang San,+86 13800138000" }
        try (named.joined(separator: "\n") + "\n").write(toFile: input + "/customers.csv", atomically: false, encoding: .utf8)
        let events = try String(contentsOfFile: input + "/events.csv", encoding: .utf8)
        try (events.replacingOccurrences(of: "call_connected,\n", with: "call_connected,\"spoke to his wife, 13900139000\"\n"))
            .write(toFile: input + "/events.csv", atomically: false, encoding: .utf8)
        return input
    }

    @Test func noNameNumberOrNoteReachesLogsOutputsOrTheStore() throws {
        let work = BinaryRunner.temporaryDirectory()
        let input = try Self.personalInput(work)
        #expect(try String(contentsOfFile: input + "/events.csv", encoding: .utf8).contains("13900139000"))
        let store = work + "/s.sqlite"
        try BinaryRunner.initStore(store)
        let result = try BinaryRunner.run(["run", "--as-of", "2026-02-27", "--input", input, "--db", store,
                                           "--out", work + "/out", "--log-level", "trace"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("committed"))
        var texts = ["stdout": result.stdout, "stderr": result.stderr]
        for name in try FileManager.default.contentsOfDirectory(atPath: work + "/out") {
            texts["out/" + name] = String(decoding: try Data(contentsOf: URL(fileURLWithPath: work + "/out/" + name)), as: UTF8.self)
        }
        texts["store"] = String(decoding: try Data(contentsOf: URL(fileURLWithPath: store)), as: UTF8.self)
        #expect(texts.count >= 9)
        for (where_, text) in texts.sorted(by: { $0.key < $1.key }) {
            for marker in Self.markers { #expect(!text.contains(marker), "\(marker) in \(where_)") }
        }
        // Logs and the summary speak of counts, never of a customer.
        for where_ in ["stdout", "stderr", "out/summary.json"] {
            // The temporary directory's random name is taken out first: it may contain "C00" too.
            #expect(!(texts[where_] ?? "").replacingOccurrences(of: work, with: "").contains("C00"), "a customer ID in \(where_)")
        }
    }

    /// The store holds only identifiers the inputs gave: every customer and agent it names is one
    /// of tonight's or an earlier night's.
    @Test func theStoreNamesOnlyTheInputsIdentifiers() throws {
        let work = BinaryRunner.temporaryDirectory()
        let input = try Self.personalInput(work)
        let store = work + "/s.sqlite"
        try BinaryRunner.initStore(store)
        #expect(try BinaryRunner.run(["run", "--as-of", "2026-02-27", "--input", input, "--db", store, "--out", work + "/out"]).status == 0)
        func column(_ sql: String) throws -> Set<String> {
            let r = try BinaryRunner.run([store, sql], executable: URL(fileURLWithPath: "/usr/bin/sqlite3"))
            #expect(r.status == 0, "\(r.stderr)")
            return Set(r.stdout.split(separator: "\n").map(String.init))
        }
        let customers = Set(try String(contentsOfFile: input + "/customers.csv", encoding: .utf8).split(separator: "\n")
            .dropFirst().map { String($0.prefix { $0 != "," }) })
        let agents = Set(try String(contentsOfFile: input + "/agents.csv", encoding: .utf8).split(separator: "\n")
            .dropFirst().map { String($0.prefix { $0 != "," }) })
        for table in ["milestones", "cases", "events", "contacts", "deferrals", "assignments", "decisions"] {
            let named = try column("SELECT DISTINCT customer_id FROM \(table)")
            #expect(named.isSubset(of: customers), "\(table): \(named.subtracting(customers).sorted())")
        }
        #expect(try column("SELECT DISTINCT agent_id FROM assignments WHERE agent_id IS NOT NULL").isSubset(of: agents))
        // A promise's date is the only event value kept (sqlite3 prints the others' '' as blank lines).
        #expect(try column("SELECT DISTINCT value FROM events") == ["2026-03-02"])
        #expect(try column("SELECT count(*) FROM events WHERE value = ''") == ["2"])
    }

    /// Outputs get 0600 unless `--file-mode` says otherwise; the store is always 0600.
    @Test(arguments: [(nil, 0o600), ("640", 0o640), ("400", 0o400)] as [(String?, Int)])
    func outputFilesTakeTheConfiguredMode(flag: String?, mode: Int) throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        let result = try BinaryRunner.run(["run", "--as-of", "2026-02-27", "--input", Self.night, "--db", work + "/s.sqlite",
                                           "--out", work + "/out"] + (flag.map { ["--file-mode", $0] } ?? []))
        #expect(result.status == 0, "\(result.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: work + "/out")
        #expect(names.count == 7)
        for name in names {
            let attributes = try FileManager.default.attributesOfItem(atPath: work + "/out/" + name)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == mode, "\(name)")
        }
        let store = try FileManager.default.attributesOfItem(atPath: work + "/s.sqlite")
        #expect((store[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }
}
