import Foundation
import Testing

/// The bad-input matrix of docs/operations.md, end to end: each damaged extract is run on a store
/// that holds the night before. Without `--skip-bad-rows` the run must exit 65 with exactly the
/// located errors, leave the store file byte-for-byte as it was and write no output; with it, a
/// skippable problem commits the rest and lists the problem in `rejects.csv`, while one that is
/// not skippable is refused the same way.
@Suite struct BadInputMatrixTests {
    static let night1 = "fixtures/lifecycle/nights/2026-02-26"
    static let night2 = "fixtures/lifecycle/nights/2026-02-27"

    /// One damaged extract: files replaced by an edit of tonight's files.
    struct Damage: Sendable, CustomTestStringConvertible {
        var name: String
        var edits: [String: @Sendable (String) -> String]
        /// The expected stderr lines, each without the input directory in front.
        var errors: [String]
        /// Whether `--skip-bad-rows` may commit the rest.
        var skippable: Bool
        var testDescription: String { name }
    }

    static func replacing(_ old: String, _ new: String) -> @Sendable (String) -> String {
        { text in
            precondition(text.contains(old), "the fixture no longer has \(old)")
            return text.replacingOccurrences(of: old, with: new)
        }
    }

    static func appending(_ line: String) -> @Sendable (String) -> String { { $0 + line + "\n" } }

    static let ledgerColumns = "loan_id, customer_id, product, instalment, due_date, amount_due, amount_paid"

