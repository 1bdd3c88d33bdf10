/// Tonight's case allocation: open cases, the roster and last night's assignments in; one
/// assignment per case, member loads and balance figures out. Pure and deterministic.
///
/// Per case, the first group of the strategy that serves its bucket, product and segment takes
/// it. Inside a group, continuity comes first: a case stays with its member while the member is
/// active, under capacity and has the skill the case needs; a stopped case stays regardless.
/// Then kept cases of members above their fair share may move, at most the group's rebalance
/// limit a night. Every other case is split by the group's balancing rule (`LoadBalancer`).
public struct CaseAllocator: Sendable {
    public let policy: AllocationPolicy

    public init(policy: AllocationPolicy) { self.policy = policy }

    public struct Input: Sendable {
        public var cases: [CaseState]
        /// Tonight's roster, every group.
        public var agents: [Agent]
        /// Last night's assignment per case ID.
        public var prior: [String: PriorAssignment]
        /// Customers with stop-collection in force.
        public var stoppedCustomers: Set<String>
        /// The currency reported for a group with no case tonight (the strategy's).
        public var currency: String

        public init(cases: [CaseState], agents: [Agent], prior: [String: PriorAssignment], stoppedCustomers: Set<String>,
                    currency: String = "CNY") {
            self.cases = cases
            self.agents = agents
            self.prior = prior
            self.stoppedCustomers = stoppedCustomers
            self.currency = currency
        }
    }

    public struct Outcome: Sendable {
        /// One per input case, in input order.
        public var assignments: [Assignment]
        /// In strategy order.
        public var groups: [GroupFigures]
        /// By group (strategy order), then member ID.
        public var loads: [MemberLoad]
    }

    /// Problems that stop the run: cases no group serves, groups whose amounts cannot be balanced.
    public struct Failure: Error, Sendable {
        public var diagnostics: [Diagnostic]
    }

    public func allocate(_ input: Input) -> Result<Outcome, Failure> {
        let cases = input.cases
        var groupOf = [Int32](repeating: -1, count: cases.count)
        struct Route: Hashable { var bucket: String; var product: String; var segment: String }
        var routes: [Route: Int32] = [:]
        var unserved: [Route: (count: Int, first: String)] = [:]
        var members: [[Int]] = Array(repeating: [], count: policy.groups.count)
        for (i, c) in cases.enumerated() {
            let route = Route(bucket: c.bucket, product: c.key.product, segment: c.segment)
            let g = routes[route] ?? {
                let found = Int32(policy.groupIndex(bucket: c.bucket, product: c.key.product, segment: c.segment) ?? -1)
                routes[route] = found
                return found
            }()
            if g < 0 {
                unserved[route, default: (0, c.caseID)].count += 1
                continue
            }
            groupOf[i] = g
            members[Int(g)].append(i)
        }
        var problems: [Diagnostic] = unserved.keys.sorted { ($0.bucket, $0.product, $0.segment) < ($1.bucket, $1.product, $1.segment) }.map { r in
            let (count, first) = unserved[r]!
            return policy.anchor.diagnostic("no allocation group serves bucket \(r.bucket), product \(r.product), segment \(r.segment): \(count) open case(s), e.g. \(first); add a group for them or widen one in allocation.groups")
        }
        for (g, group) in policy.groups.enumerated() where group.hasMembers && group.balance != .count {
            let currencies = Set(members[g].map { cases[$0].currency }).sorted()
            if currencies.count > 1 {
                problems.append(policy.anchor.diagnostic("allocation group '\(group.name)' has cases in \(currencies.joined(separator: " and ")): amounts in different currencies cannot be balanced; split the group by product, or use balance: count"))
            }
        }
        guard problems.isEmpty else { return .failure(Failure(diagnostics: problems)) }

        var assignments = [Assignment](repeating: Assignment(group: "", agentID: "", kind: .unassigned), count: cases.count)
        var figures: [GroupFigures] = []
        var loads: [MemberLoad] = []
        let rosters = Dictionary(grouping: input.agents, by: \.group)
        for (g, group) in policy.groups.enumerated() {
            var work = GroupAllocation(group: group, roster: (rosters[group.name] ?? []).sorted { $0.id < $1.id },
                                       cases: cases, indices: members[g], input: input)
            work.run(into: &assignments)
            figures.append(work.figures)
            loads += work.loads
        }
        return .success(Outcome(assignments: assignments, groups: figures, loads: loads))
    }
}

