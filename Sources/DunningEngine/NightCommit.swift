import DunningCore
import DunningIO
import DunningStore
import Foundation

/// Everything the night decided, ready to be written.
struct Night {
    var asOf: Day
    var strategy: Strategy
    var state: NightlyRun.StoreState
    var decision: NightDecision
    var plan: ContactPlan
    var allocation: NightAllocation?
    /// The copy of the store from before tonight, under way; nil for a dry run or without backups.
    var backup: BackupTask?
}

extension NightlyRun {
    /// Writes the night once: the outputs are staged on a second thread while the store is
    /// backed up and committed (the transaction waits for them and rolls back if they fail, so a
    /// night is committed only with its outputs), then published. Returns the output directory.
    /// `warnings` (recorded in `summary.json` too) gains what the commit finds worth saying.
    func write(_ night: Night, inputs: inout Inputs, summary: inout Summary, warnings: inout [Diagnostic], store: StateStore,
               clock: inout PhaseClock) throws(RunError) -> String? {
        summary.warnings = warnings.isEmpty ? nil : warnings.map(\.message)
        let outputDirectory = options.outputDirectory
            ?? (options.dryRun ? nil : RunOptions.defaultOutputDirectory(asOf: night.asOf, root: options.outputRoot))
        let staging = try stageOutputs(night, problems: inputs.problems, to: outputDirectory)
        func outputsStaged() throws(RunError) {
            do { try staging?.wait() } catch {
                staging?.staged.discard()
                throw .io("cannot write outputs: \(error)")
            }
        }
        if options.dryRun {
            try outputsStaged()
        } else {
            do throws(RunError) {
                if try backedUp(night) == .impossible {
                    warnings.append(Diagnostic(file: options.storePath, line: 1, column: 1, severity: .warning,
                                               message: Self.noBackupWarning(night.asOf)))
                    summary.warnings = warnings.map(\.message)
                }
                try commit(night, inputs: &inputs, summary: summary, store: store, beforeCommit: { () throws(RunError) in try outputsStaged() })
                night.backup?.committed = true
            } catch {
                // The output thread is done before its files are removed.
                try? outputsStaged()
                staging?.staged.discard()
                throw error
            }
            if options.keepBackups > 0 { StoreBackups(storePath: options.storePath).prune(keeping: options.keepBackups) }
        }
        clock.lap("commit")
        if let ms = staging?.milliseconds { clock.record("outputs", ms) }
        if let ms = night.backup?.milliseconds { clock.record("backup", ms) }
        summary.timingsMs = clock.laps
        do {
            try staging?.staged.stage("summary.json", summary.json())
            try staging?.staged.publish()
        } catch {
            staging?.staged.discard()
            throw .io("cannot publish outputs: \(error)")
        }
        return outputDirectory
    }

    /// Starts staging the output files (all but summary.json) on their own thread.
    private func stageOutputs(_ night: Night, problems: [Diagnostic], to directory: String?) throws(RunError) -> OutputStaging? {
        guard let directory else { return nil }
        let staging: OutputStaging
        do throws(StagedOutput.WriteError) {
            staging = OutputStaging(try StagedOutput(directory: directory, mode: mode_t(options.fileMode)))
        } catch {
            throw error.isDirectory ? .cannotCreate("cannot create the output directory: \(error)") : .io("cannot write outputs: \(error)")
        }
        let asOf = night.asOf, decision = night.decision, plan = night.plan
        let assignments = night.allocation?.outcome.assignments, loads = night.allocation?.outcome.loads ?? []
        staging.start { (staged: inout StagedOutput) throws(StagedOutput.WriteError) in
            try staged.stage("actions.csv") { (f: inout FileWriter) throws(WriteError) in try OutputFiles.actions(decision.actions, runDate: asOf, to: &f) }
            try staged.stage("cases.csv") { (f: inout FileWriter) throws(WriteError) in
                try OutputFiles.cases(decision.cases, assignments: assignments, runDate: asOf, to: &f)
            }
            try staged.stage("workload.csv") { (f: inout FileWriter) throws(WriteError) in try OutputFiles.workload(loads, runDate: asOf, to: &f) }
            try staged.stage("contacts.csv") { (f: inout FileWriter) throws(WriteError) in try OutputFiles.contacts(plan.contacts, runDate: asOf, to: &f) }
            try staged.stage("deferred.csv") { (f: inout FileWriter) throws(WriteError) in try OutputFiles.deferred(plan.deferrals, runDate: asOf, to: &f) }
            try staged.stage("rejects.csv") { (f: inout FileWriter) throws(WriteError) in try OutputFiles.rejects(problems, to: &f) }
        }
        return staging
    }

    /// The copy of the store from before tonight (taken while the night was decided), so that
    /// tonight can be undone; nil without backups. A failed copy stops the commit.
    private func backedUp(_ night: Night) throws(RunError) -> StoreBackups.Kept? {
        guard let task = night.backup else { return nil }
        do { return try task.wait() } catch {
            throw .io("\(error); nothing was committed. The copy lets `dunning rollback` undo the night: check the free space and the permissions of \(StoreBackups(storePath: options.storePath).directory), or run with --keep-backups 0 to go without")
        }
    }

    static func noBackupWarning(_ night: Day) -> String {
        "no backup of the store from before \(night) exists (its first run kept none, --keep-backups 0), and the store now holds that night, so no copy can stand for the state before it: this night cannot be rolled back"
    }

    private func commit(_ night: Night, inputs: inout Inputs, summary: Summary, store: StateStore,
                        beforeCommit: () throws(RunError) -> Void) throws(RunError) {
        let asOf = night.asOf, decision = night.decision
        var record = RunRecord(runDate: asOf, strategyName: night.strategy.name, strategyHash: night.strategy.contentHash,
                               engineVersion: Self.engineVersion, committedAt: ISO8601DateFormatter().string(from: Date()),
                               openCases: decision.cases.count, actions: decision.actions.count,
                               rejectedRows: inputs.rejectedRowCount, summaryJSON: String(decoding: summary.json(), as: UTF8.self))
        record.acceptedMissing = options.acceptMissing
        record.acceptedMissedNights = summary.acceptedMissedNights
        record.manifestSHA256 = summary.extract?.manifestSHA256
        do {
            let prior = night.state.prior
            let held = Set(inputs.heldCases.compactMap { key in prior[key].map { key.caseID(episode: $0.episode) } })
            let audit = try self.audit(strategy: night.strategy, asOf: asOf, store: store, inputs: inputs, decision: decision)
            // Nothing after the audit reads the customers (a million of them take 150 MB).
            inputs.customers = [:]
            try store.commit(run: record, actions: decision.actions, cases: decision.cases, keepCases: held,
                             events: inputs.events, plan: night.plan, allocation: night.allocation?.record, audit: audit,
                             keepSince: options.retainDays > 0 ? asOf - options.retainDays : nil,
                             beforeCommit: { try beforeCommit() })
        } catch let failure as RunError {
            throw failure // the outputs failed (their files are removed): the transaction rolled back
        } catch {
            throw .io("cannot commit to the state store \(options.storePath): \(error)")
        }
        logger.info("committed", metadata: ["actions": "\(decision.actions.count)", "open_cases": "\(decision.cases.count)"])
    }
}
