import ArgumentParser
import DunningCore
import DunningEngine
import Foundation
import Logging

/// `dunning run`: the nightly job.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the nightly job for one business date and commit it to the state store.",
        discussion: """
            Each option can also come from the environment: DUNNING_AS_OF, DUNNING_STRATEGY, DUNNING_INPUT, \
            DUNNING_DB, DUNNING_OUT. A flag wins over the environment.
            """
    )

    @Option(name: .customLong("as-of"), help: "Business date YYYY-MM-DD (default: today in the strategy's business time zone).")
    var asOf: String?

    @Option(help: "Strategy YAML file (default: strategies/default.yaml).")
    var strategy: String?

    @Option(help: "Directory with ledger.csv, customers.csv and optionally events.csv (default: input).")
    var input: String?

    @Option(help: "SQLite state store (default: \(RunOptions.defaultStorePath)).")
    var db: String?

    @Option(help: "Output directory (default: $DUNNING_OUT/<as-of> or out/<as-of>; a dry run writes outputs only when --out is given).")
    var out: String?

    @Flag(help: "Do everything but commit: the state store is left byte-for-byte unchanged.")
    var dryRun = false

    @Flag(help: "Commit the good rows and write bad ones with their reasons to rejects.csv.")
    var skipBadRows = false

    @Option(help: "Permission bits of output files, octal (default: 600).")
    var fileMode = "600"

    @Option(help: "Log level on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "notice"

    mutating func validate() throws {
        let env = ProcessInfo.processInfo.environment
        if let text = asOf ?? env["DUNNING_AS_OF"], Day(iso: text) == nil {
            throw ValidationError("--as-of '\(text)' is not a valid date (YYYY-MM-DD)")
        }
        guard let mode = UInt32(fileMode, radix: 8), mode <= 0o777 else {
            throw ValidationError("--file-mode '\(fileMode)' must be octal permission bits such as 600 or 640")
        }
        _ = mode
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        let options = RunOptions(
            asOf: (asOf ?? env["DUNNING_AS_OF"]).flatMap { Day(iso: $0) },
            strategyPath: strategy ?? env["DUNNING_STRATEGY"] ?? "strategies/default.yaml",
            inputDirectory: input ?? env["DUNNING_INPUT"] ?? "input",
            storePath: db ?? env["DUNNING_DB"] ?? RunOptions.defaultStorePath,
            outputDirectory: out,
            outputRoot: env["DUNNING_OUT"],
            dryRun: dryRun, skipBadRows: skipBadRows, fileMode: UInt32(fileMode, radix: 8) ?? 0o600)
        var logger = Logger(label: "dunning") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .notice
        let report: RunReport
        do {
            report = try NightlyRun(options: options, logger: logger).execute()
        } catch {
            error.exit()
        }
        for problem in report.skippedRows {
            printError(problem.description.replacingOccurrences(of: ": error: ", with: ": warning: skipped: "))
        }
        print(report.summary.table(rerun: report.rerun), terminator: "")
        if let directory = report.outputDirectory { print("  outputs   \(directory)") }
    }
}
