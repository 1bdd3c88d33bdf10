import DunningCore
import Foundation

/// Everything `dunning run` needs to know, after flags and environment are resolved.
public struct RunOptions: Sendable {
    /// The business date to run for; nil = today in the strategy's business time zone.
    public var asOf: Day?
    public var strategyPath: String
    public var inputDirectory: String
    public var storePath: String
    /// Where outputs go; nil = `out/<as-of>` (committing runs) or nowhere (dry runs).
    public var outputDirectory: String?
    /// Parent of the default per-night output directory (`<root>/<as-of>`); nil = `out`. Dry runs
    /// ignore it: they write only to an explicit `outputDirectory`.
    public var outputRoot: String?
    public var dryRun: Bool
    public var skipBadRows: Bool
    /// Permission bits of output files.
    public var fileMode: UInt32
    /// Hand back every decision of the night in `RunReport.detail` (for `dunning preview`).
    public var collectDetail = false
    /// Threads for reading the ledger, deciding cases and planning contacts: one per core by
    /// default (`DUNNING_THREADS` overrides it). Outputs are identical for any number.
    public var workers = RunOptions.defaultWorkers
    /// Nights of history kept in the store's logs (contacts, deferrals, attempt events,
    /// workloads; superseded decision and assignment rows); 0 keeps everything. Milestones,
    /// lasting events and each case's latest decision and assignment are always kept.
    public var retainDays = RunOptions.defaultRetainDays
    /// This machine's clock, for the as-of sanity check: a business date more than
    /// `maximumDaysAhead` after today, or more than `maximumDaysBehind` before it, is refused
    /// as a likely typo (one far in the future would commit and then block every later night).
    /// Nil skips the check (simulations, tests on generated data: `--allow-any-date`).
    public var now: Date?
    /// The number of open cases missing from tonight's extract that the operator accepts for this
    /// night (a portfolio sale, a write-off): the run refuses unless it is exactly what is missing.
    public var acceptMissing: Int?
    /// The number of missed nights since the last committed one that the operator accepts for this
    /// night, when it exceeds the strategy's `safety.max_missed_nights`; must be exact.
    public var acceptMissedNights: Int?
    /// Backups of the store kept, one taken before each committed night (`dunning rollback`
    /// undoes the last night from them); 0 keeps none.
    public var keepBackups = RunOptions.defaultKeepBackups

    /// A day of slack: a run just after midnight, or a clock a little off, is not refused.
    public static let maximumDaysAhead = 1
    /// Ten years: catches a wrong decade or century; a lender's oldest plausible rerun is far newer.
    public static let maximumDaysBehind = 3_653

    /// Three months: a quarter of reports and explanations, twice the longest lookback.
    public static let defaultRetainDays = 92
    /// A century: longer is a typo, and would reach back beyond any date a store holds.
    public static let maximumRetainDays = 36_500
    /// The contact plan reads this far back (caps, deferred steps, catch-up of missed nights).
    public static let minimumRetainDays = NightlyRun.contactLookbackDays

    /// One thread per core; `DUNNING_THREADS` is read (and checked) by the command line.
    public static var defaultWorkers: Int { min(ProcessInfo.processInfo.activeProcessorCount, maximumWorkers) }
    public static let maximumWorkers = 64

    /// Three nights: the last night and the two before it can be undone.
    public static let defaultKeepBackups = 3
    public static let maximumKeepBackups = 366

    public init(asOf: Day? = nil, strategyPath: String, inputDirectory: String, storePath: String,
                outputDirectory: String? = nil, outputRoot: String? = nil, dryRun: Bool = false, skipBadRows: Bool = false, fileMode: UInt32 = 0o600) {
        self.asOf = asOf
        self.strategyPath = strategyPath
        self.inputDirectory = inputDirectory
        self.storePath = storePath
        self.outputDirectory = outputDirectory
        self.outputRoot = outputRoot
        self.dryRun = dryRun
        self.skipBadRows = skipBadRows
        self.fileMode = fileMode
    }

    public static let defaultStorePath = "var/dunning.sqlite"
    public static func defaultOutputDirectory(asOf: Day, root: String?) -> String { "\(root ?? "out")/\(asOf)" }
}

/// What a finished run hands back to the command line.
public struct RunReport: Sendable {
    public var summary: Summary
    public var outputDirectory: String?
    public var rerun: Bool
    /// Bad rows that were skipped (with --skip-bad-rows): reported on stderr as warnings.
    public var skippedRows: [Diagnostic]
    /// Every decision of the night, when `RunOptions.collectDetail` asked for it.
    public var detail: NightDetail?
    /// Warnings that did not stop the night (a night outside an optional holiday calendar).
    public var warnings: [Diagnostic] = []
}

/// Everything one night decided, case by case (what `dunning preview` compares).
public struct NightDetail: Sendable {
    public var cases: [CaseState]
    /// One per case, same order; nil when the strategy allocates nothing.
    public var assignments: [Assignment]?
    public var loads: [MemberLoad]
    public var actions: [Action]
    public var contacts: [PlannedContact]
    public var deferrals: [Deferral]
}
