@testable import DunningCore
import Testing

/// Behaviour the other allocation tests left unpinned, found by mutation testing: each test here
/// fails when one specific piece of the allocation core is broken (see the comment on each).
@Suite("Allocation: gaps found by mutation")
struct AllocationMutationGapTests {
    /// Last night's assignment of every case to one member of `group`.
    static func held(_ cases: some Sequence<CaseState>, by agent: String, group: String = "team") -> [String: PriorAssignment] {
        Dictionary(uniqueKeysWithValues: cases.map { ($0.caseID, PriorAssignment(group: group, agentID: agent, bucket: $0.bucket)) })
    }

    static func total(_ cases: some Sequence<CaseState>) -> Int64 {
        cases.reduce(Int64(0)) { $0 + $1.amountOverdue.minorUnits }
    }

    static func load(_ outcome: CaseAllocator.Outcome, _ agent: String) -> MemberLoad? {
        outcome.loads.first { $0.agentID == agent }
    }

    // MARK: Apportionment

    /// Leftover cases go to the largest remainders: 10 cases at weights 1:2 are 3.33 and 6.67,
    /// so 3 and 7 (not 4 and 6, which would also be "within one case").
    @Test func leftoverCasesGoToTheLargestRemainder() {
        let fair = Apportionment.fairShares(total: 10, shares: [1000, 2000], floors: [0, 0], caps: [100, 100])
        #expect(Apportionment.wholeCases(fair) == [3, 7])
        let seven = Apportionment.fairShares(total: 7, shares: [1, 2, 2], floors: [0, 0, 0], caps: [10, 10, 10])
        // 1.4, 2.8, 2.8: the two largest remainders (0.8) take the leftover case.
        #expect(Apportionment.wholeCases(seven) == [1, 3, 3])
    }

    /// Hundredths are rounded down: 10/3 cases is 3.33, 20/3 is 6.66.
    @Test func shareHundredthsRoundDown() {
        let fair = Apportionment.fairShares(total: 10, shares: [1, 2], floors: [0, 0], caps: [100, 100])
        #expect(fair.map(\.hundredths) == [333, 666])
    }

    // MARK: LoadBalancer, count rules

    /// Kept cases are floors: 30 and 10 kept, 20 new cases over three agents: the level is 15, so
    /// the first keeps 30 and takes nothing, the others end at 15 each.
    @Test func keptCasesAreFloorsOfTheSplit() throws {
        let cases = Alloc.portfolio(60, seed: 41)
        var prior = Self.held(cases[0..<30], by: "A001")
        prior.merge(Self.held(cases[30..<40], by: "A002")) { a, _ in a }
        let outcome = try #require(Alloc.run([Alloc.team()], cases: cases, agents: Alloc.agents(3), prior: prior))
        let loads = Alloc.loads(cases, outcome)
        #expect(loads["A001"]?.count == 30)
        #expect(loads["A002"]?.count == 15)
        #expect(loads["A003"]?.count == 15)
        #expect(outcome.assignments.filter { $0.kind == .kept }.count == 40)
    }

    /// count_and_amount aims each member at its final count (kept + new) times the group average:
    /// 300 and 100 kept, 400 new cases over two agents end at 400 cases and half the amount each.
    @Test func amountTargetsCountKeptCases() throws {
        let cases = Alloc.portfolio(800, seed: 32)
        var prior = Self.held(cases[0..<300], by: "A001")
        prior.merge(Self.held(cases[300..<400], by: "A002")) { a, _ in a }
        let outcome = try #require(Alloc.run([Alloc.team()], cases: cases, agents: Alloc.agents(2), prior: prior))
        let loads = Alloc.loads(cases, outcome)
        let half = Double(Self.total(cases)) / 2
        for agent in ["A001", "A002"] {
            let load = try #require(loads[agent])
            #expect(load.count == 400)
            #expect(abs(Double(load.amount) - half) / half < 0.01, "\(agent) amount \(load.amount), half \(half)")
        }
    }

