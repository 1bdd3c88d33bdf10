import ArgumentParser
import DunningCore
import DunningEngine
import Foundation
import Logging

/// The options that say which night to decide from what: shared by `run` and `preview`.
struct NightOptions: ParsableArguments {
    @Option(name: .customLong("as-of"), help: "Business date YYYY-MM-DD (default: $DUNNING_AS_OF or today in the strategy's business time zone).")
    var asOf: String?

    @Option(help: "Directory with ledger.csv, customers.csv, agents.csv and optionally events.csv and manifest.json (default: $DUNNING_INPUT or input).")
    var input: String?

    @Option(help: "SQLite state store, made by `dunning init` (default: $DUNNING_DB or \(RunOptions.defaultStorePath)).")
    var db: String?

    @Flag(help: "Accept an as-of date more than a day after this machine's date or more than ten years before it (simulations, generated data).")
    var allowAnyDate = false

    @Option(help: "Accept tonight that exactly N of the open cases are missing from the extract (a portfolio sale, a write-off); see docs/operations.md#safety-rails.")
    var acceptMissing: Int?

    @Option(help: "Accept tonight that exactly N nights were missed since the last committed one, when that is more than the strategy's safety.max_missed_nights.")
    var acceptMissedNights: Int?

    @Option(help: "Log level on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "notice"

    mutating func validate() throws {
        _ = try DunningEnvironment.day(flag: asOf, flagName: "--as-of", variable: "DUNNING_AS_OF")
        _ = try DunningEnvironment.path(flag: input, flagName: "--input", variable: "DUNNING_INPUT")
        _ = try DunningEnvironment.path(flag: nil, flagName: "--strategy", variable: "DUNNING_STRATEGY")
        _ = try DunningEnvironment.storePath(flag: db)
        _ = try DunningEnvironment.threads()
        if let acceptMissing, acceptMissing < 0 { throw ValidationError("--accept-missing must be 0 or more, not \(acceptMissing)") }
        if let acceptMissedNights, acceptMissedNights < 1 {
            throw ValidationError("--accept-missed-nights must be 1 or more, not \(acceptMissedNights)")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    /// Run options for `strategy`, flags first, then the environment, then the defaults. The
    /// values were checked by `validate`.
    func runOptions(strategy: String?) throws -> RunOptions {
        var options = RunOptions(
            asOf: try DunningEnvironment.day(flag: asOf, flagName: "--as-of", variable: "DUNNING_AS_OF"),
            strategyPath: try strategy ?? Self.strategyInForce(),
            inputDirectory: try DunningEnvironment.path(flag: input, flagName: "--input", variable: "DUNNING_INPUT") ?? "input",
            storePath: try DunningEnvironment.storePath(flag: db))
        options.now = allowAnyDate ? nil : Date()
        options.acceptMissing = acceptMissing
        options.acceptMissedNights = acceptMissedNights
        if let threads = try DunningEnvironment.threads() { options.workers = threads }
        return options
    }

    /// The strategy the nightly run uses: `DUNNING_STRATEGY`, else strategies/default.yaml.
    static func strategyInForce() throws -> String {
        try DunningEnvironment.path(flag: nil, flagName: "--strategy", variable: "DUNNING_STRATEGY") ?? "strategies/default.yaml"
    }

    func logger() -> Logger {
        var logger = Logger(label: "dunning") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .notice
        return logger
    }
}
