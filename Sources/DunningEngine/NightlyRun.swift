import DunningCore
import DunningIO
import DunningStore
import DunningStrategy
import Foundation
import Logging

/// One night, end to end: load and validate everything, decide in the pure core, then write once.
public struct NightlyRun {
    public static let engineVersion = "0.4.0"
    public let options: RunOptions
    public let logger: Logger

    public init(options: RunOptions, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    public func execute() throws(RunError) -> RunReport {
        var clock = PhaseClock()

        // 1. Strategy.
        let strategy: Strategy
        switch StrategyLoader.load(path: options.strategyPath) {
        case .success(let s): strategy = s
        case .failure(let error): throw .config(error.diagnostics)
        }
        let asOf = options.asOf ?? BusinessCalendar.today(in: strategy.businessTimeZone)
        if let now = options.now { try Self.checkPlausible(asOf, now: now, zone: strategy.businessTimeZone) }
        logger.info("strategy loaded", metadata: ["name": "\(strategy.name)", "sha256": "\(strategy.contentHash.prefix(12))", "as_of": "\(asOf)"])
        clock.lap("strategy")

        // 2. The store: locked for the whole run unless dry; dry runs only read.
        var lock: RunLock?
        let store: StateStore?
        do {
            if options.dryRun {
                store = try StateStore.openReadOnly(path: options.storePath)
            } else {
                let directory = (options.storePath as NSString).deletingLastPathComponent
                if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
                    do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                        throw RunError.cannotCreate("cannot create the store directory \(directory): \(error.localizedDescription)")
                    }
                }
                do { lock = try RunLock(storePath: options.storePath) } catch {
                    switch error {
                    case .held(let path, let pid):
                        throw RunError.locked("another dunning run holds \(path)\(pid.map { " (pid \($0))" } ?? ""); try again when it has finished")
                    case .unavailable(let path, let code):
                        throw RunError.cannotCreate("cannot create the lock file \(path): \(String(cString: strerror(code)))")
                    }
                }
                store = try StateStore.openForWriting(path: options.storePath)
            }
        } catch let error as RunError {
            throw error
        } catch {
            throw .cannotCreate("cannot open the state store \(options.storePath): \(error)")
        }
        defer { withExtendedLifetime(lock) {} }

        let lastRun: Day?
        let previousRun: Day?
        let prior: [CaseKey: CaseHistory]
        do {
            lastRun = try store?.lastRunDate()
            if let lastRun, asOf < lastRun {
                throw RunError.usage("as-of \(asOf) is before the last committed run \(lastRun); runs only move forward (re-running \(lastRun) is allowed; see docs/operations.md to restore an older store)")
            }
            previousRun = try store?.lastRunDate(before: asOf)
            prior = try store?.history(before: asOf) ?? [:]
        } catch let error as RunError {
            throw error
        } catch {
            throw .io("cannot read the state store \(options.storePath): \(error)")
        }
        clock.lap("store_read")

        // 3. Inputs.
        var inputs: Inputs
        do {
            inputs = try InputLoader(directory: options.inputDirectory, strategy: strategy, asOf: asOf,
                                     workers: options.workers).load()
        } catch {
            switch error {
            case .missingFile(let d): throw .noInput("\(d.file): \(d.message)")
            case .unreadable(let ds): throw .data(ds)
            }
        }
        if !inputs.problems.isEmpty, !options.skipBadRows { throw .data(inputs.problems) }
        if !inputs.rosterProblems.isEmpty {
            let note = Diagnostic(file: options.inputDirectory, line: 1, column: 1,
                                  message: "agents.csv has \(inputs.rosterProblems.count) problem(s); --skip-bad-rows never skips roster rows (a skipped agent would lose its cases): fix them and re-run")
            throw .data(inputs.problems + [note])
        }
        var notes: [Diagnostic] = []
        if !inputs.unattributableRows.isEmpty {
            // Skipping a row whose case is unknown could make that case look paid and settle it.
            let rows = Set(inputs.unattributableRows.map(\.line)).count
            notes.append(Diagnostic(file: options.inputDirectory, line: 1, column: 1,
                                    message: "\(rows) bad ledger row(s) cannot be tied to a case, so --skip-bad-rows cannot skip them safely; fix them and re-run"))
        }
        if !inputs.unattributableEventRows.isEmpty {
            // Skipping an event whose customer is unknown could contact someone who asked to stop.
            let rows = Set(inputs.unattributableEventRows.map(\.line)).count
            notes.append(Diagnostic(file: options.inputDirectory, line: 1, column: 1,
                                    message: "\(rows) bad events.csv row(s) cannot be tied to a customer (one may be a stop request or a death), so --skip-bad-rows cannot skip them safely; fix them and re-run"))
        }
        if !notes.isEmpty { throw .data(inputs.problems + notes) }
        logger.info("inputs read", metadata: ["rows": "\(inputs.rowCounts.values.reduce(0, +))", "rejected": "\(inputs.problems.count)"])
        clock.lap("inputs")

