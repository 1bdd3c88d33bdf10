import Foundation
import Testing

/// A store is made only by `dunning init`: a mistyped path, an empty one or one of SQLite's
/// special names can never start a new book, and `init` never overwrites.
@Suite struct StoreSafetyTests {
    static let night1 = "fixtures/lifecycle/nights/2026-02-26"

    static func runArgs(_ store: String, out: String) -> [String] {
        ["run", "--as-of", "2026-02-26", "--input", night1, "--db", store, "--out", out]
    }

    @Test func aMistypedStorePathIsRefusedAndNothingIsCreated() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/var/dunning.sqlite")
        let typo = work + "/var/dunnig.sqlite"
        for dry in [false, true] {
            let result = try BinaryRunner.run(Self.runArgs(typo, out: work + "/out") + (dry ? ["--dry-run"] : []))
            #expect(result.status == 66, "\(result.stderr)")
            #expect(result.stderr.hasPrefix("error: no state store at \(typo): check --db (or DUNNING_DB), and that the store's disk is mounted and the file was not moved; nothing was created."))
            #expect(result.stderr.contains("`dunning init --db \(typo)` makes a new store, whose first night acts on every milestone that ever fell due"))
            #expect(result.stdout.isEmpty)
        }
        // No store, no lock file, no outputs.
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/var").sorted() == ["dunning.sqlite"])
        #expect(!FileManager.default.fileExists(atPath: work + "/out"))
        // The same for the store that DUNNING_DB names.
        let env = try BinaryRunner.run(["run", "--as-of", "2026-02-26", "--input", Self.night1], environment: ["DUNNING_DB": typo])
        #expect(env.status == 66)
        #expect(!FileManager.default.fileExists(atPath: typo))
    }

    /// `""`, `:memory:` and `file:` URIs would commit into a database that vanishes: every command refuses them.
    @Test(arguments: ["", " ", ":memory:", "file::memory:", "file:s.sqlite?mode=memory", "FILE:x.sqlite", "var/", "x.sqlite ", "\nx.sqlite"])
    func specialNamesAreRefusedEverywhereWith64(name: String) throws {
        let work = BinaryRunner.temporaryDirectory()
        let commands: [[String]] = [
            ["init", "--db", name],
            ["run", "--as-of", "2026-02-26", "--input", Self.night1, "--db", name, "--out", work + "/o"],
            ["run", "--dry-run", "--as-of", "2026-02-26", "--input", Self.night1, "--db", name],
            ["preview", "--strategy", "strategies/default.yaml", "--as-of", "2026-02-26", "--input", Self.night1, "--db", name],
            ["rollback", "--db", name],
            ["explain", "C001", "--db", name],
            ["report", "--db", name],
        ]
        for command in commands {
            let flag = try BinaryRunner.run(command, cwd: work)
            #expect(flag.status == 64, "\(command): \(flag.stderr)")
            let viaEnvironment = try BinaryRunner.run(command.filter { $0 != "--db" && $0 != name }, environment: ["DUNNING_DB": name],
                                                      cwd: work)
            #expect(viaEnvironment.status == 64, "DUNNING_DB=\(name) \(command[0]): \(viaEnvironment.stderr)")
            #expect(viaEnvironment.stderr.contains("DUNNING_DB"), "\(viaEnvironment.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: work).isEmpty)
    }

    @Test func initCreatesTheDirectoryAndRefusesAnExistingPath() throws {
        let work = BinaryRunner.temporaryDirectory()
        let store = work + "/deep/var/dunning.sqlite"
        let made = try BinaryRunner.run(["init", "--db", store])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.hasPrefix("created the state store \(store)\n"))
        let mode = try FileManager.default.attributesOfItem(atPath: store)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/deep/var") == ["dunning.sqlite"])
        #expect(try BinaryRunner.run(Self.runArgs(store, out: work + "/o")).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: store))
        let again = try BinaryRunner.run(["init", "--db", store])
        #expect(again.status == 73)
        #expect(again.stderr.contains("already exists; `dunning init` never overwrites a file (a dunning store whose last committed night is 2026-02-26)"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)
        // Any file, not only a store, and a directory.
        try "notes".write(toFile: work + "/notes.txt", atomically: true, encoding: .utf8)
        #expect(try BinaryRunner.run(["init", "--db", work + "/notes.txt"]).status == 73)
        #expect(try String(contentsOfFile: work + "/notes.txt", encoding: .utf8) == "notes")
        // A directory is never a store path, for any command.
        #expect(try BinaryRunner.run(["init", "--db", work + "/deep"]).status == 64)
    }

    /// What an earlier store at the same path left behind must not be taken for the new one's:
    /// its journal would be replayed into it, its backups rolled back to.
    @Test func initRefusesWhatAnEarlierStoreLeftBehind() throws {
        let work = BinaryRunner.temporaryDirectory()
        let store = work + "/s.sqlite"
        try BinaryRunner.initStore(store)
        #expect(try BinaryRunner.run(Self.runArgs(store, out: work + "/o")).status == 0)
        try FileManager.default.removeItem(atPath: store)
        let refused = try BinaryRunner.run(["init", "--db", store])
        #expect(refused.status == 73)
        #expect(refused.stderr.contains("\(store).backups is left from an earlier store at \(store): move it aside"))
        #expect(!FileManager.default.fileExists(atPath: store))
        try FileManager.default.moveItem(atPath: store + ".backups", toPath: work + "/old-backups")
        _ = FileManager.default.createFile(atPath: store + "-journal", contents: Data(repeating: 1, count: 512))
        #expect(try BinaryRunner.run(["init", "--db", store]).status == 73)
        try FileManager.default.removeItem(atPath: store + "-journal")
        #expect(try BinaryRunner.run(["init", "--db", store]).status == 0)
    }

    /// Short relative names (which trap in Foundation's own path functions) and links.
    @Test func shortRelativePathsAndLinksWork() throws {
        let work = BinaryRunner.temporaryDirectory()
        let root = BinaryRunner.root.path
        let made = try BinaryRunner.run(["init", "--db", "x"], cwd: work)
        #expect(made.status == 0, "\(made.stderr)")
        let run = try BinaryRunner.run(["run", "--as-of", "2026-02-26", "--strategy", root + "/strategies/default.yaml",
                                        "--input", root + "/" + Self.night1, "--db", "x", "--out", "o"], cwd: work)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try BinaryRunner.run(["report", "--db", "x", "--html", "h"], cwd: work).status == 0)
        #expect(FileManager.default.fileExists(atPath: work + "/h"))
        // A link and its target share the lock and the backups: they are one store.
        try FileManager.default.createSymbolicLink(atPath: work + "/link.sqlite", withDestinationPath: work + "/x")
        let viaLink = try BinaryRunner.run(["run", "--as-of", "2026-02-27", "--strategy", root + "/strategies/default.yaml",
                                            "--input", root + "/fixtures/lifecycle/nights/2026-02-27", "--db", "link.sqlite", "--out", "o2"], cwd: work)
        #expect(viaLink.status == 0, "\(viaLink.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work + "/link.sqlite.lock"))
        #expect(!FileManager.default.fileExists(atPath: work + "/link.sqlite.backups"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/x.backups").sorted() == ["before-2026-02-26.sqlite", "before-2026-02-27.sqlite"])
        // A stale journal beside the target (a kill), rolled back through the link.
        _ = FileManager.default.createFile(atPath: work + "/x-journal", contents: Data(repeating: 0, count: 4096))
        let rolled = try BinaryRunner.run(["rollback", "--db", "link.sqlite"], cwd: work)
        #expect(rolled.status == 0, "\(rolled.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work + "/x-journal"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: work + "/link.sqlite") == work + "/x", "the link stays a link")
    }

    /// An empty file (`touch`) or another SQLite database at the path is not a store: a run
    /// must not migrate it into a new book.
    @Test func aFileThatIsNotAStoreIsRefused() throws {
        let work = BinaryRunner.temporaryDirectory()
        _ = FileManager.default.createFile(atPath: work + "/empty.sqlite", contents: nil)
        let empty = try BinaryRunner.run(Self.runArgs(work + "/empty.sqlite", out: work + "/o"))
        #expect(empty.status == 73)
        #expect(empty.stderr.contains("is not a dunning state store"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: work + "/empty.sqlite")).isEmpty)
        let other = try BinaryRunner.run([work + "/other.sqlite", "CREATE TABLE t (x); INSERT INTO t VALUES (1);"],
                                         executable: URL(fileURLWithPath: "/usr/bin/sqlite3"))
        #expect(other.status == 0)
        let foreign = try BinaryRunner.run(Self.runArgs(work + "/other.sqlite", out: work + "/o"))
        #expect(foreign.status == 73)
        #expect(foreign.stderr.contains("is not a dunning state store"))
        #expect(!FileManager.default.fileExists(atPath: work + "/o"))
        let directory = try BinaryRunner.run(Self.runArgs(work, out: work + "/o"))
        #expect(directory.status == 64)
        #expect(directory.stderr.contains("is a directory"))
    }

    @Test func environmentValuesAreCheckedWithTheirNames() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        let base = ["run", "--as-of", "2026-02-26", "--input", Self.night1, "--db", work + "/s.sqlite", "--out", work + "/o"]
        for value in ["abc", "0", "500", "-1", " 2", ""] {
            let result = try BinaryRunner.run(base, environment: ["DUNNING_THREADS": value])
            #expect(result.status == 64, "DUNNING_THREADS=\(value)")
            #expect(result.stderr.contains("DUNNING_THREADS must be a whole number from 1 to 64, not '\(value)'"), "\(result.stderr)")
        }
        #expect(try BinaryRunner.run(base, environment: ["DUNNING_THREADS": "2"]).status == 0)
        for name in ["DUNNING_OUT", "DUNNING_INPUT", "DUNNING_STRATEGY"] {
            for value in ["", "\n", "  "] {
                let result = try BinaryRunner.run(["run", "--as-of", "2026-02-26", "--db", work + "/s.sqlite"], environment: [name: value], cwd: work)
                #expect(result.status == 64, "\(name)=\(value)")
                #expect(result.stderr.contains("\(name) is set but empty"), "\(result.stderr)")
            }
            for value in ["out ", " input", "in\nput", "a\tb"] {
                let result = try BinaryRunner.run(["run", "--as-of", "2026-02-26", "--db", work + "/s.sqlite"], environment: [name: value], cwd: work)
                #expect(result.status == 64, "\(name)=\(value)")
                #expect(result.stderr.contains(name), "\(result.stderr)")
            }
        }
        for value in ["s.sqlite ", "\ns.sqlite"] {
            #expect(try BinaryRunner.run(["init"], environment: ["DUNNING_DB": value], cwd: work).status == 64)
        }
        let asOf = try BinaryRunner.run(["run", "--db", work + "/s.sqlite"], environment: ["DUNNING_AS_OF": ""])
        #expect(asOf.status == 64)
        #expect(asOf.stderr.contains("DUNNING_AS_OF '' is not a valid date"))
        for flag in ["--input", "--out", "--strategy"] {
            let result = try BinaryRunner.run(["run", "--as-of", "2026-02-26", "--db", work + "/s.sqlite", flag, ""])
            #expect(result.status == 64, "\(flag) ''")
        }
        // Nothing was written to the root of the file system or anywhere else.
        #expect(try FileManager.default.contentsOfDirectory(atPath: work).sorted() == ["o", "s.sqlite", "s.sqlite.backups", "s.sqlite.lock"])
        #expect(!FileManager.default.fileExists(atPath: "/2026-02-26"))
    }
}