/// The allocation of one group: continuity, capacity, rebalancing, then the split.
struct GroupAllocation {
    let group: AllocationGroup
    let cases: [CaseState]
    /// The group's cases (indices into `cases`).
    let indices: [Int]
    let input: CaseAllocator.Input
    /// Active members first-class: `members[m]` is `roster[activeRoster[m]]`.
    let roster: [Agent]
    let active: [Int]
    var figures: GroupFigures
    var loads: [MemberLoad]

    init(group: AllocationGroup, roster: [Agent], cases: [CaseState], indices: [Int], input: CaseAllocator.Input) {
        self.group = group
        self.cases = cases
        self.indices = indices
        self.input = input
        self.roster = group.hasMembers ? roster : []
        active = self.roster.indices.filter { roster[$0].active }
        let currency = indices.first.map { cases[$0].currency } ?? input.currency
        figures = GroupFigures(name: group.name, kind: group.kind, balance: group.balance, currency: currency)
        if group.hasMembers {
            loads = self.roster.map { a in
                var load = MemberLoad(group: group.name, kind: group.kind, agentID: a.id, active: a.active,
                                      capacity: a.capacity, weightMilli: a.weightMilli, callsPerDay: a.callsPerDay,
                                      currency: currency)
                if group.kind == .agency { load.sharePercent = group.shares[a.id] }
                return load
            }
        } else {
            loads = [MemberLoad(group: group.name, kind: .robot, agentID: "", active: true, capacity: nil,
                                weightMilli: 1000, callsPerDay: nil, currency: currency)]
        }
    }

    /// A case's state while the group is worked out.
    private enum Slot {
        /// Stays with member `m` (an index into `active`).
        case pinned(m: Int, stopped: Bool)
        /// To be given out; `from` is the member it had, if it is moved within the group.
        case free(kind: AssignmentKind, reason: AssignmentReason, from: Int?)
    }

    mutating func run(into assignments: inout [Assignment]) {
        figures.cases = indices.count
        figures.members = active.count
        for i in indices { figures.amount += cases[i].amountOverdue }
        if group.hasMembers { runMembers(into: &assignments) } else { runRobot(into: &assignments) }
        for a in indices.map({ assignments[$0] }) {
            figures.counts[a.kind, default: 0] += 1
            if a.reason == .stopCollection { figures.stopped += 1 }
            if a.reason == .rebalance { figures.rebalanced += 1 }
        }
        figures.measure(&loads, shares: roster.map { memberShare($0) })
    }

    private func memberShare(_ agent: Agent) -> Int64 {
        group.kind == .agency ? Int64(group.shares[agent.id] ?? 0) : Int64(agent.weightMilli)
    }

    private func recycleReason(_ prior: PriorAssignment, _ c: CaseState) -> AssignmentReason {
        prior.bucket != c.bucket ? .bucketChanged : .groupChanged
    }

    private mutating func runRobot(into assignments: inout [Assignment]) {
        for i in indices {
            let c = cases[i]
            let stopped = input.stoppedCustomers.contains(c.key.customerID)
            let a: Assignment
            switch input.prior[c.caseID] {
            case nil: a = Assignment(group: group.name, agentID: "", kind: .new)
            case let p? where p.group == group.name:
                a = Assignment(group: group.name, agentID: "", kind: .kept, reason: stopped ? .stopCollection : .none)
            case let p?: a = Assignment(group: group.name, agentID: "", kind: .recycled, reason: recycleReason(p, c))
            }
            assignments[i] = a
            loads[0].count(a.kind, reason: a.reason, amount: c.amountOverdue)
        }
    }

