@testable import DunningCore
import Testing

/// Builders for the allocation tests: cases, rosters and an allocator around them.
enum Alloc {
    static func caseState(_ customer: String, product: String = "cash", bucket: String = "M0", amount: Int64 = 100_000,
                          segment: String = "s", currency: String = "CNY") -> CaseState {
        CaseState(key: CaseKey(customerID: customer, product: product), episode: 1, stage: .overdue, bucket: bucket,
                  dpd: 10, amountOverdue: Money(minorUnits: amount), penaltyAccrued: .zero, segment: segment,
                  currency: currency)
    }

    /// `n` cases C0001... with amounts drawn like real overdue amounts (one to a dozen instalments
    /// of 50 to 2,050 units), deterministic per seed.
    static func portfolio(_ n: Int, seed: UInt64, bucket: String = "M0", product: String = "cash") -> [CaseState] {
        var rng = SplitMix64(state: seed)
        return (0..<n).map { i in
            let instalments = 1 + (rng.below(4) == 0 ? rng.below(12) : rng.below(2))
            let amount = Int64(instalments) * Int64(5_000 + rng.below(200_000))
            return caseState("C" + pad(i + 1, 6), product: product, bucket: bucket, amount: amount)
        }
    }

    static func agents(_ n: Int, group: String = "team", capacity: Int = 1_000_000, prefix: String = "A") -> [Agent] {
        (0..<n).map { Agent(id: prefix + pad($0 + 1, 3), group: group, capacity: capacity) }
    }

    static func policy(_ groups: [AllocationGroup]) -> AllocationPolicy {
        AllocationPolicy(groups: groups, anchor: SourceAnchor(file: "strategy.yaml", line: 40, column: 3))
    }

    static func team(_ limit: RebalanceLimit = .cases(0), balance: BalanceRule? = nil, skills: [String: String] = [:]) -> AllocationGroup {
        AllocationGroup(name: "team", balance: balance, rebalanceLimit: limit, skills: skills)
    }

    static func run(_ groups: [AllocationGroup], cases: [CaseState], agents: [Agent],
                    prior: [String: PriorAssignment] = [:], stopped: Set<String> = [],
                    sourceLocation: SourceLocation = #_sourceLocation) -> CaseAllocator.Outcome? {
        switch CaseAllocator(policy: policy(groups)).allocate(.init(cases: cases, agents: agents, prior: prior,
                                                                    stoppedCustomers: stopped)) {
        case .success(let outcome): return outcome
        case .failure(let failure):
            Issue.record("allocation failed: \(failure.diagnostics)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// Last night's assignments as the store would recall them.
    static func prior(_ cases: [CaseState], _ outcome: CaseAllocator.Outcome) -> [String: PriorAssignment] {
        var result: [String: PriorAssignment] = [:]
        for (c, a) in zip(cases, outcome.assignments) {
            result[c.caseID] = PriorAssignment(group: a.group, agentID: a.agentID, bucket: c.bucket)
        }
        return result
    }

    /// Cases and amount per member, recomputed from the assignments (independently of the allocator's figures).
    static func loads(_ cases: [CaseState], _ outcome: CaseAllocator.Outcome) -> [String: (count: Int, amount: Int64)] {
        var result: [String: (count: Int, amount: Int64)] = [:]
        for (c, a) in zip(cases, outcome.assignments) where !a.agentID.isEmpty {
            result[a.agentID, default: (0, 0)].count += 1
            result[a.agentID, default: (0, 0)].amount += c.amountOverdue.minorUnits
        }
        return result
    }
}
