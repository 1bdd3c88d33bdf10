/// One member's load tonight: a row of `workload.csv`. Robot groups have one row with an empty
/// member, the robot itself.
public struct MemberLoad: Sendable, Equatable {
    public var group: String
    public var kind: GroupKind
    public var agentID: String
    public var active: Bool
    /// The most open cases it may hold; nil for a robot.
    public var capacity: Int?
    public var weightMilli: Int
    /// Agencies: target share of the group's amount, in percent.
    public var sharePercent: Int?
    /// Whether the group balances case counts (its ideal count means something).
    public var balancesCount = true
    public var callsPerDay: Int?
    public var currency: String
    public var cases = 0
    public var amount = Money.zero
    public var new = 0, kept = 0, moved = 0, recycled = 0, stopped = 0
    /// The fair share of the group's assigned cases, in hundredths of a case, and of their amount.
    public var idealCasesHundredths: Int64 = 0
    public var idealAmount = Money.zero
    /// Agent calls planned for it tonight (filled in after the contact plan).
    public var plannedCalls = 0

    public init(group: String, kind: GroupKind, agentID: String, active: Bool, capacity: Int?, weightMilli: Int,
                callsPerDay: Int?, currency: String) {
        self.group = group
        self.kind = kind
        self.agentID = agentID
        self.active = active
        self.capacity = capacity
        self.weightMilli = weightMilli
        self.callsPerDay = callsPerDay
        self.currency = currency
    }

    mutating func count(_ kind: AssignmentKind, reason: AssignmentReason, amount: Money) {
        cases += 1
        self.amount += amount
        switch kind {
        case .new: new += 1
        case .kept: kept += 1
        case .moved: moved += 1
        case .recycled: recycled += 1
        case .unassigned: break
        }
        if reason == .stopCollection { stopped += 1 }
    }
}

/// How one group's cases were split tonight: the balance figures of the summary.
public struct GroupFigures: Sendable, Equatable {
    public var name: String
    public var kind: GroupKind
    public var balance: BalanceRule
    public var currency: String
    public var cases = 0
    public var amount = Money.zero
    /// Active members tonight.
    public var members = 0
    public var counts: [AssignmentKind: Int] = [:]
    public var stopped = 0
    /// Kept cases the group could move tonight to even out loads, and how many it moved.
    public var rebalanceLimit = 0
    public var rebalanced = 0
    /// The worst member against its fair share: cases in hundredths of a case, amount in
    /// hundredths of a percent of its ideal amount. Below is <= 0, above >= 0.
    public var casesBelowIdeal: Int64 = 0
    public var casesAboveIdeal: Int64 = 0
    public var amountBelowIdeal: Int64 = 0
    public var amountAboveIdeal: Int64 = 0

    public init(name: String, kind: GroupKind, balance: BalanceRule, currency: String) {
        self.name = name
        self.kind = kind
        self.balance = balance
        self.currency = currency
    }

    /// Fair shares of the assigned cases among the active members, and each member's worst gap.
    mutating func measure(_ loads: inout [MemberLoad], shares: [Int64]) {
        let active = loads.indices.filter { loads[$0].active && loads[$0].capacity != nil }
        guard !active.isEmpty else { return }
        let assigned = active.reduce(0) { $0 + loads[$1].cases }
        let amount = active.reduce(Int128(0)) { $0 + Int128(loads[$1].amount.minorUnits) }
        let fair = Apportionment.fairShares(total: assigned, shares: active.map { shares[$0] },
                                            floors: active.map { _ in 0 }, caps: active.map { loads[$0].capacity ?? 0 })
        let totalShare = active.reduce(Int128(0)) { $0 + Int128(shares[$1]) }
        for (k, i) in active.enumerated() {
            loads[i].idealCasesHundredths = fair[k].hundredths
            let ideal: Int128
            if balance == .amount {
                ideal = amount * Int128(shares[i]) / max(1, totalShare)
            } else {
                ideal = assigned == 0 ? 0 : amount * fair[k].numerator / (fair[k].denominator * Int128(assigned))
            }
            loads[i].idealAmount = Money(minorUnits: Int64(ideal))
            let caseGap = Int64(loads[i].cases) * 100 - fair[k].hundredths
            casesBelowIdeal = min(casesBelowIdeal, caseGap)
            casesAboveIdeal = max(casesAboveIdeal, caseGap)
            if ideal > 0 {
                let gap = Int64((Int128(loads[i].amount.minorUnits) - ideal) * 10_000 / ideal)
                amountBelowIdeal = min(amountBelowIdeal, gap)
                amountAboveIdeal = max(amountAboveIdeal, gap)
            }
        }
    }
}

/// Hundredths as decimal text: `0.83`, `12.00`.
public func hundredths(_ value: Int64) -> String {
    (value < 0 ? "-" : "") + String(value.magnitude / 100) + "." + pad(Int(value.magnitude % 100), 2)
}

/// Hundredths as signed decimal text: `-0.83`, `+1.20`, `0.00`.
public func signedHundredths(_ value: Int64) -> String {
    (value > 0 ? "+" : "") + hundredths(value)
}
