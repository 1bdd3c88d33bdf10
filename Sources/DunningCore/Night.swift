/// The stage a case has reached, furthest first in importance.
public enum Stage: String, Sendable, CaseIterable {
    case preCollection = "pre_collection"
    case overdue
    case penalty
    case creditReporting = "credit_reporting"
    case litigation
}

/// One open case after tonight's decisions: a row of `cases.csv`.
public struct CaseState: Sendable, Equatable {
    public var key: CaseKey { didSet { caseID = key.caseID(episode: episode) } }
    public var episode: Int { didSet { caseID = key.caseID(episode: episode) } }
    /// `customer/product/episode`, built once: outputs, the store and the contact plan read it
    /// many times per case.
    public private(set) var caseID: String
    public var stage: Stage
    public var bucket: String
    public var dpd: Int
    public var amountOverdue: Money
    public var penaltyAccrued: Money
    public var segment: String
    public var currency: String
    /// The segment experiment's variant the customer is in; empty when the segment has none.
    public var variant: String

    public init(key: CaseKey, episode: Int, stage: Stage, bucket: String, dpd: Int, amountOverdue: Money,
                penaltyAccrued: Money, segment: String, currency: String, variant: String = "") {
        self.key = key
        self.episode = episode
        self.caseID = key.caseID(episode: episode)
        self.stage = stage
        self.bucket = bucket
        self.dpd = dpd
        self.amountOverdue = amountOverdue
        self.penaltyAccrued = penaltyAccrued
        self.segment = segment
        self.currency = currency
        self.variant = variant
    }

}

/// Everything one night decided, before anything is written.
public struct NightDecision: Sendable {
    public var cases: [CaseState] = []
    public var actions: [Action] = []
    /// Credit reports that fell due but wait for a notice issued too recently (or tonight).
    public var reportsAwaitingNotice = 0
    public init() {}
}

/// The pure nightly decision: ledger state and recorded history in, case states and milestones out.
public struct NightPlanner: Sendable {
    public let strategy: Strategy
    public let asOf: Day
    /// The adoption date of a store that took over a book from another system: milestones due
    /// before it are recorded as adopted (acted on by that system), whichever night they first
    /// appear on (a case missing from the go-live extract, a new episode of an old loan), and
    /// never acted on here. Nil for a new book.
    public let adoptBefore: Day?

    public init(strategy: Strategy, asOf: Day, adoptBefore: Day? = nil) {
        self.strategy = strategy
        self.asOf = asOf
        self.adoptBefore = adoptBefore
    }

    /// True for a milestone due on `day` that the previous system acted on.
    func isAdopted(due day: Day) -> Bool { adoptBefore.map { day < $0 } ?? false }

    /// Decides every case. `loans` holds tonight's loans per case; `prior` the latest recorded case
    /// per key; keys in `held` (rows rejected tonight) are left exactly as recorded.
    /// Cases are independent, so `workers` threads decide contiguous runs of them; the decision
    /// is the same for any number.
    public func decide(loans: [CaseKey: [Loan]], customers: [String: Customer],
                       prior: [CaseKey: CaseHistory], held: Set<CaseKey> = [], workers: Int = 1) -> NightDecision {
        var keys = Set(loans.keys)
        for (key, history) in prior where history.settledOn == nil { keys.insert(key) }
        let sorted = keys.filter { !held.contains($0) }.sorted()
        var parts = Parallel.map(count: sorted.count, workers: workers) { range in
            var part = NightDecision()
            part.cases.reserveCapacity(range.count)
            for key in sorted[range] {
                var outcome = decideCase(key: key, loans: loans[key] ?? [], customer: customers[key.customerID],
                                         prior: prior[key])
                if let state = outcome.state { part.cases.append(state) }
                // Actions sort by case first, and cases come in key order: sorting each case's
                // few actions (a stable sort, as one over the night would be) orders the night.
                if outcome.actions.count > 1 { outcome.actions.sort(by: Action.outputOrder) }
                part.actions += outcome.actions
                part.reportsAwaitingNotice += outcome.reportsAwaitingNotice
            }
            return part
        }
        if parts.count == 1 { return parts.removeLast() }
        var decision = NightDecision()
        decision.cases.reserveCapacity(parts.reduce(0) { $0 + $1.cases.count })
        decision.actions.reserveCapacity(parts.reduce(0) { $0 + $1.actions.count })
        // Each part is let go once copied: a million cases' actions take hundreds of megabytes.
        for k in parts.indices {
            decision.cases += parts[k].cases
            decision.actions += parts[k].actions
            decision.reportsAwaitingNotice += parts[k].reportsAwaitingNotice
            parts[k] = NightDecision()
        }
        return decision
    }

    /// The decision for one case.
    public struct CaseOutcome: Sendable {
        public var state: CaseState?
        public var actions: [Action] = []
        public var reportsAwaitingNotice = 0
    }

