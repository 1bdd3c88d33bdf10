import DunningCore
import DunningIO
import DunningStore

extension NightlyRun {
    /// Reads tonight's files, then refuses them when the manifest's row counts differ, when they
    /// leave out too much of the open book, or when they have bad rows the run may not skip.
    func loadInputs(_ loader: InputLoader, manifest: ExtractManifest?, strategy: Strategy,
                    state: StoreState) throws(RunError) -> (Inputs, ExtractCompleteness) {
        let inputs: Inputs
        do { inputs = try loader.load() } catch {
            switch error {
            case .missingFile(let d): throw .noInput("\(d.file): \(d.message)")
            case .unreadable(let ds): throw .data(ds)
            }
        }
        if let manifest {
            let problems = manifest.rowProblems(inputs.rowCounts)
            if !problems.isEmpty { throw .data(problems) }
        }
        if !inputs.problems.isEmpty, !options.skipBadRows { throw .data(inputs.problems) }
        var notes: [Diagnostic] = []
        if !inputs.rosterProblems.isEmpty {
            notes.append(Diagnostic(file: options.inputDirectory, line: 1, column: 1,
                                    message: "agents.csv has \(inputs.rosterProblems.count) problem(s); --skip-bad-rows never skips roster rows (a skipped agent would lose its cases): fix them and re-run"))
        }
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
        // The last gate before deciding, once nothing else stops the night: measured against the
        // cases open after the last night, since a case absent from the ledger would be settled.
        let open = state.prior.lazy.filter { $0.value.settledOn == nil }.map(\.key)
        let extract = ExtractCompleteness.measure(
            openCases: open, inLedger: { inputs.loansByCase[$0] != nil || inputs.heldCases.contains($0) },
            customerListed: { inputs.customers[$0] != nil || inputs.rejectedCustomerIDs.contains($0) })
        let refusal = Self.checkExtract(extract, lastNight: state.previousRun, policy: strategy.safety,
                                        accepted: options.acceptMissing, directory: options.inputDirectory)
        // The findings first (they are the cause; a partial customers.csv also makes thousands of
        // ledger rows bad), the way to proceed last.
        if !refusal.isEmpty { throw .data(refusal.dropLast() + inputs.problems + refusal.suffix(1)) }
        logger.info("inputs read", metadata: ["rows": "\(inputs.rowCounts.values.reduce(0, +))", "rejected": "\(inputs.problems.count)"])
        return (inputs, extract)
    }
}
