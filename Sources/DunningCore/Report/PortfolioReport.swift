/// A member's load on one night (from the store's `workloads` table).
public struct WorkloadPoint: Sendable, Equatable {
    public var night: Day
    public var group: String
    public var agentID: String
    /// `agents`, `agency` or `robot`.
    public var kind: String
    public var cases: Int
    public var plannedCalls: Int

    public init(night: Day, group: String, agentID: String, kind: String, cases: Int, plannedCalls: Int) {
        self.night = night
        self.group = group
        self.agentID = agentID
        self.kind = kind
        self.cases = cases
        self.plannedCalls = plannedCalls
    }
}

/// What `dunning report` computes for a window of nights `[from, to]`, from the store's history.
///
/// The cohort is every case open on the first night. Its state on the last night is its bucket
/// then, or `settled` if it was settled in the window; a case is **cured** when it was settled or
/// is back in `current`. **Recovered** is the drop of its overdue amount (all of it when settled).
/// Rates come with 95% Wilson intervals; variants of an experiment are compared with the variant
/// holding the most customers of the segment (normally the champion).
public struct PortfolioReport: Sendable, Equatable, Codable {
    public struct Transition: Sendable, Equatable, Codable {
        public var from: String
        public var to: String
        public var cases: Int
        /// Share of the `from` bucket's cohort, in percent with two decimals.
        public var percent: String
    }

    public struct Outcome: Sendable, Equatable, Codable {
        public var segment: String
        public var variant: String
        public var cases: Int
        public var cured: Int
        public var cureRatePercent: String
        /// 95% Wilson interval of the cure rate, in percent.
        public var cureRateLowPercent: String
        public var cureRateHighPercent: String
        /// Amounts in the currency's units, two decimals.
        public var overdueAtStart: String
        public var recovered: String

        enum CodingKeys: String, CodingKey {
            case segment, variant, cases, cured, cureRatePercent = "cure_rate_pct", cureRateLowPercent = "cure_rate_low_pct"
            case cureRateHighPercent = "cure_rate_high_pct", overdueAtStart = "overdue_at_start", recovered
        }
    }

    /// A variant's cure rate against the segment's reference variant.
    public struct Comparison: Sendable, Equatable, Codable {
        public var segment: String
        public var variant: String
        public var reference: String
        /// Difference of cure rates in percentage points, with its 95% interval.
        public var differencePoints: String
        public var lowPoints: String
        public var highPoints: String
        /// Whether the interval excludes 0.
        public var significant: Bool

        enum CodingKeys: String, CodingKey {
            case segment, variant, reference, differencePoints = "difference_pts", lowPoints = "low_pts", highPoints = "high_pts", significant
        }
    }

    public struct NightCount: Sendable, Equatable, Codable {
        public var night: String
        public var key: String
        public var count: Int
    }

    public struct GroupLoad: Sendable, Equatable, Codable {
        public var night: String
        public var group: String
        public var members: Int
        public var cases: Int
        public var minCases: Int
        public var maxCases: Int
        /// Average cases per member, two decimals.
        public var averageCases: String
        public var plannedCalls: Int

        enum CodingKeys: String, CodingKey {
            case night, group, members, cases, minCases = "min_cases", maxCases = "max_cases", averageCases = "average_cases"
            case plannedCalls = "planned_calls"
        }
    }

    public var from: String
    public var to: String
    public var nights: [String]
    public var states: [String]
    public var cohort: Int
    public var rollRates: [Transition]
    public var outcomes: [Outcome]
    public var comparisons: [Comparison]
    public var contacts: [NightCount]
    public var held: [NightCount]
    public var workload: [GroupLoad]

    enum CodingKeys: String, CodingKey {
        case from, to, nights, states, cohort, rollRates = "roll_rates", outcomes, comparisons, contacts, held, workload
    }

    public struct Input: Sendable {
        public var nights: [Day]
        /// `current` and the strategy's buckets, in order.
        public var buckets: [String]
        /// Decision records as the first and the last night left them.
        public var start: [String: DecisionRecord]
        public var end: [String: DecisionRecord]
        /// Settlement night per case (up to the last night).
        public var settled: [String: Day]
        public var planned: [(Day, String, Int)]
        public var held: [(Day, String, Int)]
        public var workloads: [WorkloadPoint]

        public init(nights: [Day], buckets: [String], start: [String: DecisionRecord], end: [String: DecisionRecord],
                    settled: [String: Day], planned: [(Day, String, Int)], held: [(Day, String, Int)], workloads: [WorkloadPoint]) {
            self.nights = nights
            self.buckets = buckets
            self.start = start
            self.end = end
            self.settled = settled
            self.planned = planned
            self.held = held
            self.workloads = workloads
        }
    }

