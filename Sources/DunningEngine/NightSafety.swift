import DunningCore
import DunningIO
import DunningStore
import Foundation

/// The safety rails of a night: the checks that stop one operator slip or one failed extract from
/// acting on the whole book. Each refuses before anything is decided or committed, says what it
/// found, and names the explicit yes that lets a deliberate exception through for one night.
extension NightlyRun {
    /// Refuses a night outside the strategy's holiday calendar (exit 78), or, when the strategy
    /// makes holidays optional, returns the warning to print and record.
    static func checkCalendar(_ strategy: Strategy, night: Day) throws(RunError) -> Diagnostic? {
        guard let calendar = strategy.contact.calendar,
              let problem = calendar.problem(night: night, optional: strategy.contact.holidaysOptional) else { return nil }
        if problem.severity == .error { throw .config([problem]) }
        return problem
    }

    /// Refuses a retention shorter than the strategy's longest `every` (exit 64): such a step
    /// finds its last contact in the store to keep its spacing, and pruning it would let the
    /// step fire again early after a DPD jump.
    static func checkRetention(_ strategy: Strategy, retainDays: Int) throws(RunError) {
        let steps = strategy.contact.treatments.values.flatMap(\.steps)
        guard retainDays > 0, let widest = steps.max(by: { ($0.days.spacing, $1.id) < ($1.days.spacing, $0.id) }),
              widest.days.spacing > retainDays else { return }
        throw .usage("--retain-days \(retainDays) is shorter than step \(widest.id)'s every: \(widest.days.spacing): the step reads its last contact back that far to keep its spacing; use --retain-days \(widest.days.spacing) or more (0 keeps everything)")
    }

    /// Opens the store: read-only for a dry run, locked and migrated for a committing run. Never
    /// creates one (`dunning init` does), so a mistyped path is refused, not started afresh.
    func openStore() throws(RunError) -> (store: StateStore, lock: RunLock?) {
        let path = options.storePath
        if let problem = StorePath.problem(path) { throw .usage(problem) }
        guard FileManager.default.fileExists(atPath: path) else { throw .noInput(StateStore.StoreError.missing(path).description) }
        do {
            if options.dryRun {
                guard let store = try StateStore.openReadOnly(path: path) else { throw StateStore.StoreError.missing(path) }
                return (store, nil)
            }
            // A store that cannot be written is found now, not after the whole night is decided.
            let real = StorePath.resolved(path), directory = PathText.directory(of: real)
            if access(real, W_OK) != 0 || access(directory.isEmpty ? "." : directory, W_OK) != 0 {
                throw RunError.cannotCreate("cannot write the state store \(path) (or its directory, where SQLite writes its journal): \(String(cString: strerror(errno))); check the permissions, and that the disk is not mounted read-only")
            }
            let lock = try RunLock.acquire(storePath: path, retry: "try again when it has finished")
            return (try StateStore.openForWriting(path: path), lock)
        } catch let error as RunError {
            throw error
        } catch let error as StateStore.StoreError {
            if case .missing = error { throw .noInput(error.description) }
            throw .cannotCreate(error.description)
        } catch {
            throw .cannotCreate("cannot open the state store \(path): \(error)")
        }
    }

    /// Refuses a store's first night before its adoption date: the days before it belong to the
    /// previous system, which has not handed over yet.
    static func checkAdoption(_ info: StoreInfo, night: Day, previousRun: Day?) throws(RunError) {
        guard let adoptBefore = info.adoptBefore, previousRun == nil, night < adoptBefore else { return }
        throw .usage("this store takes over the book on \(adoptBefore) (dunning init --adopt-before): its first night cannot be \(night), earlier than that; run \(adoptBefore) or later")
    }

    /// Refuses a night too far after the last one run (exit 64), unless the operator accepts
    /// exactly that many missed nights. `gap`: the nights nobody ran, and since when. Returns
    /// the number accepted, if any.
    static func checkMissedNights(_ gap: (nights: Int, since: Day, what: String)?, night: Day, policy: SafetyPolicy,
                                  accepted: Int?) throws(RunError) -> Int? {
        let missed = gap?.nights ?? 0
        if let accepted, accepted != missed {
            throw .usage("--accept-missed-nights \(accepted) was given, but \(missed) night(s) were missed\(gap.map { " since \($0.what) \($0.since)" } ?? ""); it accepts exactly the gap it names: remove it, or give --accept-missed-nights \(missed)")
        }
        guard let gap, missed > policy.maxMissedNights else { return accepted }
        guard accepted == missed else {
            throw .usage("""
                \(night) is \(missed) nights after \(gap.what) \(gap.since), more than the \(policy.maxMissedNights) \
                missed nights the strategy accepts (safety.max_missed_nights): the extract may be stale, the date or the clock \
                wrong, or --db may name an old store. A catch-up acts at once on everything that fell due in the gap. Check \
                --as-of (DUNNING_AS_OF) and the extract; if the gap is real, run again with --accept-missed-nights \(missed)
                """)
        }
        return accepted
    }