        // 4. Decide.
        let decision = NightPlanner(strategy: strategy, asOf: asOf)
            .decide(loans: inputs.loansByCase, customers: inputs.customers, prior: prior, held: inputs.heldCases,
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
            contactPlan = try planContacts(strategy: strategy, asOf: asOf, previousRun: previousRun, store: store,
                                           inputs: inputs, decision: decision, prior: prior, events: events,
                                           allocation: allocation)
        } catch {
            throw .io("cannot read the contact history from the state store \(options.storePath): \(error)")
        }
        allocation?.countPlannedCalls(contactPlan.contacts)
        Memory.returnFreedPages()
        clock.lap("contacts")

        // 6. Write once: stage outputs and commit the store together, then publish the outputs.
        var summary = Summary.make(asOf: asOf, strategy: strategy, committed: !options.dryRun,
                                   missedNights: previousRun.map { max(0, asOf - $0 - 1) } ?? 0,
                                   inputs: inputs, decision: decision, plan: contactPlan, allocation: allocation)
        let outputDirectory = options.outputDirectory ?? (options.dryRun ? nil : RunOptions.defaultOutputDirectory(asOf: asOf, root: options.outputRoot))
        // Outputs are staged on a second thread while the store commits; the transaction waits
        // for them and rolls back if they fail, so a night is committed only with its outputs.
        var staging: OutputStaging?
        if let outputDirectory {
            do throws(StagedOutput.WriteError) {
                staging = OutputStaging(try StagedOutput(directory: outputDirectory, mode: mode_t(options.fileMode)))
            } catch {
                throw error.isDirectory ? .cannotCreate("cannot create the output directory: \(error)") : .io("cannot write outputs: \(error)")
            }
            let assignments = allocation?.outcome.assignments, loads = allocation?.outcome.loads ?? []
            let problems = inputs.problems
            staging!.start { (staged: inout StagedOutput) throws(StagedOutput.WriteError) in
                try staged.stage("actions.csv") { (f: inout FileWriter) throws(WriteError) in try OutputFiles.actions(decision.actions, runDate: asOf, to: &f) }
                try staged.stage("cases.csv") { (f: inout FileWriter) throws(WriteError) in
                    try OutputFiles.cases(decision.cases, assignments: assignments, runDate: asOf, to: &f)
                }
                try staged.stage("workload.csv") { (f: inout FileWriter) throws(WriteError) in try OutputFiles.workload(loads, runDate: asOf, to: &f) }
                try staged.stage("contacts.csv") { (f: inout FileWriter) throws(WriteError) in try OutputFiles.contacts(contactPlan.contacts, runDate: asOf, to: &f) }
                try staged.stage("deferred.csv") { (f: inout FileWriter) throws(WriteError) in try OutputFiles.deferred(contactPlan.deferrals, runDate: asOf, to: &f) }
                try staged.stage("rejects.csv") { (f: inout FileWriter) throws(WriteError) in try OutputFiles.rejects(problems, to: &f) }
            }
        }
        func outputsStaged() throws(RunError) {
            do { try staging?.wait() } catch {
                staging?.staged.discard()
                throw .io("cannot write outputs: \(error)")
            }
        }
        if let store, !options.dryRun {
            let record = RunRecord(runDate: asOf, strategyName: strategy.name, strategyHash: strategy.contentHash,
                                   engineVersion: Self.engineVersion, committedAt: ISO8601DateFormatter().string(from: Date()),
                                   openCases: decision.cases.count, actions: decision.actions.count,
                                   rejectedRows: inputs.rejectedRowCount, summaryJSON: String(decoding: summary.json(), as: UTF8.self))
            do {
                let held = Set(inputs.heldCases.compactMap { key in prior[key].map { key.caseID(episode: $0.episode) } })
                let audit = try self.audit(strategy: strategy, asOf: asOf, store: store, inputs: inputs, decision: decision)
                // Nothing after the audit reads the customers (a million of them take 150 MB).
                inputs.customers = [:]
                try store.commit(run: record, actions: decision.actions, cases: decision.cases, keepCases: held,
                                 events: inputs.events, plan: contactPlan, allocation: allocation?.record, audit: audit,
                                 keepSince: options.retainDays > 0 ? asOf - options.retainDays : nil,
                                 beforeCommit: { try outputsStaged() })
            } catch let failure as RunError {
                throw failure // the outputs failed (their files are removed): the transaction rolled back
            } catch {
                // The output thread is done before its files are removed.
                try? outputsStaged()
                staging?.staged.discard()
                throw .io("cannot commit to the state store \(options.storePath): \(error)")
            }
            logger.info("committed", metadata: ["actions": "\(decision.actions.count)", "open_cases": "\(decision.cases.count)"])
        } else {
            try outputsStaged()
        }
        clock.lap("commit")
        if let ms = staging?.milliseconds { clock.record("outputs", ms) }
        summary.timingsMs = clock.laps
        do {
            try staging?.staged.stage("summary.json", summary.json())
            try staging?.staged.publish()
        } catch {
            staging?.staged.discard()
            throw .io("cannot publish outputs: \(error)")
        }
        var detail: NightDetail?
        if options.collectDetail {
            detail = NightDetail(cases: decision.cases, assignments: allocation?.outcome.assignments,
                                 loads: allocation?.outcome.loads ?? [], actions: decision.actions,
                                 contacts: contactPlan.contacts, deferrals: contactPlan.deferrals)
        }
        return RunReport(summary: summary, outputDirectory: outputDirectory, rerun: lastRun == asOf,
                         skippedRows: inputs.problems, detail: detail)
    }
}

