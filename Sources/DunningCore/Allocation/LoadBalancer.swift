/// A member of a group while its cases are split: what it holds so far and what it may take.
public struct BalanceMember: Sendable, Equatable {
    /// The most cases it may hold in all.
    public var capacity: Int
    /// Its weight (agents, in thousandths) or its share of the amount (agencies, in percent); > 0.
    public var share: Int64
    /// Cases and overdue amount (minor units) it holds: kept ones first, then what it is given.
    public var count: Int
    public var amount: Int64
    /// Skill numbers it has (the group's skill names, numbered).
    public var skills: Set<Int32>

    public init(capacity: Int, share: Int64, count: Int = 0, amount: Int64 = 0, skills: Set<Int32> = []) {
        self.capacity = capacity
        self.share = share
        self.count = count
        self.amount = amount
        self.skills = skills
    }
}

/// A case to be given to a member tonight.
public struct FreeCase: Sendable, Equatable {
    /// Overdue amount in minor units.
    public var amount: Int64
    /// A stable hash of the case: breaks ties between equal amounts without depending on order.
    public var tiebreak: UInt64
    /// The skill the case needs, or -1.
    public var skill: Int32

    public init(amount: Int64, tiebreak: UInt64, skill: Int32 = -1) {
        self.amount = amount
        self.tiebreak = tiebreak
        self.skill = skill
    }
}

/// Splits a group's free cases between its members, on top of what they already hold.
///
/// `count_and_amount` (docs/allocation.md): first the number of cases each member takes is fixed
/// by exact water-filling on their weights, floors (kept cases) and capacities; then the cases,
/// largest amount first, go one by one to the member that still needs the largest average amount
/// per remaining case. Counts are thus within one case of the fair share, and amounts end close to
/// each member's count times the group's average. `amount` gives each case, largest first, to the
/// member furthest below its target share of the amount. `count` splits by count only, in hash
/// order. Cases needing a skill go first, among the members who have it.
///
/// Cost: one sort of the cases, O(n log n), and O(n log k) heap steps for n cases and k members.
public enum LoadBalancer {
    /// The member index for each case (-1: no member could take it), updating `members`' loads.
    /// `groupCount` and `groupAmount` cover every case of the group, kept ones included.
    public static func assign(_ cases: [FreeCase], to members: inout [BalanceMember], rule: BalanceRule,
                              groupCount: Int, groupAmount: Int64) -> [Int32] {
        var result = [Int32](repeating: -1, count: cases.count)
        guard !cases.isEmpty, !members.isEmpty else { return result }
        let order = cases.indices.sorted { a, b in
            let x = cases[a], y = cases[b]
            if x.amount != y.amount { return x.amount > y.amount }
            if x.tiebreak != y.tiebreak { return x.tiebreak < y.tiebreak }
            return a < b
        }
        let skills = Set(cases.lazy.map(\.skill).filter { $0 >= 0 }).sorted()
        for run in skills + [-1] {
            let batch = skills.isEmpty ? order : order.filter { cases[$0].skill == run }
            guard !batch.isEmpty else { continue }
            let eligible = members.indices.filter { run < 0 || members[$0].skills.contains(run) }
            guard !eligible.isEmpty else { continue }
            switch rule {
            case .amount:
                byAmount(batch, cases: cases, eligible: eligible, members: &members, groupAmount: groupAmount, result: &result)
            case .count, .countAndAmount:
                let shares = Apportionment.fairShares(
                    total: eligible.reduce(batch.count) { $0 + members[$1].count },
                    shares: eligible.map { members[$0].share }, floors: eligible.map { members[$0].count },
                    caps: eligible.map { members[$0].capacity })
                let whole = Apportionment.wholeCases(shares)
                let quotas = eligible.indices.map { max(0, whole[$0] - members[eligible[$0]].count) }
                if rule == .count {
                    byCount(batch, cases: cases, eligible: eligible, quotas: quotas, members: &members, result: &result)
                } else {
                    byCountAndAmount(batch, cases: cases, eligible: eligible, quotas: quotas, members: &members,
                                     groupCount: groupCount, groupAmount: groupAmount, result: &result)
                }
            }
        }
        return result
    }

