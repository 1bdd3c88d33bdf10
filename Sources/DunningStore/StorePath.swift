import DunningCore
import Foundation

/// The rules a state store's path must meet before anything opens it.
///
/// SQLite gives some names a meaning of their own: `""` and `:memory:` open a private database
/// that vanishes when the process exits, and `file:` names are URIs that can do the same
/// (`file::memory:`, `?mode=memory`). A nightly run committed into one of those would report
/// success and keep nothing, so every later night would behave like a first night. Such names are
/// refused by every command, before any file is touched.
public enum StorePath {
    /// Why `path` cannot name a state store, or nil when it can.
    /// `source` names where the path came from (`--db` or `DUNNING_DB`), for the message.
    public static func problem(_ path: String, source: String = "--db") -> String? {
        if path.isEmpty {
            return "\(source) is empty: name the state store file, e.g. var/dunning.sqlite"
        }
        if path.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return "\(source) '\(path)' is only spaces: name the state store file, e.g. var/dunning.sqlite"
        }
        if let problem = PathText.spacingProblem(path, source: source) { return problem }
        if path == ":memory:" || path.lowercased().hasPrefix("file:") {
            return "\(source) '\(path)' is one of SQLite's special names (an in-memory database or a URI): a night committed there would be lost; name a file, e.g. var/dunning.sqlite"
        }
        if path.hasSuffix("/") {
            return "\(source) '\(path)' ends with '/': name the state store file, not its directory"
        }
        if isDirectory(path) {
            return "\(source) \(path) is a directory: name the state store file inside it"
        }
        return nil
    }

    /// True when `path` names an existing directory (not a store file).
    public static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    /// The file `path` names once symbolic links are followed: the lock and the backups belong to
    /// the file, so that two names of one store (a link and its target) share them.
    public static func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    /// The directory backups of the store at `path` are kept in: `<path>.backups`.
    public static func backupDirectory(of path: String) -> String { path + ".backups" }
}