    static let damages: [Damage] = [
        Damage(name: "wrong delimiter", edits: ["ledger.csv": { $0.replacingOccurrences(of: ",", with: ";") }],
               errors: ["ledger.csv:1:1: error: missing required columns \(ledgerColumns); the header looks delimited by something other than commas (dunning reads comma-separated CSV)"],
               skippable: false),
        Damage(name: "missing header", edits: ["ledger.csv": { String($0.drop { $0 != "\n" }.dropFirst()) }],
               errors: ["ledger.csv:1:1: error: missing required columns \(ledgerColumns); found 'L001' where the header should start: the first line must name the columns"],
               skippable: false),
        Damage(name: "empty file", edits: ["ledger.csv": { _ in "" }],
               errors: ["ledger.csv:1:1: error: file is empty; expected a header row with: \(ledgerColumns)"],
               skippable: false),
        Damage(name: "quote left open", edits: ["ledger.csv": replacing("L004,C004,ecommerce,1,2026-02-10", "L004,C004,ecommerce,1,\"2026-02-10")],
               errors: ["ledger.csv:11:23: error: quoted field is never closed (missing '\"')"], skippable: false),
        Damage(name: "a field missing", edits: ["ledger.csv": replacing("L006,C006,cash_loan,1,2026-01-22,700.00,0.00", "L006,C006,cash_loan,1,2026-01-22,700.00")],
               errors: ["ledger.csv:15:1: error: expected 7 fields as in the header, found 6"], skippable: false),
        Damage(name: "no such date", edits: ["ledger.csv": replacing("2026-02-10", "2026-02-30")],
               errors: ["ledger.csv:11:23: error: due_date '2026-02-30' is not a valid date (YYYY-MM-DD)"], skippable: true),
        Damage(name: "three decimals", edits: ["ledger.csv": replacing("2026-02-10,1200.00", "2026-02-10,1200.005")],
               errors: ["ledger.csv:11:34: error: amount_due '1200.005': amount has more than two fraction digits"], skippable: true),
        Damage(name: "negative amount", edits: ["ledger.csv": replacing("2026-02-10,1200.00", "2026-02-10,-1200.00")],
               errors: ["ledger.csv:11:34: error: amount_due '-1200.00': amount is negative"], skippable: true),
        Damage(name: "exponent notation", edits: ["ledger.csv": replacing("2026-02-10,1200.00", "2026-02-10,1.2e3")],
               errors: ["ledger.csv:11:34: error: amount_due '1.2e3': not a decimal amount (expected digits with an optional '.' and up to two fraction digits)"],
               skippable: true),
        Damage(name: "huge number", edits: ["ledger.csv": replacing("2026-02-10,1200.00", "2026-02-10,99999999999999999999999.00")],
               errors: ["ledger.csv:11:34: error: amount_due '99999999999999999999999.00': amount exceeds the limit of 10000000000000.00"],
               skippable: true),
        Damage(name: "a 10 MB line", edits: ["ledger.csv": appending("L009,C004,cash_loan,1,2026-02-10," + String(repeating: "9", count: 10_000_000) + ",0")],
               errors: ["ledger.csv:20:34: error: amount_due '\(String(repeating: "9", count: 40))...': amount exceeds the limit of 10000000000000.00"],
               skippable: true),
        Damage(name: "duplicate instalment", edits: ["ledger.csv": appending("L004,C004,ecommerce,1,2026-02-10,1200.00,0.00")],
               errors: ["ledger.csv:20:21: error: duplicate instalment 1 of loan L004 (first at line 11)"], skippable: true),
        Damage(name: "one customer, two time zones", edits: ["customers.csv": appending("C002,America/New_York,410,2,x")],
               errors: ["customers.csv:10:1: error: customer C002 is listed twice (first at line 3)",
                        "ledger.csv:5:6: error: customer C002 was rejected in customers.csv (line 10)",
                        "ledger.csv:6:6: error: customer C002 was rejected in customers.csv (line 10)"],
               skippable: true),
        Damage(name: "unknown time zone", edits: ["customers.csv": replacing("C002,Asia/Shanghai", "C002,Asia/Beijing")],
               errors: ["customers.csv:3:6: error: unknown IANA time zone 'Asia/Beijing'",
                        "ledger.csv:5:6: error: customer C002 was rejected in customers.csv (line 3)",
                        "ledger.csv:6:6: error: customer C002 was rejected in customers.csv (line 3)"],
               skippable: true),
        Damage(name: "event for an unknown customer", edits: ["events.csv": appending("2026-02-26T10:00:00+08:00,C999,sms_sent,")],
               errors: ["events.csv:5:27: error: customer C999 is not in customers.csv"], skippable: true),
        Damage(name: "event dated in the future", edits: ["events.csv": appending("2026-03-05T10:00:00+08:00,C002,sms_sent,")],
               errors: ["events.csv:5:1: error: event dated 2026-03-05 is after the as-of date 2026-02-27"], skippable: true),
        Damage(name: "event without a customer", edits: ["events.csv": appending("2026-02-26T10:00:00+08:00,,stop_collection,")],
               errors: ["events.csv:5:27: error: customer_id is empty"], skippable: false),
        Damage(name: "event with a quote left open", edits: ["events.csv": appending("2026-02-26T10:00:00+08:00,C002,\"stop_collection,")],
               errors: ["events.csv:5:32: error: quoted field is never closed (missing '\"')"], skippable: false),
        Damage(name: "duplicate agent", edits: ["agents.csv": appending("A01,m0_cash,200,true,1,")],
               errors: ["agents.csv:10:1: error: agent A01 is listed twice (first at line 2)"], skippable: false),
    ]

    /// The store after night 1, made once and copied for each damage.
    static let baseStore: String = {
        let work = BinaryRunner.temporaryDirectory()
        let store = work + "/base.sqlite"
        _ = try? BinaryRunner.initStore(store)
        let result = try? BinaryRunner.run(["run", "--allow-any-date", "--as-of", "2026-02-26", "--input", night1, "--db", store, "--out", work + "/out"])
        precondition(result?.status == 0, "night 1: \(result?.stderr ?? "did not run")")
        return store
    }()

