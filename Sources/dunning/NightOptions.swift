import ArgumentParser
import DunningCore
import DunningEngine
import Foundation
import Logging

/// The options that say which night to decide from what: shared by `run` and `preview`.
struct NightOptions: ParsableArguments {
    @Option(name: .customLong("as-of"), help: "Business date YYYY-MM-DD (default: $DUNNING_AS_OF or today in the strategy's business time zone).")
    var asOf: String?

    @Option(help: "Directory with ledger.csv, customers.csv, agents.csv and optionally events.csv (default: $DUNNING_INPUT or input).")
    var input: String?

    @Option(help: "SQLite state store (default: $DUNNING_DB or \(RunOptions.defaultStorePath)).")
    var db: String?

    @Flag(help: "Accept an as-of date more than a day after this machine's date or more than ten years before it (simulations, generated data).")
    var allowAnyDate = false

    @Option(help: "Log level on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "notice"

    mutating func validate() throws {
        if let text = asOf ?? ProcessInfo.processInfo.environment["DUNNING_AS_OF"], Day(iso: text) == nil {
            throw ValidationError("--as-of '\(text)' is not a valid date (YYYY-MM-DD)")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    /// Run options for `strategy`, flags first, then the environment, then the defaults.
    func runOptions(strategy: String?) -> RunOptions {
        let env = ProcessInfo.processInfo.environment
        var options = RunOptions(
            asOf: (asOf ?? env["DUNNING_AS_OF"]).flatMap { Day(iso: $0) },
            strategyPath: strategy ?? Self.strategyInForce,
            inputDirectory: input ?? env["DUNNING_INPUT"] ?? "input",
            storePath: db ?? env["DUNNING_DB"] ?? RunOptions.defaultStorePath)
        options.now = allowAnyDate ? nil : Date()
        return options
    }

    /// The strategy the nightly run uses: `DUNNING_STRATEGY`, else strategies/default.yaml.
    static var strategyInForce: String {
        ProcessInfo.processInfo.environment["DUNNING_STRATEGY"] ?? "strategies/default.yaml"
    }

    func logger() -> Logger {
        var logger = Logger(label: "dunning") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .notice
        return logger
    }
}