extension NightlyRun {
    /// Days of attempt events read back, and the most of earlier plans any strategy reads
    /// (`ContactPolicy.historyDays`): caps look 7 days back, a notice at most 30 days, a deferred
    /// step at most 14 days plus at most 31 missed nights of catch-up.
    static let contactLookbackDays = 46

    /// Every recorded event that matters tonight plus tonight's, per customer, without duplicates.
    func contactEvents(asOf: Day, store: StateStore?, inputs: Inputs) throws -> [String: [Event]] {
        let since = asOf - Self.contactLookbackDays
        var events: [String: [Event]] = [:]
        var seen: Set<String> = []
        let stored = try store?.events(before: asOf, attemptsSince: Int64(since.number) * 86_400) ?? []
        for e in stored + inputs.events where seen.insert("\(e.customerID)|\(e.at)|\(e.kind.rawValue)|\(e.value)").inserted {
            events[e.customerID, default: []].append(e)
        }
        return events
    }

    func planContacts(strategy: Strategy, asOf: Day, previousRun: Day?, store: StateStore?, inputs: Inputs,
                      decision: NightDecision, prior: [CaseKey: CaseHistory], events: [String: [Event]],
                      allocation: NightAllocation?) throws -> ContactPlan {
        let missed = previousRun.map { asOf - $0 - 1 } ?? 0
        let since = asOf - strategy.contact.historyDays(missedNights: missed)
        var priorContacts: [String: [PriorContact]] = [:]
        for c in try store?.priorContacts(since: since, before: asOf) ?? [] {
            priorContacts[c.customerID, default: []].append(c)
        }
        var zoneNames: Set<String> = [strategy.defaultCustomerTimeZone, strategy.businessTimeZone]
        for customer in inputs.customers.values {
            for zone in ContactPlanner.zones(of: customer, default: strategy.defaultCustomerTimeZone) { zoneNames.insert(zone) }
        }
        var planner = ContactPlanner(strategy: strategy, asOf: asOf, previousRun: previousRun,
                                     clock: FoundationZoneClock(names: zoneNames, around: asOf))
        planner.workers = options.workers
        var callsPerDay: [String: Int] = [:]
        for agent in inputs.agents { if let limit = agent.callsPerDay { callsPerDay[agent.id] = limit } }
        return planner.plan(.init(cases: decision.cases, actions: decision.actions, prior: prior,
                                  customers: inputs.customers, events: events, priorContacts: priorContacts,
                                  assignments: allocation?.outcome.assignments ?? [], agentCallsPerDay: callsPerDay,
                                  unreadEvents: inputs.customersWithUnreadEvents))
    }
}

