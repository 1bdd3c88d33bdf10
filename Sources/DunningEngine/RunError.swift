import DunningCore
import DunningStore
import Foundation

/// Why a run stopped, mapped onto sysexits codes that cron and on-call engineers can act on.
public enum RunError: Error, Sendable, CustomStringConvertible {
    /// Wrong flags or an as-of date the store refuses (64, EX_USAGE).
    case usage(String)
    /// Bad rows or unreadable data; nothing committed (65, EX_DATAERR).
    case data([Diagnostic])
    /// A required input file is missing (66, EX_NOINPUT).
    case noInput(String)
    /// Output directory or store cannot be created (73, EX_CANTCREAT).
    case cannotCreate(String)
    /// Reading or writing failed mid-way (74, EX_IOERR).
    case io(String)
    /// Another run holds the store (75, EX_TEMPFAIL): try again later.
    case locked(String)
    /// The strategy file is invalid (78, EX_CONFIG).
    case config([Diagnostic])
    /// A bug: please report (70, EX_SOFTWARE).
    case internalError(String)

    public var exitCode: Int32 {
        switch self {
        case .usage: return 64
        case .data: return 65
        case .noInput: return 66
        case .internalError: return 70
        case .cannotCreate: return 73
        case .io: return 74
        case .locked: return 75
        case .config: return 78
        }
    }

    public var description: String {
        switch self {
        case .usage(let m), .noInput(let m), .cannotCreate(let m), .io(let m), .locked(let m), .internalError(let m):
            return "error: \(m)"
        case .data(let diagnostics), .config(let diagnostics):
            return diagnostics.map(\.description).joined(separator: "\n")
        }
    }
}

extension RunLock {
    /// The store's lock, or the error an on-call engineer can act on (`retry` says what to do
    /// when another run holds it).
    static func acquire(storePath: String, retry: String) throws(RunError) -> RunLock {
        // Locked where the store really is: a run through a symbolic link and one through its
        // target must exclude each other.
        do { return try RunLock(storePath: StorePath.resolved(storePath)) } catch {
            switch error {
            case .held(let path, let pid):
                throw .locked("another dunning run holds \(path)\(pid.map { " (pid \($0))" } ?? ""); \(retry)")
            case .unavailable(let path, let code):
                throw .cannotCreate("cannot create the lock file \(path): \(String(cString: strerror(code)))")
            case .notALockFile(let path, let what):
                throw .cannotCreate("\(path) is \(what), not a dunning lock file: nothing was opened; move it away (it is not dunning's) and run again")
            }
        }
    }
}
