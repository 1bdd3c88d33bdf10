import DunningCore
import Foundation

/// An extract's control file, `manifest.json` in the input directory: the business date the
/// extract is for and, per file, its number of data rows and its SHA-256, written by the job that
/// made the extract (the control-file habit of banking batch jobs). A night that finds one checks
/// every figure before it decides anything, so a truncated, stale or half-copied extract is
/// refused instead of acted on.
///
/// ```json
/// {"as_of": "2026-11-22",
///  "files": {"ledger.csv": {"rows": 18234, "sha256": "9f86d0..."},
///            "customers.csv": {"rows": 5120, "sha256": "..."}}}
/// ```
public struct ExtractManifest: Sendable {
    public static let fileName = "manifest.json"
    /// The input files a manifest may describe; the first two must be described.
    public static let inputFiles = ["ledger.csv", "customers.csv", "events.csv", "agents.csv"]
    static let requiredFiles = ["ledger.csv", "customers.csv"]

    /// One file's figures, with where the manifest gives them.
    public struct Entry: Sendable {
        public var rows: Int
        public var sha256: String
        var rowsAt: (line: Int, column: Int)
        var sha256At: (line: Int, column: Int)
    }

    public var asOf: Day
    var asOfAt: (line: Int, column: Int)
    public var files: [String: Entry]
    /// The manifest file's own SHA-256 (recorded with the night).
    public var sha256: String
    /// The manifest's path, as diagnostics show it.
    public let path: String

    /// The manifest could not be used at all: every problem, located.
    public struct Invalid: Error, Sendable { public var diagnostics: [Diagnostic] }

    /// Reads `manifest.json` in `directory`; nil when there is none.
    public static func load(directory: String) throws(Invalid) -> ExtractManifest? {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else {
            // A link to nothing is a manifest that did not arrive, not an extract without one.
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil {
                throw Invalid(diagnostics: [Diagnostic(file: path, line: 1, column: 1, message: "the manifest is a symbolic link to a file that does not exist")])
            }
            return nil
        }
        let bytes: [UInt8]
        switch BoundedFile.read(path, limit: 1 << 20) {
        case .success(let read): bytes = read
        case .failure(let error):
            throw Invalid(diagnostics: [Diagnostic(file: path, line: 1, column: 1, message: "cannot read the manifest: it is \(error)")])
        }
        let root: LocatedJSON
        do { root = try LocatedJSON.parse(bytes) } catch {
            throw Invalid(diagnostics: [Diagnostic(file: path, line: error.line, column: error.column, message: "the manifest is not valid JSON: \(error.message)")])
        }
        var reader = ManifestReader(path: path)
        guard let manifest = reader.read(root, sha256: SHA256.hex(bytes)), reader.problems.isEmpty else {
            throw Invalid(diagnostics: reader.problems)
        }
        return manifest
    }

    /// The text of a manifest for `files` (name, data rows, SHA-256), as an extract job writes it.
    public static func render(asOf: Day, files: [(name: String, rows: Int, sha256: String)]) -> String {
        let entries = files.map { "    \"\($0.name)\": {\"rows\": \($0.rows), \"sha256\": \"\($0.sha256)\"}" }
        return "{\n  \"as_of\": \"\(asOf)\",\n  \"files\": {\n" + entries.joined(separator: ",\n") + "\n  }\n}\n"
    }

    /// Problems with the business date: the extract must be for the night being run.
    public func problem(asOf night: Day) -> Diagnostic? {
        guard asOf != night else { return nil }
        return Diagnostic(file: path, line: asOfAt.line, column: asOfAt.column,
                          message: "the extract is for \(asOf) (manifest as_of) but this run is for \(night): the files are not tonight's extract; check that the extract job ran, or the run's --as-of (DUNNING_AS_OF)")
    }