    private mutating func runMembers(into assignments: inout [Assignment]) {
        var memberOf: [String: Int] = [:]
        for (m, r) in active.enumerated() { memberOf[roster[r].id] = m }
        let inactive = Set(roster.filter { !$0.active }.map(\.id))
        let skillNames = Array(Set(group.skills.values)).sorted()
        let skillNumber = Dictionary(uniqueKeysWithValues: skillNames.enumerated().map { ($1, Int32($0)) })
        var balance = active.map { r in
            BalanceMember(capacity: roster[r].capacity, share: memberShare(roster[r]),
                          skills: Set(roster[r].skills.compactMap { skillNumber[$0] }))
        }
        func skill(_ i: Int) -> Int32 { group.skills[cases[i].segment].flatMap { skillNumber[$0] } ?? -1 }

        // 1. Continuity.
        var slots: [Slot] = []
        slots.reserveCapacity(indices.count)
        var kept = [[Int]](repeating: [], count: active.count)  // positions in `indices`
        for (k, i) in indices.enumerated() {
            let c = cases[i]
            let slot: Slot
            if let p = input.prior[c.caseID] {
                if p.group != group.name {
                    slot = .free(kind: .recycled, reason: recycleReason(p, c), from: nil)
                } else if p.agentID.isEmpty {
                    slot = .free(kind: .new, reason: .previouslyUnassigned, from: nil)
                } else if let m = memberOf[p.agentID] {
                    let needs = skill(i)
                    if needs >= 0, !balance[m].skills.contains(needs) {
                        slot = .free(kind: .moved, reason: .skill, from: m)
                    } else {
                        let stopped = input.stoppedCustomers.contains(c.key.customerID)
                        slot = .pinned(m: m, stopped: stopped)
                        if !stopped { kept[m].append(k) }
                        balance[m].count += 1
                        balance[m].amount += c.amountOverdue.minorUnits
                    }
                } else {
                    slot = .free(kind: .moved, reason: inactive.contains(p.agentID) ? .agentInactive : .agentLeft, from: nil)
                }
            } else {
                slot = .free(kind: .new, reason: .none, from: nil)
            }
            slots.append(slot)
        }
        func amount(_ k: Int) -> Int64 { cases[indices[k]].amountOverdue.minorUnits }
        func release(_ k: Int, from m: Int, _ reason: AssignmentReason) {
            slots[k] = .free(kind: .moved, reason: reason, from: m)
            balance[m].count -= 1
            balance[m].amount -= amount(k)
        }
        /// Lets `count` of member m's kept cases go, giving up an amount as close to `target` as possible.
        func releaseKept(_ m: Int, count: Int, target: Int64, _ reason: AssignmentReason) {
            let sorted = kept[m].sorted { (amount($0), $0) < (amount($1), $1) }
            let start = LoadBalancer.releaseWindow(sortedAmounts: sorted.map(amount), count: count, amount: target)
            for k in sorted[start..<(start + count)] { release(k, from: m, reason) }
            kept[m] = Array(sorted[..<start] + sorted[(start + count)...])
        }

        // 2. Capacity: a member over capacity lets go of kept cases (stopped ones stay).
        for m in balance.indices where balance[m].count > balance[m].capacity && !kept[m].isEmpty {
            let count = min(kept[m].count, balance[m].count - balance[m].capacity)
            let average = kept[m].reduce(Int64(0)) { $0 + amount($1) } / Int64(kept[m].count)
            releaseKept(m, count: count, target: average * Int64(count), .overCapacity)
        }

        // 3. Rebalancing, within the limit.
        let limit = group.rebalanceLimit.cases(ofGroupSize: indices.count)
        figures.rebalanceLimit = limit
        if limit > 0, !balance.isEmpty {
            _ = rebalance(limit: limit, balance: balance, kept: kept, amount: amount) { m, count, target in
                if count > 0 { releaseKept(m, count: count, target: target, .rebalance) }
            } releaseOne: { m, k in
                release(k, from: m, .rebalance)
                kept[m].removeAll { $0 == k }
            }
        }

        // 4. The split of every free case.
        var free: [FreeCase] = []
        var freePositions: [Int] = []
        for (k, slot) in slots.enumerated() {
            guard case .free = slot else { continue }
            let i = indices[k]
            free.append(FreeCase(amount: amount(k), tiebreak: StableHash.of(cases[i].caseID), skill: skill(i)))
            freePositions.append(k)
        }
        let groupAmount = indices.reduce(Int64(0)) { $0 + cases[$1].amountOverdue.minorUnits }
        let given = LoadBalancer.assign(free, to: &balance, rule: group.balance, groupCount: indices.count,
                                        groupAmount: groupAmount)
        var outcome = [Int32](repeating: -1, count: slots.count)
        for (f, k) in freePositions.enumerated() { outcome[k] = given[f] }

        // 5. Results.
        let hasSkill = Set(balance.flatMap(\.skills))
        for (k, slot) in slots.enumerated() {
            let i = indices[k]
            let c = cases[i]
            var a: Assignment
            var member: Int?
            switch slot {
            case let .pinned(m, stopped):
                member = m
                a = Assignment(group: group.name, agentID: roster[active[m]].id, kind: .kept,
                               reason: stopped ? .stopCollection : .none)
            case let .free(kind, reason, from):
                let m = Int(outcome[k])
                if m < 0 {
                    let needs = skill(i)
                    let why: AssignmentReason = active.isEmpty ? .noActiveAgent
                        : (needs >= 0 && !hasSkill.contains(needs) ? .noSkilledAgent : .capacityFull)
                    a = Assignment(group: group.name, agentID: "", kind: .unassigned, reason: why)
                } else {
                    member = m
                    let back = from == m
                    a = Assignment(group: group.name, agentID: roster[active[m]].id, kind: back ? .kept : kind,
                                   reason: back ? .none : reason)
                }
            }
            assignments[i] = a
            if let member { loads[active[member]].count(a.kind, reason: a.reason, amount: c.amountOverdue) }
        }
    }

