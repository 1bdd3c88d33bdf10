/// The allocation of one group: continuity, capacity, rebalancing, then the split.
struct GroupAllocation {
    let group: AllocationGroup
    let cases: [CaseState]
    /// The group's cases (indices into `cases`).
    let indices: [Int]
    let input: CaseAllocator.Input
    /// The group's roster sorted by ID (empty for robots); member `m` is `roster[active[m]]`:
    /// only active members take cases.
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
                load.balancesCount = group.balance != .amount
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
        // A kept case another active member could take: it needs no skill, or its skill is not
        // its member's alone. Only those are worth letting go of; a case only its member may
        // work would come straight back.
        var skilled = [Int32: Int]()
        for b in balance { for s in b.skills { skilled[s, default: 0] += 1 } }
        func movable(_ k: Int) -> Bool {
            let needs = skill(indices[k])
            return needs < 0 || skilled[needs, default: 0] > 1
        }
        /// Lets `count` of member m's kept cases go, giving up an amount as close to `target` as
        /// possible: cases other members could take first; the others only when `movableOnly` is
        /// false and there are not enough (over capacity).
        func releaseKept(_ m: Int, count: Int, target: Int64, _ reason: AssignmentReason, movableOnly: Bool) {
            let byAmount = { (a: Int, b: Int) in (amount(a), a) < (amount(b), b) }
            let candidates = kept[m].filter(movable).sorted(by: byAmount)
            var chosen: [Int]
            if candidates.count >= count {
                let start = LoadBalancer.releaseWindow(sortedAmounts: candidates.map(amount), count: count, amount: target)
                chosen = Array(candidates[start..<(start + count)])
            } else {
                chosen = candidates
                let rest = kept[m].filter { !movable($0) }.sorted(by: byAmount)
                let more = movableOnly ? 0 : min(rest.count, count - chosen.count)
                if more > 0 {
                    let left = target - candidates.reduce(Int64(0)) { $0 + amount($1) }
                    let start = LoadBalancer.releaseWindow(sortedAmounts: rest.map(amount), count: more, amount: left)
                    chosen += rest[start..<(start + more)]
                }
            }
            for k in chosen { release(k, from: m, reason) }
            let gone = Set(chosen)
            kept[m].removeAll { gone.contains($0) }
        }

        // 2. Capacity: a member over capacity lets go of kept cases (stopped ones stay).
        for m in balance.indices where balance[m].count > balance[m].capacity && !kept[m].isEmpty {
            let count = min(kept[m].count, balance[m].count - balance[m].capacity)
            let average = kept[m].reduce(Int64(0)) { $0 + amount($1) } / Int64(kept[m].count)
            releaseKept(m, count: count, target: average * Int64(count), .overCapacity, movableOnly: false)
        }

        // 3. Rebalancing, within the limit.
        let limit = group.rebalanceLimit.cases(ofGroupSize: indices.count)
        figures.rebalanceLimit = limit
        if limit > 0, !balance.isEmpty {
            rebalance(limit: limit, balance: balance, kept: kept.map { $0.filter(movable) }, amount: amount) { m, count, target in
                if count > 0 { releaseKept(m, count: count, target: target, .rebalance, movableOnly: true) }
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
    /// Count rules compare case counts with fair shares rounded up; the amount rule compares
    /// amounts, beyond 1% of the share.
    private func rebalance(limit: Int, balance: [BalanceMember], kept: [[Int]], amount: (Int) -> Int64,
                           releaseCount: (Int, Int, Int64) -> Void, releaseOne: (Int, Int) -> Void) {
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
            return
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
    }
}
