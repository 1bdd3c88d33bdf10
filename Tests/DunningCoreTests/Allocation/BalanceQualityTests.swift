@testable import DunningCore
import Testing

/// The balance goals of docs/allocation.md, checked on assignments recomputed independently of
/// the allocator's own figures.
@Suite("Allocation: balance quality")
struct BalanceQualityTests {
    /// No continuity, 1,000+ cases: every agent within one case of the ideal count and within 1%
    /// of the ideal amount (total / agents).
    @Test(arguments: [(1_000, 10, 1), (5_000, 37, 2), (20_000, 150, 3), (3_000, 3, 4)] as [(Int, Int, UInt64)])
    func evenSplitByCountAndAmount(cases n: Int, agents k: Int, seed: UInt64) throws {
        let cases = Alloc.portfolio(n, seed: seed)
        let outcome = try #require(Alloc.run([Alloc.team()], cases: cases, agents: Alloc.agents(k)))
        let loads = Alloc.loads(cases, outcome)
        #expect(loads.count == k)
        let total = cases.reduce(Int64(0)) { $0 + $1.amountOverdue.minorUnits }
        let idealCount = Double(n) / Double(k), idealAmount = Double(total) / Double(k)
        for (agent, load) in loads {
            #expect(abs(Double(load.count) - idealCount) < 1.0, "\(agent) has \(load.count) cases, ideal \(idealCount)")
            #expect(abs(Double(load.amount) - idealAmount) / idealAmount < 0.01, "\(agent) amount off by more than 1%")
        }
        let g = outcome.groups[0]
        #expect(g.casesAboveIdeal < 100 && g.casesBelowIdeal > -100)
        #expect(g.amountAboveIdeal < 100 && g.amountBelowIdeal > -100)
    }

    /// Few cases per agent (about 71): the counts cannot be equal, so neither can the amounts'
    /// shares; what holds is that each agent's amount is within 1% of its own count times the
    /// group's average case, and within one average case of its weight's share of the amount.
    @Test(arguments: [(1_000, 14, 5), (2_000, 28, 6), (1_500, 21, 7), (1_200, 40, 8)] as [(Int, Int, UInt64)])
    func amountsFollowTheCountsWhenAgentsHaveFewCases(cases n: Int, agents k: Int, seed: UInt64) throws {
        let cases = Alloc.portfolio(n, seed: seed)
        let outcome = try #require(Alloc.run([Alloc.team()], cases: cases, agents: Alloc.agents(k)))
        let total = Double(cases.reduce(Int64(0)) { $0 + $1.amountOverdue.minorUnits })
        let average = total / Double(n)
        for (agent, load) in Alloc.loads(cases, outcome) {
            let target = Double(load.count) * average
            #expect(abs(Double(load.amount) - target) / target < 0.01, "\(agent): \(load.amount) against \(target)")
            #expect(abs(Double(load.amount) - total / Double(k)) < average * 1.01 + target * 0.01)
        }
    }

    /// Weights: a part-timer at 0.5 gets half a full-timer's cases and amount.
    @Test func partTimersTakeTheirWeight() throws {
        let cases = Alloc.portfolio(3_000, seed: 9)
        var agents = Alloc.agents(4)
        agents[3].weightMilli = 500
        let outcome = try #require(Alloc.run([Alloc.team()], cases: cases, agents: agents))
        let loads = Alloc.loads(cases, outcome)
        let total = Double(cases.reduce(Int64(0)) { $0 + $1.amountOverdue.minorUnits })
        for a in agents {
            let share = Double(a.weightMilli) / 3_500
            let load = try #require(loads[a.id])
            #expect(abs(Double(load.count) - 3_000 * share) < 1.0)
            #expect(abs(Double(load.amount) - total * share) / (total * share) < 0.01)
        }
    }

    /// Agencies split by target shares of the amount: each within the documented tolerance.
    @Test(arguments: [(2_000, 5 as UInt64), (10_000, 6), (50_000, 7)])
    func agenciesGetTheirShareOfTheAmount(cases n: Int, seed: UInt64) throws {
        let cases = Alloc.portfolio(n, seed: seed, bucket: "M3+")
        let group = AllocationGroup(name: "outsourced", kind: .agency, shares: ["AG_A": 60, "AG_B": 30, "AG_C": 10],
                                    rebalanceLimit: .cases(0))
        let agencies = ["AG_A", "AG_B", "AG_C"].map { Agent(id: $0, group: "outsourced", capacity: 1_000_000) }
        let outcome = try #require(Alloc.run([group], cases: cases, agents: agencies))
        let loads = Alloc.loads(cases, outcome)
        let total = cases.reduce(Int64(0)) { $0 + $1.amountOverdue.minorUnits }
        let largest = cases.map(\.amountOverdue.minorUnits).max()!
        for (agency, share) in group.shares {
            let target = Double(total) * Double(share) / 100
            let actual = Double(try #require(loads[agency]).amount)
            // Tolerance (docs/allocation.md): at most the largest single case, and within 0.1
            // percentage points of the group's amount.
            #expect(abs(actual - target) <= Double(largest))
            #expect(abs(actual - target) / Double(total) < 0.001, "\(agency) off its \(share)% share")
        }
    }

    @Test func capacityIsNeverExceededAndTheSmallestCasesWaitWhenItIsShort() throws {
        let cases = Alloc.portfolio(1_000, seed: 11)
        let outcome = try #require(Alloc.run([Alloc.team()], cases: cases, agents: Alloc.agents(4, capacity: 200)))
        let loads = Alloc.loads(cases, outcome)
        #expect(loads.values.allSatisfy { $0.count == 200 })
        let unassigned = zip(cases, outcome.assignments).filter { $0.1.kind == .unassigned }
        #expect(unassigned.count == 200)
        #expect(unassigned.allSatisfy { $0.1.reason == .capacityFull && $0.1.agentID.isEmpty })
        // The cases that wait are the smallest: none of them is larger than any assigned case.
        let smallestAssigned = zip(cases, outcome.assignments).filter { $0.1.kind != .unassigned }.map(\.0.amountOverdue).min()!
        #expect(unassigned.allSatisfy { $0.0.amountOverdue <= smallestAssigned })
    }
}
