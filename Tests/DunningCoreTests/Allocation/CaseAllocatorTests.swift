@testable import DunningCore
import Testing

@Suite("Allocation: groups, continuity, recycling")
struct CaseAllocatorTests {
    let early = AllocationGroup(name: "early", buckets: ["M0"], rebalanceLimit: .cases(0))
    let late = AllocationGroup(name: "late", buckets: ["M1", "M2"], rebalanceLimit: .cases(0))
    let robot = AllocationGroup(name: "robot", kind: .robot, buckets: ["current"])

    @Test func everyCaseLandsInExactlyTheFirstGroupThatServesIt() throws {
        let cashEarly = AllocationGroup(name: "cash_early", products: ["cash"], buckets: ["M0"])
        var cases = Alloc.portfolio(300, seed: 1)
        for i in cases.indices where i % 3 == 1 { cases[i].key.product = "card" }
        for i in cases.indices where i % 5 == 2 { cases[i].bucket = "M1" }
        for i in cases.indices where i % 7 == 3 { cases[i].bucket = "current" }
        let agents = Alloc.agents(3, group: "cash_early") + Alloc.agents(3, group: "early", prefix: "E")
            + Alloc.agents(2, group: "late", prefix: "L")
        let outcome = try #require(Alloc.run([robot, cashEarly, early, late], cases: cases, agents: agents))
        #expect(outcome.assignments.count == cases.count)
        for (c, a) in zip(cases, outcome.assignments) {
            let expected = c.bucket == "current" ? "robot" : c.bucket == "M1" ? "late" : c.key.product == "cash" ? "cash_early" : "early"
            #expect(a.group == expected)
            if a.group != "robot" { #expect(agents.contains { $0.id == a.agentID && $0.group == a.group }) }
            #expect(a.kind == .new)
        }
        #expect(outcome.groups.map(\.cases).reduce(0, +) == cases.count)
    }

    @Test func aCaseNoGroupServesIsAnErrorAtTheGroupsList() {
        let cases = [Alloc.caseState("C1", product: "auto", bucket: "M3+"), Alloc.caseState("C2", product: "auto", bucket: "M3+")]
        let result = CaseAllocator(policy: Alloc.policy([early, late])).allocate(.init(cases: cases, agents: [], prior: [:], stoppedCustomers: []))
        guard case .failure(let failure) = result else { Issue.record("expected a failure"); return }
        #expect(failure.diagnostics.map(\.description) == [
            "strategy.yaml:40:3: error: no allocation group serves bucket M3+, product auto, segment s: 2 open case(s), e.g. C1/auto/1; add a group for them or widen one in allocation.groups",
        ])
    }

    @Test func amountsInTwoCurrenciesCannotBeBalancedInOneGroup() {
        let cases = [Alloc.caseState("C1"), Alloc.caseState("C2", currency: "USD")]
        let result = CaseAllocator(policy: Alloc.policy([early])).allocate(.init(cases: cases, agents: Alloc.agents(1, group: "early"), prior: [:], stoppedCustomers: []))
        guard case .failure(let failure) = result else { Issue.record("expected a failure"); return }
        #expect(failure.diagnostics.first?.message.contains("has cases in CNY and USD") == true)
    }

    @Test func casesStayWithTheirAgentNightAfterNight() throws {
        let cases = Alloc.portfolio(400, seed: 2)
        let agents = Alloc.agents(4, group: "early")
        let first = try #require(Alloc.run([early], cases: cases, agents: agents))
        let second = try #require(Alloc.run([early], cases: cases, agents: agents, prior: Alloc.prior(cases, first)))
        #expect(second.assignments.allSatisfy { $0.kind == .kept && $0.reason == .none })
        #expect(zip(first.assignments, second.assignments).allSatisfy { $0.agentID == $1.agentID })
    }

    @Test func aBucketChangeToAnotherGroupRecyclesTheCase() throws {
        var cases = Alloc.portfolio(100, seed: 3)
        let agents = Alloc.agents(2, group: "early") + Alloc.agents(2, group: "late", prefix: "L")
        let first = try #require(Alloc.run([early, late], cases: cases, agents: agents))
        let prior = Alloc.prior(cases, first)
        for i in 0..<10 { cases[i].bucket = "M1" }
        let second = try #require(Alloc.run([early, late], cases: cases, agents: agents, prior: prior))
        for (i, a) in second.assignments.enumerated() {
            if i < 10 {
                #expect(a.group == "late" && a.kind == .recycled && a.reason == .bucketChanged && a.agentID.hasPrefix("L"))
            } else {
                #expect(a.kind == .kept)
            }
        }
        // A bucket change inside the same group (M1 -> M2) keeps the agent.
        var third = cases
        for i in 0..<10 { third[i].bucket = "M2" }
        let kept = try #require(Alloc.run([early, late], cases: third, agents: agents, prior: Alloc.prior(cases, second)))
        #expect(kept.assignments.allSatisfy { $0.kind == .kept })
    }

    @Test func anAgentWhoLeavesHasTheCasesRedistributed() throws {
        let cases = Alloc.portfolio(600, seed: 4)
        let agents = Alloc.agents(3, group: "early")
        let first = try #require(Alloc.run([early], cases: cases, agents: agents))
        let prior = Alloc.prior(cases, first)
        // A001 is gone from the roster; A002 is inactive (on leave).
        var roster = Array(agents.dropFirst())
        roster[0].active = false
        let second = try #require(Alloc.run([early], cases: cases, agents: roster, prior: prior))
        for (old, new) in zip(first.assignments, second.assignments) {
            switch old.agentID {
            case "A001": #expect(new.kind == .moved && new.reason == .agentLeft && new.agentID == "A003")
            case "A002": #expect(new.kind == .moved && new.reason == .agentInactive && new.agentID == "A003")
            default: #expect(new.kind == .kept && new.agentID == "A003")
            }
        }
        #expect(second.loads.first { $0.agentID == "A002" }?.cases == 0)
    }

    @Test func aGroupWithNobodyActiveLeavesItsCasesUnassigned() throws {
        let cases = Alloc.portfolio(5, seed: 5)
        var agents = Alloc.agents(1, group: "early")
        agents[0].active = false
        let outcome = try #require(Alloc.run([early], cases: cases, agents: agents))
        #expect(outcome.assignments.allSatisfy { $0.kind == .unassigned && $0.reason == .noActiveAgent })
        let next = try #require(Alloc.run([early], cases: cases, agents: Alloc.agents(1, group: "early"), prior: Alloc.prior(cases, outcome)))
        #expect(next.assignments.allSatisfy { $0.kind == .new && $0.reason == .previouslyUnassigned })
    }

    @Test func aLowerCapacityMovesTheExcessAndKeepsTheRest() throws {
        let cases = Alloc.portfolio(300, seed: 6)
        var agents = Alloc.agents(3, group: "early")
        let first = try #require(Alloc.run([early], cases: cases, agents: agents))
        agents[0].capacity = 60
        let second = try #require(Alloc.run([early], cases: cases, agents: agents, prior: Alloc.prior(cases, first)))
        let loads = Alloc.loads(cases, second)
        #expect(loads["A001"]?.count == 60)
        let moved = second.assignments.filter { $0.kind == .moved }
        #expect(moved.count == 40 && moved.allSatisfy { $0.reason == .overCapacity && $0.agentID != "A001" })
        #expect(second.assignments.filter { $0.kind == .kept }.count == 260)
    }

    @Test func aStoppedCaseKeepsItsAgentEvenOverCapacity() throws {
        let cases = Alloc.portfolio(30, seed: 7)
        var agents = Alloc.agents(1, group: "early")
        let first = try #require(Alloc.run([early], cases: cases, agents: agents))
        agents.append(Agent(id: "A002", group: "early", capacity: 100))
        agents[0].capacity = 5
        let stopped = Set(cases.prefix(10).map(\.key.customerID))
        let second = try #require(Alloc.run([early], cases: cases, agents: agents, prior: Alloc.prior(cases, first), stopped: stopped))
        for (i, a) in second.assignments.enumerated() {
            if i < 10 { #expect(a.agentID == "A001" && a.kind == .kept && a.reason == .stopCollection) }
            else { #expect(a.agentID == "A002" && a.kind == .moved && a.reason == .overCapacity) }
        }
        #expect(second.groups[0].stopped == 10)
        #expect(second.loads.first { $0.agentID == "A001" }?.stopped == 10)
    }

    @Test func theRebalanceLimitCapsHowManyKeptCasesMove() throws {
        let cases = Alloc.portfolio(1_000, seed: 8)
        let first = try #require(Alloc.run([early], cases: cases, agents: Alloc.agents(2, group: "early")))
        let roster = Alloc.agents(4, group: "early")  // two new agents join
        for (limit, expectedMoves) in [(RebalanceLimit.cases(0), 0), (.cases(120), 120), (.percent(10), 100), (.cases(5_000), 500)] {
            var group = early
            group.rebalanceLimit = limit
            let second = try #require(Alloc.run([group], cases: cases, agents: roster, prior: Alloc.prior(cases, first)))
            let moved = second.assignments.filter { $0.kind == .moved }
            #expect(moved.count == expectedMoves, "limit \(limit)")
            #expect(moved.allSatisfy { $0.reason == .rebalance && ($0.agentID == "A003" || $0.agentID == "A004") })
            #expect(second.groups[0].rebalanced == expectedMoves)
            #expect(second.groups[0].rebalanceLimit == min(limit.cases(ofGroupSize: 1_000), 5_000))
        }
        // Without a limit the loads end even: 250 cases each, amounts close to a quarter each.
        var open = early
        open.rebalanceLimit = .cases(1_000)
        let balanced = try #require(Alloc.run([open], cases: cases, agents: roster, prior: Alloc.prior(cases, first)))
        let loads = Alloc.loads(cases, balanced)
        #expect(loads.values.allSatisfy { $0.count == 250 })
        let quarter = Double(cases.reduce(Int64(0)) { $0 + $1.amountOverdue.minorUnits }) / 4
        #expect(loads.values.allSatisfy { abs(Double($0.amount) - quarter) / quarter < 0.05 })
    }

    @Test func balancedKeptLoadsMoveNothingWhateverTheLimit() throws {
        let cases = Alloc.portfolio(500, seed: 9)
        var group = early
        group.rebalanceLimit = .percent(100)
        let agents = Alloc.agents(5, group: "early")
        let first = try #require(Alloc.run([group], cases: cases, agents: agents))
        let second = try #require(Alloc.run([group], cases: cases, agents: agents, prior: Alloc.prior(cases, first)))
        #expect(second.assignments.allSatisfy { $0.kind == .kept })
    }

    @Test func robotGroupsHaveNoAgentButKeepContinuity() throws {
        var cases = Alloc.portfolio(20, seed: 10, bucket: "current")
        let first = try #require(Alloc.run([robot, early], cases: cases, agents: Alloc.agents(1, group: "early")))
        #expect(first.assignments.allSatisfy { $0.group == "robot" && $0.agentID.isEmpty && $0.kind == .new })
        let prior = Alloc.prior(cases, first)
        cases[0].bucket = "M0"
        let second = try #require(Alloc.run([robot, early], cases: cases, agents: Alloc.agents(1, group: "early"), prior: prior))
        #expect(second.assignments[0].kind == .recycled && second.assignments[0].group == "early")
        #expect(second.assignments.dropFirst().allSatisfy { $0.kind == .kept })
        #expect(second.loads.first { $0.group == "robot" }?.cases == 19)
    }

    @Test func casesNeedingASkillGoOnlyToAgentsWhoHaveIt() throws {
        var cases = Alloc.portfolio(200, seed: 11)
        for i in cases.indices where i % 4 == 0 { cases[i].segment = "large" }
        var agents = Alloc.agents(4, group: "early")
        agents[1].skills = ["senior"]
        let group = AllocationGroup(name: "early", buckets: ["M0"], rebalanceLimit: .cases(0), skills: ["large": "senior"])
        let outcome = try #require(Alloc.run([group], cases: cases, agents: agents))
        for (c, a) in zip(cases, outcome.assignments) where c.segment == "large" { #expect(a.agentID == "A002") }
        #expect(outcome.assignments.allSatisfy { $0.kind == .new })
        // The senior agent leaves: large cases wait for someone with the skill.
        let next = try #require(Alloc.run([group], cases: cases, agents: agents.filter { $0.id != "A002" },
                                          prior: Alloc.prior(cases, outcome)))
        for (c, a) in zip(cases, next.assignments) where c.segment == "large" {
            #expect(a.kind == .unassigned && a.reason == .noSkilledAgent)
        }
    }

    @Test func theSameInputsGiveTheSameAssignmentsWhateverTheRosterOrder() throws {
        let cases = Alloc.portfolio(2_000, seed: 12)
        let agents = Alloc.agents(7, group: "early")
        let a = try #require(Alloc.run([early], cases: cases, agents: agents))
        let b = try #require(Alloc.run([early], cases: cases, agents: agents.reversed()))
        #expect(a.assignments == b.assignments)
        #expect(a.loads == b.loads)
    }

    @Test func agencyCasesStayAndSharesHoldWithContinuity() throws {
        let group = AllocationGroup(name: "outsourced", kind: .agency, buckets: ["M3+"], shares: ["AG_A": 60, "AG_B": 40],
                                    rebalanceLimit: .cases(0))
        let agencies = ["AG_A", "AG_B"].map { Agent(id: $0, group: "outsourced", capacity: 100_000) }
        let cases = Alloc.portfolio(2_000, seed: 13, bucket: "M3+")
        let first = try #require(Alloc.run([group], cases: Array(cases.prefix(1_000)), agents: agencies))
        // The next night 1,000 new cases arrive: the kept ones stay, the new ones restore the shares.
        let second = try #require(Alloc.run([group], cases: cases, agents: agencies, prior: Alloc.prior(Array(cases.prefix(1_000)), first)))
        #expect(second.assignments.prefix(1_000).allSatisfy { $0.kind == .kept })
        let loads = Alloc.loads(cases, second)
        let total = Double(cases.reduce(Int64(0)) { $0 + $1.amountOverdue.minorUnits })
        #expect(abs(Double(loads["AG_A"]!.amount) / total - 0.6) < 0.001)
    }
}

