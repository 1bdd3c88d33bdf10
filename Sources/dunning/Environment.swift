import ArgumentParser
import DunningCore
import DunningEngine
import DunningStore
import Foundation

/// The `DUNNING_*` environment variables, each checked before it is used: a value of the wrong
/// type or out of range, or an empty path (an unset variable in a crontab line), exits 64 with
/// the variable's name instead of being turned into a default or into `/`.
enum DunningEnvironment {
    static var values: [String: String] { ProcessInfo.processInfo.environment }

    /// A path from `flag` or, without it, from the variable `name`; nil when neither is given.
    static func path(flag: String?, flagName: String, variable name: String) throws -> String? {
        if let flag {
            guard !flag.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ValidationError("\(flagName) is empty: give a path")
            }
            if let problem = PathText.spacingProblem(flag, source: flagName) { throw ValidationError(problem) }
            return flag
        }
        guard let value = values[name] else { return nil }
        guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("\(name) is set but empty: give a path, or unset it to use the default")
        }
        if let problem = PathText.spacingProblem(value, source: name) { throw ValidationError(problem) }
        return value
    }

    /// The state store path (`--db`, `DUNNING_DB`, or the default), refused when it is one of
    /// SQLite's special names.
    static func storePath(flag: String?) throws -> String {
        if let flag, let problem = StorePath.problem(flag, source: "--db") { throw ValidationError(problem) }
        if flag == nil, let value = values["DUNNING_DB"], let problem = StorePath.problem(value, source: "DUNNING_DB") {
            throw ValidationError(problem)
        }
        return flag ?? values["DUNNING_DB"] ?? RunOptions.defaultStorePath
    }

    /// `DUNNING_THREADS`: a whole number from 1 to 64; nil when unset.
    static func threads() throws -> Int? {
        guard let text = values["DUNNING_THREADS"] else { return nil }
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), text.count <= 3, let n = Int(text),
              (1...RunOptions.maximumWorkers).contains(n) else {
            throw ValidationError("DUNNING_THREADS must be a whole number from 1 to \(RunOptions.maximumWorkers), not '\(text.prefix(40))'")
        }
        return n
    }

    /// A business date from `flag` or the variable `name`; nil when neither is given.
    static func day(flag: String?, flagName: String, variable name: String) throws -> Day? {
        if let flag {
            guard let day = Day(iso: flag) else { throw ValidationError("\(flagName) '\(flag.prefix(40))' is not a valid date (YYYY-MM-DD)") }
            return day
        }
        guard let text = values[name] else { return nil }
        guard let day = Day(iso: text) else { throw ValidationError("\(name) '\(text.prefix(40))' is not a valid date (YYYY-MM-DD)") }
        return day
    }
}
