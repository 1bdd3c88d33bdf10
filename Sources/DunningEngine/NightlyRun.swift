import DunningCore
import DunningIO
import DunningStore
import DunningStrategy
import Foundation
import Logging

/// One night, end to end: load and validate everything, decide in the pure core, then write once.
public struct NightlyRun {
    public static let engineVersion = EngineVersion.current
    public let options: RunOptions
    public let logger: Logger

    public init(options: RunOptions, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    /// What the store knows before tonight.
    struct StoreState {
        /// The last committed night (tonight itself on a re-run).
        var lastRun: Day?
        /// The last committed night before tonight.
        var previousRun: Day?
        var prior: [CaseKey: CaseHistory]
        /// The store's adoption date (nil for a new book): milestones due before it are the
        /// previous system's, on whichever night they appear.
        var adoptedBefore: Day?

        /// Nights since the last one run, by this store or (before its first night) by the system
        /// it took over from, that nobody ran.
        func gap(before night: Day) -> (nights: Int, since: Day, what: String)? {
            if let previousRun { return (max(0, night - previousRun - 1), previousRun, "the last committed night") }
            if let adoptedBefore { return (max(0, night - adoptedBefore), adoptedBefore, "the store's hand-over date (dunning init --adopt-before)") }
            return nil
        }
    }

    public func execute() throws(RunError) -> RunReport {
        var clock = PhaseClock()

        // 1. Strategy, date and calendar: nothing is opened before they pass.
        let strategy = try loadStrategy()
        let asOf = options.asOf ?? BusinessCalendar.today(in: strategy.businessTimeZone)
        if let now = options.now { try Self.checkPlausible(asOf, now: now, zone: strategy.businessTimeZone) }
        let calendarWarning = try Self.checkCalendar(strategy, night: asOf)
        try Self.checkRetention(strategy, retainDays: options.retainDays)
        logger.info("strategy loaded", metadata: ["name": "\(strategy.name)", "sha256": "\(strategy.contentHash.prefix(12))", "as_of": "\(asOf)"])
        clock.lap("strategy")

        // 2. The store: locked for the whole run unless dry; dry runs only read.
        let (store, lock) = try openStore()
        defer { withExtendedLifetime(lock) {} }
        let state = try readStore(store, asOf: asOf)
        // Nights nobody ran: since the last committed night, or on a first night since the hand-over.
        let gap = state.gap(before: asOf)
        let missed = gap?.nights ?? 0
        let acceptedNights = try Self.checkMissedNights(gap, night: asOf, policy: strategy.safety,
                                                        accepted: options.acceptMissedNights)
        clock.lap("store_read")

        // 3. Inputs, checked against the manifest and against the open book.
        let loader = InputLoader(directory: options.inputDirectory, strategy: strategy, asOf: asOf, workers: options.workers)
        let manifest = try checkManifest(strategy: strategy, asOf: asOf, reads: loader.filesToRead)
        var (inputs, extract) = try loadInputs(loader, manifest: manifest, strategy: strategy, state: state)
        // Once the inputs are accepted, tonight's undo copy is made while the night is decided;
        // the commit waits for it.
        let backup = options.dryRun || options.keepBackups == 0 ? nil : BackupTask(storePath: options.storePath, night: asOf)
        // A night that fails before its commit leaves the backups as they were.
        defer { backup?.discardUnlessCommitted() }
        clock.lap("inputs")

        // 4. Decide.
        let decision = NightPlanner(strategy: strategy, asOf: asOf, adoptBefore: state.adoptedBefore)
            .decide(loans: inputs.loansByCase, customers: inputs.customers, prior: state.prior, held: inputs.heldCases,
                    workers: options.workers)
        // The loans are the largest input and nothing after the decisions reads them.
        inputs.loansByCase = [:]
        Memory.returnFreedPages()
        clock.lap("decide")

        // 5. Allocate cases to groups and members, then plan contacts from the decisions,
        // recorded events and earlier plans.
        let events: [String: [Event]]
        do { events = try contactEvents(asOf: asOf, store: store, inputs: inputs) } catch {
            throw .io("cannot read the contact history from the state store \(options.storePath): \(error)")
        }
        var allocation = try allocate(strategy: strategy, asOf: asOf, store: store, inputs: inputs, decision: decision,
                                      events: events)
        clock.lap("allocation")
        let contactPlan: ContactPlan
        do {
            contactPlan = try planContacts(strategy: strategy, asOf: asOf, state: state, store: store, inputs: inputs,
                                           decision: decision, events: events, allocation: allocation)
        } catch {
            throw .io("cannot read the contact history from the state store \(options.storePath): \(error)")
        }
        allocation?.countPlannedCalls(contactPlan.contacts)
        Memory.returnFreedPages()
        clock.lap("contacts")

        // 6. Write once: stage outputs and commit the store together, then publish the outputs.
        var summary = Summary.make(asOf: asOf, strategy: strategy, committed: !options.dryRun, missedNights: missed,
                                   inputs: inputs, decision: decision, plan: contactPlan, allocation: allocation)
        summary.extract = ExtractFigures(extract, accepted: options.acceptMissing, manifest: manifest?.sha256)
        summary.acceptedMissedNights = acceptedNights
        var warnings = calendarWarning.map { [$0] } ?? []
        let night = Night(asOf: asOf, strategy: strategy, state: state, decision: decision, plan: contactPlan,
                          allocation: allocation, backup: backup)
        let outputDirectory = try write(night, inputs: &inputs, summary: &summary, warnings: &warnings, store: store, clock: &clock)

        var detail: NightDetail?
        if options.collectDetail {
            detail = NightDetail(cases: decision.cases, assignments: allocation?.outcome.assignments,
                                 loads: allocation?.outcome.loads ?? [], actions: decision.actions,
                                 contacts: contactPlan.contacts, deferrals: contactPlan.deferrals)
        }
        return RunReport(summary: summary, outputDirectory: outputDirectory, rerun: state.lastRun == asOf,
                         skippedRows: inputs.problems, detail: detail, warnings: warnings)
    }

    private func loadStrategy() throws(RunError) -> Strategy {
        switch StrategyLoader.load(path: options.strategyPath) {
        case .success(let strategy): return strategy
        case .failure(let error): throw .config(error.diagnostics)
        }
    }

    /// Reads what the store knows before tonight, and refuses a night that would go back in time.
    private func readStore(_ store: StateStore, asOf: Day) throws(RunError) -> StoreState {
        do {
            let lastRun = try store.lastRunDate()
            if let lastRun, asOf < lastRun {
                throw RunError.usage("as-of \(asOf) is before the last committed run \(lastRun); runs only move forward (re-running \(lastRun) is allowed; `dunning rollback` undoes the last night, see docs/operations.md#going-back-to-an-earlier-date)")
            }
            let previousRun = try store.lastRunDate(before: asOf)
            let info = try store.info()
            try Self.checkAdoption(info, night: asOf, previousRun: previousRun)
            return StoreState(lastRun: lastRun, previousRun: previousRun, prior: try store.history(before: asOf),
                              adoptedBefore: info.adoptBefore)
        } catch let error as RunError {
            throw error
        } catch {
            throw .io("cannot read the state store \(options.storePath): \(error)")
        }
    }
}