    /// Tonight's files with the damage applied, and a copy of the base store.
    static func prepare(_ damage: Damage, bytes: [String: Data] = [:]) throws -> (input: String, store: String, work: String) {
        let work = BinaryRunner.temporaryDirectory()
        let input = work + "/in"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        let source = BinaryRunner.root.path + "/" + night2
        for name in try FileManager.default.contentsOfDirectory(atPath: source) {
            var text = try String(contentsOfFile: source + "/" + name, encoding: .utf8)
            if let edit = damage.edits[name] { text = edit(text) }
            try text.write(toFile: input + "/" + name, atomically: false, encoding: .utf8)
        }
        for (name, data) in bytes { try data.write(to: URL(fileURLWithPath: input + "/" + name)) }
        try FileManager.default.copyItem(atPath: baseStore, toPath: work + "/s.sqlite")
        return (input, work + "/s.sqlite", work)
    }

    static func run(_ input: String, _ store: String, out: String, skip: Bool) throws -> BinaryRunner.Result {
        try BinaryRunner.run(["run", "--allow-any-date", "--as-of", "2026-02-27", "--input", input, "--db", store, "--out", out] + (skip ? ["--skip-bad-rows"] : []))
    }

    /// What a run refused for bad input must leave: the store as it was, no output directory.
    static func expectNothingDone(_ result: BinaryRunner.Result, store: String, out: String, errors: [String],
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(result.status == 65, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(result.stderr.split(separator: "\n").map(String.init) == errors, sourceLocation: sourceLocation)
        #expect(FileManager.default.contents(atPath: store) == FileManager.default.contents(atPath: baseStore),
                "the store changed", sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: store + "-journal"), sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: out), "outputs were written", sourceLocation: sourceLocation)
    }

    @Test(arguments: damages)
    func aDamagedExtract(_ damage: Damage) throws {
        let (input, store, work) = try Self.prepare(damage)
        let located = damage.errors.map { input + "/" + $0 }
        try Self.expectNothingDone(try Self.run(input, store, out: work + "/o", skip: false), store: store, out: work + "/o", errors: located)

        let skipped = try Self.run(input, store, out: work + "/skip", skip: true)
        if damage.skippable {
            #expect(skipped.status == 0, "\(skipped.stderr)")
            #expect(skipped.stderr.split(separator: "\n").map(String.init)
                    == located.map { $0.replacingOccurrences(of: ": error: ", with: ": warning: skipped: ") })
            #expect(skipped.stdout.contains("committed"))
            let rejects = try String(contentsOfFile: work + "/skip/rejects.csv", encoding: .utf8).split(separator: "\n")
            #expect(rejects.first == "file,line,column,reason")
            #expect(rejects.dropFirst().map { $0.split(separator: ",").prefix(3).joined(separator: ":") }
                    == damage.errors.map { $0.split(separator: ":").prefix(3).joined(separator: ":") })
        } else {
            // Refused again, the same way; the last line says why it could not be skipped.
            #expect(skipped.status == 65)
            #expect(skipped.stderr.hasPrefix(located.joined(separator: "\n")))
            #expect(skipped.stderr.contains("--skip-bad-rows") || damage.errors.first?.contains("1:1:") == true, "\(skipped.stderr)")
            #expect(FileManager.default.contents(atPath: store) == FileManager.default.contents(atPath: Self.baseStore))
            #expect(!FileManager.default.fileExists(atPath: work + "/skip"))
        }
    }

    /// A skipped event row may have been a stop request or a death: its customer gets nothing
    /// tonight (`suppressed_unread_event` in deferred.csv), everyone else their plan.
    @Test func aSkippedEventHoldsItsCustomersContactsTonight() throws {
        let damage = Self.damages.first { $0.name == "event dated in the future" }!
        let (input, store, work) = try Self.prepare(damage)
        #expect(try Self.run(input, store, out: work + "/o", skip: true).status == 0)
        let contacts = try String(contentsOfFile: work + "/o/contacts.csv", encoding: .utf8)
        let deferred = try String(contentsOfFile: work + "/o/deferred.csv", encoding: .utf8).split(separator: "\n")
        #expect(!contacts.contains(",C002,"))
        #expect(contacts.split(separator: "\n").count > 1)
        let held = deferred.filter { $0.contains(",C002,") }
        #expect(!held.isEmpty)
        #expect(held.allSatisfy { $0.contains(",suppressed_unread_event,") })
        #expect(!deferred.contains { !$0.contains(",C002,") && $0.contains("suppressed_unread_event") })
    }

    /// Another encoding: a UTF-16 file, and an identifier that is not valid UTF-8 (a GBK export).
    @Test func encodingsOtherThanUTF8() throws {
        let customers = try String(contentsOfFile: BinaryRunner.root.path + "/" + Self.night2 + "/customers.csv", encoding: .utf8)
        let utf16 = Data([0xFF, 0xFE]) + customers.data(using: .utf16LittleEndian)!
        let none = Damage(name: "", edits: [:], errors: [], skippable: false)
        let (input, store, work) = try Self.prepare(none, bytes: ["customers.csv": utf16])
        try Self.expectNothingDone(try Self.run(input, store, out: work + "/o", skip: true), store: store, out: work + "/o", errors: [
            input + "/customers.csv:1:1: error: missing required columns customer_id, score; the file looks UTF-16 encoded; dunning reads UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8)",
        ])

        var gbk = Data(customers.utf8)
        let range = try #require(gbk.range(of: Data("C004,,650".utf8)))
        gbk.replaceSubrange(range, with: Data([0x43, 0xD5, 0xC5]) + Data(",,650".utf8)) // "C张": not UTF-8
        let (input2, store2, work2) = try Self.prepare(none, bytes: ["customers.csv": gbk])
        try Self.expectNothingDone(try Self.run(input2, store2, out: work2 + "/o", skip: false), store: store2, out: work2 + "/o", errors: [
            input2 + "/customers.csv:5:1: error: customer_id is not valid UTF-8",
            input2 + "/ledger.csv:11:6: error: customer C004 is not in customers.csv",
            input2 + "/ledger.csv:12:6: error: customer C004 is not in customers.csv",
        ])
    }

    /// Variations a good extract may have: CRLF line ends, a byte-order mark, columns in another
    /// order and case, extra columns (even in another encoding). The night is the same.
    @Test func harmlessVariationsGiveTheSameNight() throws {
        let plain = try Self.prepare(Damage(name: "", edits: [:], errors: [], skippable: false))
        #expect(try Self.run(plain.input, plain.store, out: plain.work + "/o", skip: false).status == 0)

        let ledger = try String(contentsOfFile: plain.input + "/ledger.csv", encoding: .utf8)
        var lines = ledger.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        lines[0] = lines[0].map { " " + $0.uppercased() }
        let reordered = lines.map { ([$0[6], $0[0], $0[5]] + $0[1...4] + ["note"]).joined(separator: ",") }
        let varied = Data([0xEF, 0xBB, 0xBF]) + Data(reordered.joined(separator: "\r\n").utf8) + Data("\r\n".utf8)
        let customers = try String(contentsOfFile: plain.input + "/customers.csv", encoding: .utf8)
        var withNames = Data()
        for (i, line) in customers.split(separator: "\n").enumerated() {
            withNames += Data(line.utf8) + (i == 0 ? Data(",name".utf8) : Data([0x2C, 0xD5, 0xC5, 0xC8, 0xFD])) + Data("\n".utf8) // GBK 张三
        }
        let other = try Self.prepare(Damage(name: "", edits: [:], errors: [], skippable: false),
                                     bytes: ["ledger.csv": varied, "customers.csv": withNames])
        let result = try Self.run(other.input, other.store, out: other.work + "/o", skip: false)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(CrashSafetyTests.files(in: other.work + "/o") == CrashSafetyTests.files(in: plain.work + "/o"))
        #expect(try CrashSafetyTests.storeState(other.store) == CrashSafetyTests.storeState(plain.store))
    }
}