    private static func give(_ c: Int, to m: Int, cases: [FreeCase], members: inout [BalanceMember], result: inout [Int32]) {
        members[m].count += 1
        members[m].amount += cases[c].amount
        result[c] = Int32(m)
    }

    /// Largest case first to the member that needs the largest average per remaining case.
    private static func byCountAndAmount(_ batch: [Int], cases: [FreeCase], eligible: [Int], quotas: [Int],
                                         members: inout [BalanceMember], groupCount: Int, groupAmount: Int64,
                                         result: inout [Int32]) {
        // Target amount of each member: its final count times the group's average amount.
        var heap = MemberHeap<LargestRatioFirst>(eligible.indices.filter { quotas[$0] > 0 }.map { e in
            let m = eligible[e]
            let target = Int128(groupAmount) * Int128(members[m].count + quotas[e]) / Int128(max(1, groupCount))
            return LargestRatioFirst(member: Int32(e), need: target - Int128(members[m].amount), slots: Int64(quotas[e]))
        })
        for c in batch {
            guard var top = heap.pop() else { break }
            give(c, to: eligible[Int(top.member)], cases: cases, members: &members, result: &result)
            top.need -= Int128(cases[c].amount)
            top.slots -= 1
            if top.slots > 0 { heap.push(top) }
        }
    }

    /// Largest case first to the member furthest below its share of the group's amount.
    private static func byAmount(_ batch: [Int], cases: [FreeCase], eligible: [Int], members: inout [BalanceMember],
                                 groupAmount: Int64, result: inout [Int32]) {
        let totalShare = members.reduce(Int128(0)) { $0 + Int128($1.share) }
        var heap = MemberHeap<LargestFirst>(eligible.indices.filter { members[eligible[$0]].count < members[eligible[$0]].capacity }
            .map { e in
                let m = eligible[e]
                let target = Int128(groupAmount) * Int128(members[m].share) / max(1, totalShare)
                return LargestFirst(member: Int32(e), key: target - Int128(members[m].amount))
            })
        for c in batch {
            guard var top = heap.pop() else { break }
            let m = eligible[Int(top.member)]
            give(c, to: m, cases: cases, members: &members, result: &result)
            top.key -= Int128(cases[c].amount)
            if members[m].count < members[m].capacity { heap.push(top) }
        }
    }

    /// Cases in hash order, each member taking its quota in turn.
    private static func byCount(_ batch: [Int], cases: [FreeCase], eligible: [Int], quotas: [Int],
                                members: inout [BalanceMember], result: inout [Int32]) {
        let shuffled = batch.sorted { (cases[$0].tiebreak, $0) < (cases[$1].tiebreak, $1) }
        var next = shuffled.makeIterator()
        for (e, m) in eligible.enumerated() {
            for _ in 0..<quotas[e] {
                guard let c = next.next() else { return }
                give(c, to: m, cases: cases, members: &members, result: &result)
            }
        }
    }

    /// Which `count` of a member's cases to let go so that the amount it gives up is as close as
    /// possible to `amount`: a run of consecutive cases in amount order (`sortedAmounts` ascending).
    /// Returns the run's start index.
    public static func releaseWindow(sortedAmounts: [Int64], count: Int, amount: Int64) -> Int {
        let n = sortedAmounts.count
        guard count > 0, count < n else { return 0 }
        var sum = sortedAmounts[0..<count].reduce(Int64(0), +)
        var best = 0, bestGap = (sum - amount).magnitude
        for start in 1...(n - count) {
            sum += sortedAmounts[start + count - 1] - sortedAmounts[start - 1]
            let gap = (sum - amount).magnitude
            if gap < bestGap { best = start; bestGap = gap }
            // Window sums only grow from here on.
            if sum >= amount { break }
        }
        return best
    }
}