    /// Moves kept cases of members above their fair share into the pool, at most `limit`.
    /// Count rules compare case counts with whole fair shares; the amount rule compares amounts.
    private func rebalance(limit: Int, balance: [BalanceMember], kept: [[Int]], amount: (Int) -> Int64,
                           releaseCount: (Int, Int, Int64) -> Void, releaseOne: (Int, Int) -> Void) -> Int {
        let total = indices.count
        let groupAmount = indices.reduce(Int128(0)) { $0 + Int128(cases[$1].amountOverdue.minorUnits) }
        var moved = 0
        if group.balance == .amount {
            let totalShare = balance.reduce(Int128(0)) { $0 + Int128($1.share) }
            var pool = kept.map { $0.sorted { (amount($0), $0) < (amount($1), $1) } }
            let target = balance.map { groupAmount * Int128($0.share) / max(1, totalShare) }
            // Within 1% of its target a member keeps everything (no churn on small differences);
            // beyond, the member furthest above its share gives up its largest case that does not
            // overshoot the share.
            var heap = MemberHeap(balance.indices.lazy.map { m in
                LargestFirst(member: Int32(m), key: Int128(balance[m].amount) - target[m])
            }.filter { $0.key > target[Int($0.member)] / 100 })
            while moved < limit, var top = heap.pop() {
                let m = Int(top.member)
                guard let pick = pool[m].lastIndex(where: { Int128(amount($0)) <= top.key }) else { continue }
                let k = pool[m].remove(at: pick)
                releaseOne(m, k)
                top.key -= Int128(amount(k))
                moved += 1
                if top.key > target[m] / 100, !pool[m].isEmpty { heap.push(top) }
            }
            return moved
        }
        let shares = Apportionment.fairShares(total: total, shares: balance.map(\.share), floors: balance.map { _ in 0 },
                                              caps: balance.map(\.capacity))
        let fair = Apportionment.wholeCases(shares)
        // Only cases above the fair share rounded up move: a member one case over because of
        // rounding keeps it (no churn on ties).
        let ceiling = shares.map { Int(($0.numerator + $0.denominator - 1) / $0.denominator) }
        var give = [Int](repeating: 0, count: balance.count)
        var heap = MemberHeap(balance.indices.lazy.map { m in
            LargestFirst(member: Int32(m), key: Int128(min(kept[m].count, balance[m].count - ceiling[m])))
        }.filter { $0.key > 0 })
        while moved < limit, var top = heap.pop() {
            give[Int(top.member)] += 1
            top.key -= 1
            moved += 1
            if top.key > 0 { heap.push(top) }
        }
        for m in balance.indices where give[m] > 0 {
            // Give up what brings the member's amount closest to its fair count x the group average.
            let target = groupAmount * Int128(fair[m]) / Int128(max(1, total))
            releaseCount(m, give[m], Int64(max(0, Int128(balance[m].amount) - target)))
        }
        return moved
    }
}

/// A stable 64-bit hash of text (FNV-1a, then SplitMix64's finaliser): the same on every run and
/// platform, unlike `Hasher`.
public enum StableHash {
    public static func of(_ parts: String...) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for byte in part.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
            h = (h ^ 0xff) &* 0x100_0000_01b3
        }
        return SplitMix64.mix(h)
    }
}