/// Milliseconds per phase of a run.
struct PhaseClock {
    private var last = DispatchTime.now().uptimeNanoseconds
    private(set) var laps: [String: Int] = [:]

    mutating func lap(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        laps[name] = Int((now - last) / 1_000_000)
        last = now
    }

    /// A phase timed elsewhere (on another thread, overlapping the laps).
    mutating func record(_ name: String, _ milliseconds: Int) { laps[name] = milliseconds }
}

extension NightlyRun {
    /// Refuses an as-of date far from this machine's clock before anything is opened or locked.
    static func checkPlausible(_ asOf: Day, now: Date, zone: String) throws(RunError) {
        let today = BusinessCalendar.today(in: zone, now: now)
        let hint = "check --as-of (or DUNNING_AS_OF) and the machine's clock; for a simulation pass --allow-any-date"
        if asOf - today > RunOptions.maximumDaysAhead {
            throw .usage("as-of \(asOf) is \(asOf - today) days after today (\(today) in \(zone) by this machine's clock): a business date cannot be in the future; \(hint)")
        }
        if today - asOf > RunOptions.maximumDaysBehind {
            throw .usage("as-of \(asOf) is \(today - asOf) days before today (\(today) in \(zone) by this machine's clock), more than ten years; \(hint)")
        }
    }
}

/// "Today" in the lender's business calendar.
public enum BusinessCalendar {
    public static func today(in zone: String, now: Date = Date()) -> Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return Day(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}

extension Summary {
    static func make(asOf: Day, strategy: Strategy, committed: Bool, missedNights: Int, inputs: Inputs,
                     decision: NightDecision, plan: ContactPlan, allocation: NightAllocation?) -> Summary {
        var stages: [String: Int] = [:], buckets: [String: Int] = [:], segments: [String: Int] = [:], actions: [String: Int] = [:]
        var overdue: [String: Money] = [:], penalty: [String: Money] = [:]
        var variants: [String: [String: Int]] = [:]
        for c in decision.cases {
            if !c.variant.isEmpty { variants[c.segment, default: [:]][c.variant, default: 0] += 1 }
            stages[c.stage.rawValue, default: 0] += 1
            buckets[c.bucket, default: 0] += 1
            segments[c.segment, default: 0] += 1
            overdue[c.currency, default: .zero] += c.amountOverdue
            penalty[c.currency, default: .zero] += c.penaltyAccrued
        }
        for a in decision.actions { actions[a.kind.rawValue, default: 0] += 1 }
        return Summary(asOf: asOf.description, strategyName: strategy.name, strategyHash: strategy.contentHash,
                       committed: committed, missedNights: missedNights, inputRows: inputs.rowCounts,
                       rejectedRows: inputs.rejectedRowCount, heldCases: inputs.heldCases.count,
                       openCases: decision.cases.count, stages: stages, buckets: buckets, segments: segments,
                       variants: variants,
                       actions: actions, creditReportsAwaitingNotice: decision.reportsAwaitingNotice,
                       amountOverdue: overdue.mapValues(\.description), penaltyAccrued: penalty.mapValues(\.description),
                       timingsMs: [:], contacts: ContactFigures(plan: plan, businessZone: strategy.businessTimeZone, night: asOf),
                       allocation: allocation.map { AllocationSummary($0.outcome) })
    }
}