    /// Reads the extract's manifest, if there is one (or refuses when the strategy requires one),
    /// and checks its date and every file's SHA-256 before the files are parsed.
    func checkManifest(strategy: Strategy, asOf: Day, reads: [String]) throws(RunError) -> ExtractManifest? {
        let manifest: ExtractManifest?
        do { manifest = try ExtractManifest.load(directory: options.inputDirectory) } catch { throw .data(error.diagnostics) }
        guard let manifest else {
            if strategy.safety.requireManifest {
                let path = (options.inputDirectory as NSString).appendingPathComponent(ExtractManifest.fileName)
                throw .noInput("\(path): required by the strategy (safety.require_manifest) but not found: the extract job writes it last, after every file; wait for it, or check --input (docs/file-formats.md#manifestjson)")
            }
            return nil
        }
        var problems: [Diagnostic] = []
        if let problem = manifest.problem(asOf: asOf) { problems.append(problem) }
        problems += manifest.fileProblems(directory: options.inputDirectory, reads: reads)
        if !problems.isEmpty { throw .data(problems) }
        return manifest
    }

    /// Refuses tonight's extract when it leaves out more of the open book than the strategy allows
    /// (exit 65), unless the operator accepts exactly the number of cases missing.
    static func checkExtract(_ found: ExtractCompleteness, lastNight: Day?, policy: SafetyPolicy, accepted: Int?,
                             directory: String) -> [Diagnostic] {
        let at = { (name: String) in (directory as NSString).appendingPathComponent(name) }
        if let accepted {
            guard accepted == found.missing else {
                return [Diagnostic(file: directory, line: 1, column: 1, message: "--accept-missing \(accepted) was given, but \(found.missing) of the open cases are missing from tonight's extract; it accepts exactly the drop it names: remove it, or give --accept-missing \(found.missing)")]
            }
            return []
        }
        guard found.exceeds(basisPoints: policy.maxMissingBasisPoints) else { return [] }
        // (Placed before the night's bad-row problems by the caller: it is the cause.)
        let limit = SafetyPolicy.percentText(basisPoints: policy.maxMissingBasisPoints)
        let after = lastNight.map { "after \($0)" } ?? "so far"
        var problems: [Diagnostic] = []
        if found.ledgerExceeds(basisPoints: policy.maxMissingBasisPoints) {
            problems.append(Diagnostic(file: at("ledger.csv"), line: 1, column: 1, message: """
                \(found.missingFromLedger) of the \(found.openCases) cases open \(after) \
                (\(ExtractCompleteness.share(found.missingFromLedger, of: found.openCases))) have no row in tonight's ledger.csv, \
                more than the \(limit) the strategy allows (safety.max_missing_share): this looks like a failed or partial \
                extract, and running would settle every one of them. A paid loan stays in the extract; a case leaves it only \
                when it leaves the book
                """))
        }
        if found.customersExceed(basisPoints: policy.maxMissingBasisPoints) {
            problems.append(Diagnostic(file: at("customers.csv"), line: 1, column: 1, message: """
                \(found.missingCustomers) of the \(found.openCases) cases open \(after) \
                (\(ExtractCompleteness.share(found.missingCustomers, of: found.openCases))) belong to customers with no row in \
                tonight's customers.csv, more than the \(limit) the strategy allows (safety.max_missing_share): this looks like \
                a failed or partial extract
                """))
        }
        problems.append(Diagnostic(file: directory, line: 1, column: 1, message: """
            nothing was committed. Get the extract checked and re-run; if it is complete and these cases really left the book \
            (a portfolio sale, a write-off), run again with --accept-missing \(found.missing) (it accepts exactly that many, \
            tonight only)
            """))
        return problems
    }
}
