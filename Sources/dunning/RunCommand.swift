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
            DUNNING_DB, DUNNING_OUT, and DUNNING_THREADS sets the threads (1 to 64). A flag wins over the \
            environment; an empty or malformed variable exits 64. The store must exist (`dunning init`).
            """
    )

    @OptionGroup var night: NightOptions

    @Option(help: "Strategy YAML file (default: strategies/default.yaml).")
    var strategy: String?

    @Option(help: "Output directory (default: $DUNNING_OUT/<as-of> or out/<as-of>; a dry run writes outputs only when --out is given).")
    var out: String?

    @Flag(help: "Do everything but commit: the state store is left byte-for-byte unchanged.")
    var dryRun = false

    @Flag(help: "Commit the good rows and write bad ones with their reasons to rejects.csv.")
    var skipBadRows = false

    @Option(help: "Permission bits of output files, octal.")
    var fileMode = "600"

    @Option(help: "Days of contact, decision and assignment history the store keeps (0 keeps everything). See docs/operations.md.")
    var retainDays = RunOptions.defaultRetainDays

    @Option(help: "Backups of the store kept, one taken before each committed night, for `dunning rollback` (0 takes none).")
    var keepBackups = RunOptions.defaultKeepBackups

    mutating func validate() throws {
        guard let mode = UInt32(fileMode, radix: 8), mode <= 0o777 else {
            throw ValidationError("--file-mode '\(fileMode)' must be octal permission bits such as 600 or 640")
        }
        guard retainDays <= RunOptions.maximumRetainDays else {
            throw ValidationError("--retain-days must be at most \(RunOptions.maximumRetainDays) (a century), not \(retainDays); 0 keeps everything")
        }
        guard retainDays == 0 || retainDays >= RunOptions.minimumRetainDays else {
            throw ValidationError("--retain-days \(retainDays) is too short: contact caps and catch-up read \(RunOptions.minimumRetainDays) days back (use 0 to keep everything)")
        }
        guard (0...RunOptions.maximumKeepBackups).contains(keepBackups) else {
            throw ValidationError("--keep-backups must be from 0 to \(RunOptions.maximumKeepBackups), not \(keepBackups)")
        }
        _ = try DunningEnvironment.path(flag: strategy, flagName: "--strategy", variable: "DUNNING_STRATEGY")
        _ = try DunningEnvironment.path(flag: out, flagName: "--out", variable: "DUNNING_OUT")
    }

    func run() throws {
        var options = try night.runOptions(strategy: strategy)
        options.outputDirectory = out
        options.outputRoot = try DunningEnvironment.path(flag: nil, flagName: "--out", variable: "DUNNING_OUT")
        options.keepBackups = keepBackups
        options.dryRun = dryRun
        options.skipBadRows = skipBadRows
        options.fileMode = UInt32(fileMode, radix: 8) ?? 0o600
        options.retainDays = retainDays
        let report: RunReport
        do {
            report = try NightlyRun(options: options, logger: night.logger()).execute()
        } catch {
            error.exit()
        }
        for warning in report.warnings { printError(warning.description) }
        for problem in report.skippedRows {
            printError(problem.description.replacingOccurrences(of: ": error: ", with: ": warning: skipped: "))
        }
        print(report.summary.table(rerun: report.rerun), terminator: "")
        if let directory = report.outputDirectory { print("  outputs   \(directory)") }
    }
}