    public func decideCase(key: CaseKey, loans: [Loan], customer: Customer?, prior: CaseHistory?) -> CaseOutcome {
        let stages = strategy.stages
        var outcome = CaseOutcome()
        let caseDPD = loans.compactMap { $0.dpd(asOf: asOf) }.max()
        let active = caseDPD.map { $0 >= stages.preCollection } ?? false

        var history: CaseHistory
        if let open = prior, open.settledOn == nil {
            guard active else {
                outcome.actions.append(Action(caseKey: key, episode: open.episode, loanID: "", kind: .settled,
                                              dueOn: asOf, actedOn: asOf, amount: nil))
                return outcome
            }
            history = open
        } else {
            guard active, let caseDPD else { return outcome }
            let episode = (prior?.episode ?? 0) + 1
            var openDue = asOf - caseDPD + stages.preCollection
            if let settled = prior?.settledOn, openDue < settled { openDue = settled }
            let dueSoon = loans.reduce(Money.zero) { $0 + $1.amountDue(by: asOf - stages.preCollection) }
            let opening = Action(caseKey: key, episode: episode, loanID: "", kind: .caseOpened, dueOn: openDue,
                                 actedOn: asOf, amount: dueSoon, adopted: isAdopted(due: openDue))
            outcome.actions.append(opening)
            history = CaseHistory(episode: episode, openedOn: opening.effectiveOn)
        }
        let dpd = caseDPD!
        let episode = history.episode
        @discardableResult
        func emit(_ kind: MilestoneKind, loan: String = "", due: Day, amount: Money?, detail: String = "") -> Action {
            let action = Action(caseKey: key, episode: episode, loanID: loan, kind: kind, dueOn: due, actedOn: asOf,
                                amount: amount, detail: detail, adopted: isAdopted(due: due))
            outcome.actions.append(action)
            return action
        }

        // Per-loan milestones, each once per loan within the case.
        var amountOverdue = Money.zero, penaltyAccrued = Money.zero
        var reached = Set(history.loanMilestones.values.flatMap(\.keys))
        for loan in loans.sorted(by: { $0.id < $1.id }) {
            let overdue = loan.amountOverdue(asOf: asOf)
            let penalty = strategy.penalty.accrued(on: loan, asOf: asOf, penaltyDay: stages.penalty)
            amountOverdue = amountOverdue + overdue
            penaltyAccrued = penaltyAccrued + penalty
            var done = history.loanMilestones[loan.id] ?? [:]
            guard let due = loan.earliestUnpaidDue else { continue }
            let loanDPD = asOf - due
            func step(_ kind: MilestoneKind, at day: Day, amount: Money) {
                guard done[kind] == nil, asOf >= day else { return }
                done[kind] = emit(kind, loan: loan.id, due: day, amount: amount).effectiveOn
                reached.insert(kind)
            }
            step(.penaltyStarted, at: due + stages.penalty, amount: overdue)
            step(.creditNotice, at: due + stages.creditNotice, amount: overdue)
            if done[.creditReported] == nil, loanDPD >= stages.creditReport {
                // The borrower must have been told at least `creditNoticeLeadDays` before the report.
                if let told = done[.creditNotice], asOf - told >= stages.creditNoticeLeadDays {
                    step(.creditReported, at: due + stages.creditReport, amount: overdue + penalty)
                } else {
                    outcome.reportsAwaitingNotice += 1
                }
            }
            step(.litigationReferred, at: due.addingMonths(stages.litigationMonths), amount: overdue + penalty)
        }

        // Bucket changes: one per boundary crossed since the last recorded bucket.
        let scheme = strategy.buckets
        let nowIndex = scheme.index(forDPD: dpd)
        let bucket = scheme.name(atIndex: nowIndex)
        let caseDue = asOf - dpd
        if let before = scheme.index(ofName: history.bucket) {
            if nowIndex > before {
                for i in (before + 1)...nowIndex {
                    emit(.bucketChanged, due: caseDue + scheme.buckets[i].minDPD, amount: amountOverdue,
                         detail: "\(scheme.name(atIndex: i - 1))->\(scheme.name(atIndex: i))")
                }
            } else if nowIndex < before {
                emit(.bucketChanged, due: asOf, amount: amountOverdue, detail: "\(history.bucket)->\(bucket)")
            }
        } else if history.bucket != bucket {
            // The strategy renamed its buckets since the last night: one change to the new name.
            emit(.bucketChanged, due: asOf, amount: amountOverdue, detail: "\(history.bucket)->\(bucket)")
        }

        let stage: Stage
        if reached.contains(.litigationReferred) { stage = .litigation }
        else if reached.contains(.creditReported) { stage = .creditReporting }
        else if reached.contains(.penaltyStarted) { stage = .penalty }
        else if dpd >= 1 { stage = .overdue }
        else { stage = .preCollection }

        let rule = strategy.segmentRule(bucket: bucket, score: customer?.score, amountOverdue: amountOverdue,
                                        product: key.product)
        outcome.state = CaseState(key: key, episode: episode, stage: stage, bucket: bucket, dpd: dpd,
                                  amountOverdue: amountOverdue, penaltyAccrued: penaltyAccrued,
                                  segment: rule?.name ?? "unsegmented", currency: loans.first?.currency ?? strategy.currency,
                                  variant: rule?.variant(customerID: key.customerID)?.name ?? "")
        return outcome
    }
}