    public static func make(_ input: Input) -> PortfolioReport {
        let first = input.nights.first ?? Day(number: 0), last = input.nights.last ?? first
        let states = input.buckets + ["settled"]
        var transitions: [String: [String: Int]] = [:]
        struct Key: Hashable { var segment: String; var variant: String }
        var outcomes: [Key: (cases: Int, cured: Int, overdue: Money, recovered: Money)] = [:]
        var cohort = 0
        for (caseID, start) in input.start.sorted(by: { $0.key < $1.key }) {
            if let s = input.settled[caseID], s <= first { continue }   // closed before the window
            cohort += 1
            let settled = input.settled[caseID].map { $0 > first && $0 <= last } ?? false
            let end = input.end[caseID]
            let state = settled ? "settled" : (end?.bucket ?? start.bucket)
            transitions[start.bucket, default: [:]][state, default: 0] += 1
            let cured = settled || (state == BucketScheme.current && start.bucket != BucketScheme.current)
            let remaining = settled ? Money.zero : (end?.amountOverdue ?? start.amountOverdue)
            let drop = start.amountOverdue > remaining ? start.amountOverdue - remaining : .zero
            var o = outcomes[Key(segment: start.segment, variant: start.variant)] ?? (0, 0, .zero, .zero)
            o.cases += 1
            if cured { o.cured += 1 }
            o.overdue += start.amountOverdue
            o.recovered += drop
            outcomes[Key(segment: start.segment, variant: start.variant)] = o
        }
        var rolls: [Transition] = []
        for from in states where transitions[from] != nil {
            let row = transitions[from] ?? [:]
            let total = row.values.reduce(0, +)
            for to in states where row[to] != nil {
                rolls.append(Transition(from: from, to: to, cases: row[to]!, percent: percent(row[to]!, of: total)))
            }
        }
        let outcomeRows = outcomes.keys.sorted { ($0.segment, $0.variant) < ($1.segment, $1.variant) }.map { k -> Outcome in
            let o = outcomes[k]!
            let (lo, hi) = wilson(o.cured, o.cases)
            return Outcome(segment: k.segment, variant: k.variant, cases: o.cases, cured: o.cured,
                           cureRatePercent: percent(o.cured, of: o.cases), cureRateLowPercent: decimal(lo * 100),
                           cureRateHighPercent: decimal(hi * 100), overdueAtStart: o.overdue.description,
                           recovered: o.recovered.description)
        }
        var comparisons: [Comparison] = []
        for segment in Set(outcomeRows.filter { !$0.variant.isEmpty }.map(\.segment)).sorted() {
            let arms = outcomeRows.filter { $0.segment == segment && !$0.variant.isEmpty }
            guard arms.count > 1, let reference = arms.max(by: { ($0.cases, $1.variant) < ($1.cases, $0.variant) }) else { continue }
            for arm in arms where arm.variant != reference.variant {
                let p = Double(arm.cured) / Double(arm.cases), r = Double(reference.cured) / Double(reference.cases)
                let se = (p * (1 - p) / Double(arm.cases) + r * (1 - r) / Double(reference.cases)).squareRoot()
                let d = p - r
                comparisons.append(Comparison(segment: segment, variant: arm.variant, reference: reference.variant,
                                              differencePoints: decimal(d * 100), lowPoints: decimal((d - 1.96 * se) * 100),
                                              highPoints: decimal((d + 1.96 * se) * 100), significant: se > 0 && abs(d) > 1.96 * se))
            }
        }
        var loads: [String: [WorkloadPoint]] = [:]
        for w in input.workloads where w.kind != "robot" { loads["\(w.night)|\(w.group)", default: []].append(w) }
        let workload = loads.keys.sorted().map { key -> GroupLoad in
            let rows = loads[key]!
            let cases = rows.map(\.cases)
            let total = cases.reduce(0, +)
            return GroupLoad(night: rows[0].night.description, group: rows[0].group, members: rows.count, cases: total,
                             minCases: cases.min() ?? 0, maxCases: cases.max() ?? 0,
                             averageCases: decimal(Double(total) / Double(max(1, rows.count))),
                             plannedCalls: rows.reduce(0) { $0 + $1.plannedCalls })
        }
        return PortfolioReport(
            from: first.description, to: last.description, nights: input.nights.map(\.description), states: states,
            cohort: cohort, rollRates: rolls, outcomes: outcomeRows, comparisons: comparisons,
            contacts: input.planned.map { NightCount(night: $0.0.description, key: $0.1, count: $0.2) },
            held: input.held.map { NightCount(night: $0.0.description, key: $0.1, count: $0.2) }, workload: workload)
    }

    /// The channels with planned contacts, in channel order.
    public var channels: [String] {
        func rank(_ key: String) -> Int { Channel(rawValue: key).flatMap { Channel.allCases.firstIndex(of: $0) } ?? Channel.allCases.count }
        return Array(Set(contacts.map(\.key))).sorted { (rank($0), $0) < (rank($1), $1) }
    }

    /// Held-back occurrences over the window per rule, by rule name.
    public var heldTotals: [(rule: String, count: Int)] {
        var totals: [String: Int] = [:]
        for h in held { totals[h.key, default: 0] += h.count }
        return totals.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The 95% Wilson score interval of `k` successes in `n` trials.
    public static func wilson(_ k: Int, _ n: Int) -> (Double, Double) {
        guard n > 0 else { return (0, 0) }
        let z = 1.96, p = Double(k) / Double(n), nn = Double(n)
        let centre = (p + z * z / (2 * nn)) / (1 + z * z / nn)
        let half = z * (p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot() / (1 + z * z / nn)
        return (max(0, centre - half), min(1, centre + half))
    }

    static func percent(_ k: Int, of n: Int) -> String {
        n == 0 ? "0.00" : decimal(Double(k) * 100 / Double(n))
    }

    /// Two decimals, rounded half away from zero, `-0.00` written `0.00`.
    static func decimal(_ x: Double) -> String {
        let hundredths = (x * 100).rounded(.toNearestOrAwayFromZero)
        let value = Int64(hundredths)
        if value == 0 { return "0.00" }
        return (value < 0 ? "-" : "") + String(value.magnitude / 100) + "." + pad(Int(value.magnitude % 100), 2)
    }
}