    /// A member holding stopped cases above its capacity counts with what it holds: the two
    /// others split the 20 new cases 10 and 10 (balance: count, so the counts come straight from
    /// the apportionment).
    @Test func stoppedCasesAboveCapacityStillCountAsTheMembersLoad() throws {
        let kept = (1...10).map { Alloc.caseState("S\($0)") }
        let fresh = (1...20).map { Alloc.caseState("N\($0)", amount: Int64(1_000 * $0)) }
        let cases = kept + fresh
        var agents = Alloc.agents(3)
        agents[0].capacity = 5
        for balance in [BalanceRule.count, .countAndAmount] {
            let outcome = try #require(Alloc.run([Alloc.team(balance: balance)], cases: cases, agents: agents,
                                                 prior: Self.held(kept, by: "A001"), stopped: Set(kept.map(\.key.customerID))))
            let loads = Alloc.loads(cases, outcome)
            #expect(loads["A001"]?.count == 10, "\(balance)")
            #expect(loads["A002"]?.count == 10, "\(balance)")
            #expect(loads["A003"]?.count == 10, "\(balance)")
        }
    }

    /// Equal needs per case: the lowest member comes first, so A001 gets the larger of two cases.
    @Test func countAndAmountTiesGoToTheLowestMember() throws {
        let cases = [Alloc.caseState("C1", amount: 50_000), Alloc.caseState("C2", amount: 100_000)]
        let outcome = try #require(Alloc.run([Alloc.team()], cases: cases, agents: Alloc.agents(2)))
        #expect(outcome.assignments.map(\.agentID) == ["A002", "A001"])
    }

    /// balance: count gives each member exactly its whole fair share (4, 3, 3 of 10)...
    @Test func countRuleGivesEachMemberItsWholeShare() throws {
        let cases = Alloc.portfolio(10, seed: 42)
        let outcome = try #require(Alloc.run([Alloc.team(balance: .count)], cases: cases, agents: Alloc.agents(3)))
        let loads = Alloc.loads(cases, outcome)
        #expect(loads.mapValues(\.count) == ["A001": 4, "A002": 3, "A003": 3])
        #expect(outcome.assignments.allSatisfy { $0.kind == .new })
    }

    /// ...in hash order, not by amount: neither agent gets all the largest cases.
    @Test func countRuleDoesNotSortByAmount() throws {
        let cases = (1...100).map { Alloc.caseState("C\($0)", amount: Int64($0) * 1_000) }
        let outcome = try #require(Alloc.run([Alloc.team(balance: .count)], cases: cases, agents: Alloc.agents(2)))
        let amounts = Dictionary(grouping: zip(cases, outcome.assignments), by: \.1.agentID)
            .mapValues { $0.map(\.0.amountOverdue.minorUnits) }
        let a = try #require(amounts["A001"]), b = try #require(amounts["A002"])
        #expect(a.count == 50 && b.count == 50)
        // The two sets interleave: each has a case larger than some case of the other.
        #expect(a.max()! > b.min()! && b.max()! > a.min()!)
        #expect(a.min()! < 10_000 || b.min()! < 10_000)
        #expect(a.max()! > 90_000 || b.max()! > 90_000)
        let sumA = a.reduce(0, +), top50 = (51...100).reduce(Int64(0)) { $0 + Int64($1) * 1_000 }
        #expect(sumA < top50 && sumA > Self.total(cases) - top50)
    }

    /// Skill cases are split first, so that the skilled member's share of the other cases counts
    /// them: 50 "large" cases for the one senior of four agents, 150 others, 50 cases each.
    @Test func skillCasesCountTowardTheSkilledMembersShare() throws {
        var cases = Alloc.portfolio(200, seed: 11)
        for i in cases.indices where i % 4 == 0 { cases[i].segment = "large" }
        var agents = Alloc.agents(4)
        agents[1].skills = ["senior"]
        let outcome = try #require(Alloc.run([Alloc.team(skills: ["large": "senior"])], cases: cases, agents: agents))
        let loads = Alloc.loads(cases, outcome)
        #expect(loads.values.allSatisfy { $0.count == 50 }, "\(loads.mapValues(\.count))")
    }

    // MARK: LoadBalancer, amount rule

    /// The amount rule respects capacity too: on the first night and when the member starts the
    /// night full with kept cases.
    @Test func amountRuleNeverExceedsCapacity() throws {
        let group = AllocationGroup(name: "out", kind: .agency, shares: ["AG_A": 50, "AG_B": 50], rebalanceLimit: .cases(0))
        let agencies = [Agent(id: "AG_A", group: "out", capacity: 10), Agent(id: "AG_B", group: "out", capacity: 10_000)]
        let cases = Alloc.portfolio(200, seed: 43)
        let first = try #require(Alloc.run([group], cases: Array(cases.prefix(100)), agents: agencies))
        #expect(Alloc.loads(Array(cases.prefix(100)), first)["AG_A"]?.count == 10)
        #expect(Alloc.loads(Array(cases.prefix(100)), first)["AG_B"]?.count == 90)
        let second = try #require(Alloc.run([group], cases: cases, agents: agencies, prior: Alloc.prior(Array(cases.prefix(100)), first)))
        let loads = Alloc.loads(cases, second)
        #expect(loads["AG_A"]?.count == 10)
        #expect(loads["AG_B"]?.count == 190)
    }

    /// Equal shares, one case: the lowest member takes it.
    @Test func amountRuleTiesGoToTheLowestMember() throws {
        let group = AllocationGroup(name: "out", kind: .agency, shares: ["AG_A": 50, "AG_B": 50], rebalanceLimit: .cases(0))
        let agencies = ["AG_A", "AG_B"].map { Agent(id: $0, group: "out", capacity: 100) }
        let outcome = try #require(Alloc.run([group], cases: [Alloc.caseState("C1")], agents: agencies))
        #expect(outcome.assignments.map(\.agentID) == ["AG_A"])
    }

    // MARK: releaseWindow

    /// Two runs equally close to the amount: the first (smaller cases) wins.
    @Test func releaseWindowTiesGoToTheFirstRun() {
        #expect(LoadBalancer.releaseWindow(sortedAmounts: [10, 20, 30], count: 1, amount: 25) == 1)
        #expect(LoadBalancer.releaseWindow(sortedAmounts: [10, 20, 30, 40], count: 2, amount: 40) == 0)  // 30 and 50
    }

    // MARK: CaseAllocator: continuity, reasons

    /// A robot group's stopped case is kept with reason stop_collection, and counted as stopped.
    @Test func robotStoppedCasesAreKeptAsStopped() throws {
        let robot = AllocationGroup(name: "robot", kind: .robot)
        let cases = Alloc.portfolio(4, seed: 44)
        let first = try #require(Alloc.run([robot], cases: cases, agents: []))
        let stopped: Set<String> = [cases[0].key.customerID]
        let second = try #require(Alloc.run([robot], cases: cases, agents: [], prior: Alloc.prior(cases, first), stopped: stopped))
        #expect(second.assignments[0] == Assignment(group: "robot", agentID: "", kind: .kept, reason: .stopCollection))
        #expect(second.assignments.dropFirst().allSatisfy { $0.kind == .kept && $0.reason == .none })
        #expect(second.groups[0].stopped == 1)
        #expect(second.loads[0].stopped == 1 && second.loads[0].kept == 4)
    }

    /// An agent who loses the skill a kept case needs lets it go to one who has it (moved, skill).
    @Test func aCaseMovesWhenItsAgentLosesTheSkill() throws {
        var cases = Alloc.portfolio(40, seed: 45)
        for i in cases.indices where i % 4 == 0 { cases[i].segment = "large" }
        let group = Alloc.team(skills: ["large": "senior"])
        var agents = Alloc.agents(3)
        agents[0].skills = ["senior"]
        let first = try #require(Alloc.run([group], cases: cases, agents: agents))
        agents[0].skills = []
        agents[2].skills = ["senior"]
        let second = try #require(Alloc.run([group], cases: cases, agents: agents, prior: Alloc.prior(cases, first)))
        for (c, (old, new)) in zip(cases, zip(first.assignments, second.assignments)) {
            if c.segment == "large" {
                #expect(old.agentID == "A001")
                #expect(new.agentID == "A003" && new.kind == .moved && new.reason == .skill)
            } else {
                #expect(new.kind == .kept && new.agentID == old.agentID)
            }
        }
    }

    /// A member over capacity lets go of kept cases worth about its average case each, not its
    /// smallest ones: the amount released is within one case of count x average.
    @Test func overCapacityReleasesCasesOfAverageAmount() throws {
        let cases = Alloc.portfolio(300, seed: 6)
        var agents = Alloc.agents(3)
        let first = try #require(Alloc.run([Alloc.team()], cases: cases, agents: agents))
        agents[0].capacity = 60
        let second = try #require(Alloc.run([Alloc.team()], cases: cases, agents: agents, prior: Alloc.prior(cases, first)))
        let held = zip(cases, first.assignments).filter { $0.1.agentID == "A001" }.map(\.0)
        let released = zip(cases, zip(first.assignments, second.assignments))
            .filter { $0.1.0.agentID == "A001" && $0.1.1.agentID != "A001" }.map(\.0)
        #expect(released.count == held.count - 60)
        let average = Double(Self.total(held)) / Double(held.count)
        let largest = Double(held.map(\.amountOverdue.minorUnits).max()!)
        #expect(abs(Double(Self.total(released)) - average * Double(released.count)) <= largest)
    }

    // MARK: CaseAllocator: rebalance

    /// Stopped cases never move, so a member over its share mostly by stopped cases gives up only
    /// its kept ones: 15 stopped and 5 kept, a new agent, any limit: the 5 move.
    @Test func rebalanceMovesOnlyKeptCasesOfAMemberWithStoppedOnes() throws {
        let cases = Alloc.portfolio(20, seed: 46)
        let stopped = Set(cases.prefix(15).map(\.key.customerID))
        let outcome = try #require(Alloc.run([Alloc.team(.cases(100))], cases: cases, agents: Alloc.agents(2),
                                             prior: Self.held(cases, by: "A001"), stopped: stopped))
        for (i, a) in outcome.assignments.enumerated() {
            if i < 15 { #expect(a.agentID == "A001" && a.kind == .kept && a.reason == .stopCollection) }
            else { #expect(a.agentID == "A002" && a.kind == .moved && a.reason == .rebalance) }
        }
        #expect(outcome.groups[0].rebalanced == 5)
    }

    /// Fair shares for rebalancing are capped by capacity: with one member at its capacity of 10
    /// and the others at 145 each, the loads are balanced and nothing moves.
    @Test func loadsBalancedAroundACappedMemberStay() throws {
        let cases = Alloc.portfolio(300, seed: 33)
        var agents = Alloc.agents(3)
        agents[1].capacity = 10
        let first = try #require(Alloc.run([Alloc.team()], cases: cases, agents: agents))
        #expect(Alloc.loads(cases, first).mapValues(\.count) == ["A001": 145, "A002": 10, "A003": 145])
        let second = try #require(Alloc.run([Alloc.team(.cases(1_000))], cases: cases, agents: agents, prior: Alloc.prior(cases, first)))
        #expect(second.assignments.allSatisfy { $0.kind == .kept })
        #expect(second.groups[0].rebalanced == 0)
    }

    /// Count rules release what brings the member's amount closest to its whole fair count x the
    /// group average: A002 holds 100, 200 and 600; A001 joins; A002's fair count is 1 (A001 takes
    /// the rounding case), so keeping 300 is closest to 1 x 300 and the 600 case moves.
    @Test func rebalanceReleasesTowardTheWholeFairCount() throws {
        let cases = [Alloc.caseState("C1", amount: 100), Alloc.caseState("C2", amount: 200), Alloc.caseState("C3", amount: 600)]
        let outcome = try #require(Alloc.run([Alloc.team(.cases(10))], cases: cases, agents: Alloc.agents(2),
                                             prior: Self.held(cases, by: "A002")))
        #expect(outcome.assignments.map(\.agentID) == ["A002", "A002", "A001"])
        #expect(outcome.assignments[2].kind == .moved && outcome.assignments[2].reason == .rebalance)
    }

    /// The amount rule's rebalance respects the limit too.
    @Test func amountRebalanceStopsAtTheLimit() throws {
        let group = AllocationGroup(name: "out", kind: .agency, shares: ["AG_A": 50, "AG_B": 50], rebalanceLimit: .cases(3))
        let agencies = ["AG_A", "AG_B"].map { Agent(id: $0, group: "out", capacity: 10_000) }
        let cases = Alloc.portfolio(200, seed: 47)
        let outcome = try #require(Alloc.run([group], cases: cases, agents: agencies, prior: Self.held(cases, by: "AG_A", group: "out")))
        #expect(outcome.assignments.filter { $0.kind == .moved }.count == 3)
        #expect(outcome.assignments.filter { $0.kind == .moved }.allSatisfy { $0.agentID == "AG_B" && $0.reason == .rebalance })
        #expect(outcome.groups[0].rebalanced == 3 && outcome.groups[0].rebalanceLimit == 3)
    }

    /// The member above its share gives up its largest case that does not overshoot the share: of
    /// 1,500, 200, 200 and 100 against a target of 1,000, the three small ones move, not the 1,500.
    @Test func amountRebalanceDoesNotOvershootTheShare() throws {
        let group = AllocationGroup(name: "out", kind: .agency, shares: ["AG_A": 50, "AG_B": 50], rebalanceLimit: .cases(10))
        let agencies = ["AG_A", "AG_B"].map { Agent(id: $0, group: "out", capacity: 10_000) }
        let cases = [1_500, 200, 200, 100].enumerated().map { Alloc.caseState("C\($0.offset)", amount: Int64($0.element)) }
        let outcome = try #require(Alloc.run([group], cases: cases, agents: agencies, prior: Self.held(cases, by: "AG_A", group: "out")))
        #expect(outcome.assignments.map(\.agentID) == ["AG_A", "AG_B", "AG_B", "AG_B"])
        #expect(outcome.groups[0].rebalanced == 3)
    }

    /// Once a member is within 1% of its amount share it stops giving: after the 4,980 case moves
    /// AG_A is 25 over a target of 5,005, so its case of 10 stays.
    @Test func amountRebalanceStopsWithinOnePercent() throws {
        let group = AllocationGroup(name: "out", kind: .agency, shares: ["AG_A": 50, "AG_B": 50], rebalanceLimit: .cases(10))
        let agencies = ["AG_A", "AG_B"].map { Agent(id: $0, group: "out", capacity: 10_000) }
        let cases = [5_020, 4_980, 10].enumerated().map { Alloc.caseState("C\($0.offset)", amount: Int64($0.element)) }
        let outcome = try #require(Alloc.run([group], cases: cases, agents: agencies, prior: Self.held(cases, by: "AG_A", group: "out")))
        #expect(outcome.assignments.map(\.agentID) == ["AG_A", "AG_B", "AG_A"])
        #expect(outcome.assignments.map(\.kind) == [.kept, .moved, .kept])
    }

    /// A case let go by the rebalance that comes back to the same member (a skill case only it
    /// can take) is kept, reason none, and not counted as rebalanced.
    @Test func aReleasedCaseThatComesBackIsKept() throws {
        var cases = Alloc.portfolio(20, seed: 31)
        for i in cases.indices where i % 4 == 0 { cases[i].segment = "large" }
        let group = Alloc.team(.cases(100), skills: ["large": "senior"])
        let senior = Agent(id: "A001", group: "team", capacity: 1_000, skills: ["senior"])
        let outcome = try #require(Alloc.run([group], cases: cases, agents: [senior, Agent(id: "A002", group: "team", capacity: 1_000)],
                                             prior: Self.held(cases, by: "A001")))
        for (c, a) in zip(cases, outcome.assignments) {
            if a.agentID == "A001" { #expect(a.kind == .kept && a.reason == .none, "\(c.caseID)") }
            else { #expect(a.agentID == "A002" && a.kind == .moved && a.reason == .rebalance, "\(c.caseID)") }
        }
        let moved = outcome.assignments.filter { $0.kind == .moved }.count
        #expect(moved > 0)
        #expect(outcome.groups[0].rebalanced == moved)
        #expect(Self.load(outcome, "A001")?.moved == 0)
    }

    /// The rebalance lets go only of cases another member could take: here the senior's five
    /// skill cases stay, ten of its others move, and the loads are even the first night and stay so
    /// (a skill case released would only come back, spending the limit for nothing).
    @Test func rebalanceWithSkillCasesEvensTheLoads() throws {
        var cases = Alloc.portfolio(20, seed: 31)
        for i in cases.indices where i % 4 == 0 { cases[i].segment = "large" }
        let group = Alloc.team(.cases(100), skills: ["large": "senior"])
        let agents = [Agent(id: "A001", group: "team", capacity: 1_000, skills: ["senior"]),
                      Agent(id: "A002", group: "team", capacity: 1_000)]
        let first = try #require(Alloc.run([group], cases: cases, agents: agents, prior: Self.held(cases, by: "A001")))
        let second = try #require(Alloc.run([group], cases: cases, agents: agents, prior: Alloc.prior(cases, first)))
        for outcome in [first, second] {
            let loads = Alloc.loads(cases, outcome).mapValues(\.count)
            #expect(loads == ["A001": 10, "A002": 10])
        }
        #expect(first.assignments.filter { $0.kind == .moved }.count == 10)
        #expect(second.assignments.allSatisfy { $0.kind == .kept })
        for (c, a) in zip(cases, first.assignments) where c.segment == "large" { #expect(a.agentID == "A001" && a.kind == .kept) }
    }

    /// Over capacity, a member lets go of cases others can take before the ones only it may work
    /// (which would otherwise wait unassigned); only when those are not enough do the others go.
    @Test func overCapacityLetsGoOfCasesOthersCanTakeFirst() throws {
        var cases = Alloc.portfolio(12, seed: 32)
        for i in cases.indices where i % 3 == 0 { cases[i].segment = "large" }   // 4 skill cases
        let group = Alloc.team(.cases(0), skills: ["large": "senior"])
        var agents = [Agent(id: "A001", group: "team", capacity: 1_000, skills: ["senior"]),
                      Agent(id: "A002", group: "team", capacity: 1_000)]
        agents[0].capacity = 6
        let outcome = try #require(Alloc.run([group], cases: cases, agents: agents, prior: Self.held(cases, by: "A001")))
        for (c, a) in zip(cases, outcome.assignments) where c.segment == "large" { #expect(a.agentID == "A001" && a.kind == .kept) }
        #expect(outcome.assignments.filter { $0.kind == .moved && $0.reason == .overCapacity }.count == 6)
        agents[0].capacity = 2
        let tight = try #require(Alloc.run([group], cases: cases, agents: agents, prior: Self.held(cases, by: "A001")))
        let large = zip(cases, tight.assignments).filter { $0.0.segment == "large" }.map(\.1)
        #expect(large.filter { $0.agentID == "A001" }.count == 2)
        #expect(large.filter { $0.kind == .unassigned && $0.reason == .noSkilledAgent }.count == 0)
        #expect(large.filter { $0.kind == .unassigned && $0.reason == .capacityFull }.count == 2)
    }

    // MARK: Balance figures

    /// 10 cases over three agents: ideal 3.33 cases and a third of the amount each; the worst
    /// gaps are +0.67 and -0.33 cases, and the amount gaps follow from each load and its ideal.
    @Test func figuresReportIdealsAndWorstGaps() throws {
        let cases = Alloc.portfolio(10, seed: 48)
        let outcome = try #require(Alloc.run([Alloc.team()], cases: cases, agents: Alloc.agents(3)))
        let total = Self.total(cases)
        var below: Int64 = 0, above: Int64 = 0
        for load in outcome.loads {
            #expect(load.idealCasesHundredths == 333)
            #expect(load.idealAmount.minorUnits == total / 3)
            let gap = (load.amount.minorUnits - total / 3) * 10_000 / (total / 3)
            below = min(below, gap)
            above = max(above, gap)
        }
        #expect(outcome.loads.map(\.cases).sorted() == [3, 3, 4])
        let g = outcome.groups[0]
        #expect(g.casesAboveIdeal == 67 && g.casesBelowIdeal == -33)
        #expect(below < 0 && above > 0)
        #expect(g.amountBelowIdeal == below && g.amountAboveIdeal == above)
        #expect(hundredths(g.casesAboveIdeal) == "0.67" && signedHundredths(g.casesBelowIdeal) == "-0.33")
    }

    /// A member's ideal is capped by its capacity: 10 of 100 cases (and a tenth of the amount) for
    /// an agent who may hold 10, 90 for the other.
    @Test func figuresCapTheIdealAtCapacity() throws {
        let cases = Alloc.portfolio(100, seed: 49)
        var agents = Alloc.agents(2)
        agents[0].capacity = 10
        let outcome = try #require(Alloc.run([Alloc.team()], cases: cases, agents: agents))
        let total = Self.total(cases)
        let a = try #require(Self.load(outcome, "A001")), b = try #require(Self.load(outcome, "A002"))
        #expect(a.cases == 10 && b.cases == 90)
        #expect(a.idealCasesHundredths == 1_000 && b.idealCasesHundredths == 9_000)
        #expect(a.idealAmount.minorUnits == total * 10 / 100 && b.idealAmount.minorUnits == total * 90 / 100)
        #expect(outcome.groups[0].casesAboveIdeal == 0 && outcome.groups[0].casesBelowIdeal == 0)
    }

    /// Inactive members have no ideal: the one active agent's ideal is every case.
    @Test func figuresLeaveInactiveMembersOut() throws {
        let cases = Alloc.portfolio(12, seed: 50)
        var agents = Alloc.agents(2)
        agents[1].active = false
        let outcome = try #require(Alloc.run([Alloc.team()], cases: cases, agents: agents))
        let a = try #require(Self.load(outcome, "A001")), b = try #require(Self.load(outcome, "A002"))
        #expect(a.cases == 12 && a.idealCasesHundredths == 1_200 && a.idealAmount.minorUnits == Self.total(cases))
        #expect(b.cases == 0 && b.idealCasesHundredths == 0 && b.idealAmount == .zero)
        #expect(outcome.groups[0].members == 1)
        #expect(outcome.groups[0].casesBelowIdeal == 0 && outcome.groups[0].amountBelowIdeal == 0)
    }
}
