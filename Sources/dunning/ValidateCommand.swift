import ArgumentParser
import DunningCore
import DunningEngine
import DunningIO
import DunningStrategy
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `dunning validate`: checks strategy files without running anything.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check strategy files and report every problem as file:line:column.",
        discussion: "Exits 0 when every file is valid, 78 (EX_CONFIG) otherwise (also when --agents names a roster that does not fit the strategy's groups)."
    )

    @Argument(help: "Strategy YAML files.")
    var files: [String]

    @Option(help: "Also check this roster (agents.csv) against each strategy's allocation groups.")
    var agents: String?

    func run() throws {
        var failed = false
        for file in files {
            switch StrategyLoader.load(path: file) {
            case .success(let strategy):
                let contact = strategy.contact
                let groups = strategy.allocation.map { ", \($0.groups.count) allocation groups" } ?? ""
                if let agents, !checkRoster(agents, strategy: strategy) { failed = true; continue }
                let covers = contact.calendar.map { ", calendar covers \($0.coverageText)" } ?? ""
                // Unbuffered, so that a warning about the file comes after its line.
                printOutput("\(file): ok (strategy \(strategy.name), \(strategy.segments.count) segments, \(strategy.buckets.buckets.count) buckets, \(contact.treatments.count) treatments, \(contact.notices.count) notices, \(contact.holidays.count) holidays\(covers)\(groups), sha256 \(strategy.contentHash.prefix(12)))")
                if let warning = calendarWarning(strategy) { printError(warning.description) }
            case .failure(let error):
                failed = true
                printError(error.description)
            }
        }
        if failed { Glibc.exit(RunError.config([]).exitCode) }
    }

    /// A warning when the holiday calendar does not cover today or ends within a month: the
    /// nightly run refuses nights outside it (exit 78) unless holidays are optional.
    private func calendarWarning(_ strategy: Strategy) -> Diagnostic? {
        guard let calendar = strategy.contact.calendar else { return nil }
        let today = BusinessCalendar.today(in: strategy.businessTimeZone)
        let soon = (0...30).first { !calendar.covers(today + $0) }
        guard let soon else { return nil }
        let when = soon == 0 ? "does not cover today (\(today))" : "ends in \(soon) day(s), on \(today + soon - 1)"
        return Diagnostic(file: calendar.file, line: calendar.line, column: calendar.column, severity: .warning,
                          message: "the holiday calendar \(calendar.name) \(when): nights outside it are refused\(strategy.contact.holidaysOptional ? " (holidays_optional: they run without holidays)" : ""); add the next calendar (docs/strategy.md#holidays-and-the-calendar-file)")
    }

    /// Prints every roster problem; true when there is none.
    private func checkRoster(_ path: String, strategy: Strategy) -> Bool {
        guard strategy.allocation != nil else {
            printError("\(path): warning: the strategy \(strategy.name) allocates nothing; the roster is not used")
            return true
        }
        let loader = InputLoader(directory: PathText.directory(of: path), strategy: strategy,
                                 asOf: BusinessCalendar.today(in: strategy.businessTimeZone))
        do throws(InputError) {
            let roster = try loader.loadRoster(named: PathText.lastComponent(path))
            for problem in roster.rosterProblems { printError(problem.description) }
            return roster.rosterProblems.isEmpty
        } catch {
            switch error {
            case .missingFile(let d): printError(d.description)
            case .unreadable(let ds): for d in ds { printError(d.description) }
            }
            return false
        }
    }
}