    /// Problems with which files are described and their SHA-256: every file the night reads
    /// (`reads`) must be listed, every listed file must be there and hash as described.
    public func fileProblems(directory: String, reads: [String]) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for name in reads where files[name] == nil {
            problems.append(Diagnostic(file: path, line: 1, column: 1,
                                       message: "\(name) is in the input directory but not in the manifest: the manifest must describe every file the night reads"))
        }
        for name in files.keys.sorted() {
            let entry = files[name]!
            let file = (directory as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: file) else {
                problems.append(Diagnostic(file: path, line: entry.rowsAt.line, column: 1,
                                           message: "the manifest describes \(name) (\(entry.rows) rows), but \(file) does not exist"))
                continue
            }
            // A device or a pipe would be read for ever (/dev/zero) or consumed: only files hash.
            guard (try? FileManager.default.attributesOfItem(atPath: file)[.type] as? FileAttributeType) == .typeRegular else {
                problems.append(Diagnostic(file: path, line: entry.sha256At.line, column: entry.sha256At.column,
                                           message: "\(file) is not a regular file: its SHA-256 cannot be checked"))
                continue
            }
            do {
                let actual = try FileDigest.sha256(path: file)
                if actual != entry.sha256 {
                    problems.append(Diagnostic(file: path, line: entry.sha256At.line, column: entry.sha256At.column,
                                               message: "\(name) has SHA-256 \(actual), but the manifest says \(entry.sha256): the file is not the one the extract job wrote (truncated, changed or half-copied?)"))
                }
            } catch {
                problems.append(Diagnostic(file: path, line: entry.sha256At.line, column: entry.sha256At.column,
                                           message: "cannot read \(file) to check its SHA-256"))
            }
        }
        return problems
    }

    /// Problems with the data rows read per file (`rowCounts`, the loader's figures).
    public func rowProblems(_ rowCounts: [String: Int]) -> [Diagnostic] {
        files.keys.sorted().compactMap { name in
            let entry = files[name]!
            guard let actual = rowCounts[name], actual != entry.rows else { return nil }
            return Diagnostic(file: path, line: entry.rowsAt.line, column: entry.rowsAt.column,
                              message: "\(name) has \(actual) data rows, but the manifest says \(entry.rows)")
        }
    }
}

/// Turns the parsed JSON into an `ExtractManifest`, collecting every problem.
private struct ManifestReader {
    let path: String
    var problems: [Diagnostic] = []

    mutating func problem(_ at: LocatedJSON, _ message: String) {
        problems.append(Diagnostic(file: path, line: at.line, column: at.column, message: message))
    }

    mutating func read(_ root: LocatedJSON, sha256: String) -> ExtractManifest? {
        guard case .object = root.value else {
            problem(root, "the manifest must be a JSON object with \"as_of\" and \"files\"")
            return nil
        }
        var asOf: Day?
        if let node = root["as_of"] {
            if case .string(let text) = node.value, let day = Day(iso: text) { asOf = day } else {
                problem(node, "as_of must be the extract's business date as a string, e.g. \"2026-11-22\"")
            }
        } else {
            problem(root, "the manifest needs \"as_of\", the business date of the extract")
        }
        var files: [String: ExtractManifest.Entry] = [:]
        if let node = root["files"], case .object(let pairs) = node.value {
            for (name, value) in pairs { if let entry = self.entry(name, value) { files[name] = entry } }
            for name in ExtractManifest.requiredFiles where !pairs.contains(where: { $0.key == name }) {
                problem(node, "the manifest must describe \(name)")
            }
        } else {
            problem(root["files"] ?? root, "the manifest needs \"files\": an object with the rows and sha256 of each input file")
        }
        guard let asOf, problems.isEmpty else { return nil }
        return ExtractManifest(asOf: asOf, asOfAt: (root["as_of"]!.line, root["as_of"]!.column), files: files,
                               sha256: sha256, path: path)
    }

    mutating func entry(_ name: String, _ node: LocatedJSON) -> ExtractManifest.Entry? {
        guard ExtractManifest.inputFiles.contains(name) else {
            let shown = name.unicodeScalars.prefix(60).map { $0.properties.generalCategory == .control ? "?" : String($0) }.joined()
            problem(node, "'\(shown)' is not an input file (known: \(ExtractManifest.inputFiles.joined(separator: ", ")))")
            return nil
        }
        guard case .object = node.value else {
            problem(node, "\(name) must be an object with \"rows\" and \"sha256\"")
            return nil
        }
        var rows: Int?, digest: String?
        if let value = node["rows"], case .number(let text) = value.value, let n = Int(text), n >= 0 { rows = n } else {
            problem(node["rows"] ?? node, "\(name): rows must be the number of data rows, header not counted (a whole number, 0 or more)")
        }
        if let value = node["sha256"], case .string(let text) = value.value, text.utf8.count == 64,
           text.utf8.allSatisfy({ (48...57).contains($0) || (65...70).contains($0) || (97...102).contains($0) }) {
            digest = text.lowercased()
        } else {
            problem(node["sha256"] ?? node, "\(name): sha256 must be the file's SHA-256 as 64 hexadecimal digits")
        }
        guard let rows, let digest else { return nil }
        return ExtractManifest.Entry(rows: rows, sha256: digest, rowsAt: (node["rows"]!.line, node["rows"]!.column),
                                     sha256At: (node["sha256"]!.line, node["sha256"]!.column))
    }
}