@Suite("Allocation: no churn")
struct AllocationChurnTests {
    /// Five cases over two agents after one left the group: 3/2 is as even as it gets, whichever
    /// agent holds three; nothing moves.
    @Test func aMemberOneOverOnARoundingTieKeepsItsCases() throws {
        let group = AllocationGroup(name: "team", rebalanceLimit: .percent(100))
        let cases = Alloc.portfolio(6, seed: 21)
        let agents = Alloc.agents(2)
        let first = try #require(Alloc.run([group], cases: cases, agents: agents))
        // The case that leaves is one of the first agent's: it keeps 2, the other 3.
        let leaving = try #require(first.assignments.firstIndex { $0.agentID == "A001" })
        var tonight = cases
        tonight.remove(at: leaving)
        let second = try #require(Alloc.run([group], cases: tonight, agents: agents, prior: Alloc.prior(cases, first)))
        #expect(second.assignments.allSatisfy { $0.kind == .kept })
    }

    @Test func agenciesWithinOnePercentOfTheirShareKeepTheirCases() throws {
        let group = AllocationGroup(name: "out", kind: .agency, shares: ["AG_A": 50, "AG_B": 50], rebalanceLimit: .percent(100))
        let agencies = ["AG_A", "AG_B"].map { Agent(id: $0, group: "out", capacity: 10_000) }
        let cases = Alloc.portfolio(2_000, seed: 22)
        let first = try #require(Alloc.run([group], cases: cases, agents: agencies))
        // A few small cases settle: shares drift by far less than 1%.
        let tonight = Array(cases.dropFirst(5))
        let second = try #require(Alloc.run([group], cases: tonight, agents: agencies, prior: Alloc.prior(cases, first)))
        #expect(second.assignments.allSatisfy { $0.kind == .kept })
    }
}
