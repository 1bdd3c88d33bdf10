@testable import DunningCore
import Testing

/// A `ContactScenario` with case allocation: the strategy's groups, tonight's assignment of each
/// case (kept in the same order as the scenario's cases) and the agents' calls per day.
struct AllocatedScenario {
    static let groupsAnchor = SourceAnchor(file: "strategy.yaml", line: 40, column: 3)

    var s: ContactScenario
    /// nil = the strategy allocates nothing.
    var allocation: AllocationPolicy? = AllocationPolicy(
        groups: [AllocationGroup(name: "team"), AllocationGroup(name: "robots", kind: .robot)], anchor: groupsAnchor)
    /// One per case of `s.cases`, same order.
    var assignments: [Assignment] = []
    var agentCallsPerDay: [String: Int] = [:]

    init(_ steps: [TreatmentStep] = []) { s = ContactScenario(steps) }

    /// Adds a case worked by `agent` in `group`; an empty agent leaves it without a member
    /// (robot group, or unassigned in an agents group).
    mutating func addCase(_ customer: String = "C1", product: String = "cash", agent: String, group: String = "team",
                          kind: AssignmentKind? = nil, segment: String = "everyone", emergencyContacts: Int = 0) {
        s.addCase(customer, product: product, segment: segment, emergencyContacts: emergencyContacts)
        assignments.append(Assignment(group: group, agentID: agent, kind: kind ?? (agent.isEmpty ? .unassigned : .kept)))
    }

    /// A case of the robot group.
    mutating func addRobotCase(_ customer: String = "C1", product: String = "cash", emergencyContacts: Int = 0) {
        addCase(customer, product: product, agent: "", group: "robots", kind: .new, emergencyContacts: emergencyContacts)
    }

    var strategy: Strategy {
        var strategy = s.strategy
        strategy.allocation = allocation
        return strategy
    }

    var input: ContactPlanner.NightInput {
        var input = s.input
        input.assignments = assignments
        input.agentCallsPerDay = agentCallsPerDay
        return input
    }

    func plan() -> ContactPlan {
        ContactPlanner(strategy: strategy, asOf: s.asOf, previousRun: s.previousRun, clock: s.clock).plan(input)
    }
}

/// The contact plan with case allocation: agent calls go to the case's member, cases without one
/// get no agent call, members' calls per day, and groups' treatments.
@Suite("Contact planner: case allocation")
struct ContactAllocationTests {
    static let d0 = C.day("2026-03-10")

    static func creditNotice(_ customer: String, product: String = "cash") -> Action {
        Action(caseKey: ContactScenario.key(customer, product), episode: 1, loanID: "L1", kind: .creditNotice,
               dueOn: d0, actedOn: d0, amount: nil)
    }

    // MARK: Agents on planned contacts

    /// Calls carry the case's agent; SMS and IVR carry none. Cases are given out of key order so
    /// that each assignment must follow its own case through the planner's sorting.
    @Test func callsCarryTheCaseAgentOtherChannelsDoNot() {
        var a = AllocatedScenario([C.sms(), C.ivr(), C.call()])
        a.addCase("C3", agent: "A3")
        a.addCase("C1", agent: "A1")
        a.addCase("C2", agent: "A2")
        let plan = a.plan()
        #expect(plan.deferrals.isEmpty)
        #expect(plan.planned.sorted() == ["C1 call@D+10 call", "C1 ivr@D+10 ivr", "C1 sms@D+10 sms",
                                          "C2 call@D+10 call", "C2 ivr@D+10 ivr", "C2 sms@D+10 sms",
                                          "C3 call@D+10 call", "C3 ivr@D+10 ivr", "C3 sms@D+10 sms"])
        let calls = plan.contacts.filter { $0.channel == .call }.map { "\($0.customerID) \($0.agentID)" }
        #expect(calls.sorted() == ["C1 A1", "C2 A2", "C3 A3"])
        #expect(plan.contacts.filter { $0.channel != .call }.allSatisfy { $0.agentID.isEmpty })
    }

    /// Assignments are per case: one customer's cash case has an agent, its card case is a robot's.
    @Test func assignmentIsPerCaseNotPerCustomer() {
        var a = AllocatedScenario([C.call()])
        a.addRobotCase("C1", product: "card")
        a.addCase("C1", product: "cash", agent: "A1")
        let plan = a.plan()
        let cash = ContactScenario.key("C1", "cash").caseID(episode: 1)
        let card = ContactScenario.key("C1", "card").caseID(episode: 1)
        #expect(plan.contacts.map { "\($0.caseID) \($0.agentID)" } == ["\(cash) A1"])
        #expect(plan.deferrals.map { "\($0.caseID) \($0.heldBy.rawValue)" } == ["\(card) no_agent"])
    }

    /// An emergency-contact call is a call: it carries the agent, and needs one.
    @Test func emergencyContactCallsCarryAndNeedAnAgent() {
        func scenario(robot: Bool) -> AllocatedScenario {
            var a = AllocatedScenario([C.thirdParty()])
            if robot { a.addRobotCase(emergencyContacts: 1) } else { a.addCase(agent: "A1", emergencyContacts: 1) }
            for back in 1...3 { a.s.events("C1", .callAttempt, 2, on: Self.d0 - back) }
            return a
        }
        let plan = scenario(robot: false).plan()
        #expect(plan.planned == ["C1 tp@D+10 call"])
        #expect(plan.contacts.first?.target == .emergencyContact)
        #expect(plan.contacts.first?.agentID == "A1")
        #expect(scenario(robot: true).plan().held == ["C1 tp@D+10 no_agent dropped"])
    }

    /// The promise-to-pay reminder by call goes to the case's agent too.
    @Test func promiseReminderCallCarriesTheAgent() {
        var a = AllocatedScenario()
        a.s.policy.promise.reminder = (channel: .call, template: "PTP")
        a.addCase(agent: "A7")
        a.s.event(.ptp, on: Self.d0 - 2, value: "2026-03-10")
        let plan = a.plan()
        #expect(plan.planned == ["C1 ptp_reminder@2026-03-10 call"])
        #expect(plan.contacts.first?.agentID == "A7")
    }

    // MARK: No agent

    /// A robot-group case gets its SMS, but its agent call is held: nobody would make it.
    @Test func robotCaseCallIsHeldNoAgentWhileSmsGoesOut() {
        var a = AllocatedScenario([C.sms(), C.call()])
        a.addRobotCase()
        let plan = a.plan()
        #expect(plan.planned == ["C1 sms@D+10 sms"])
        #expect(plan.held == ["C1 call@D+10 no_agent dropped"])
        #expect(plan.contacts.first?.agentID == "")
    }

    /// A case in an agents group that no member could take tonight, or in no group at all.
    @Test(arguments: [Assignment(group: "team", agentID: "", kind: .unassigned, reason: .capacityFull),
                      Assignment(group: "team", agentID: "", kind: .unassigned, reason: .noActiveAgent),
                      Assignment(group: "", agentID: "", kind: .unassigned)])
    func unassignedCaseIsHeldNoAgent(assignment: Assignment) {
        var a = AllocatedScenario([C.sms(), C.call(valid: 3)])
        a.addCase(agent: "A1")
        a.assignments = [assignment]
        let plan = a.plan()
        #expect(plan.planned == ["C1 sms@D+10 sms"])
        #expect(plan.held == ["C1 call@D+10 no_agent deferred"])
        // Held, not dropped: it may still go out within its validity once the case has an agent.
        #expect(plan.deferrals.first?.retryUntil == Self.d0 + 2)
        #expect(plan.deferrals.first?.channel == .call)
    }

    /// The same case with an agent tonight gets the call that was held for want of one.
    @Test func heldCallGoesOutOnceTheCaseHasAnAgent() {
        var a = AllocatedScenario([C.call(valid: 3)])
        a.addCase(agent: "")
        #expect(a.plan().held == ["C1 call@D+10 no_agent deferred"])
        var next = a
        next.s = a.s.later(1)
        next.s.previousRun = Self.d0
        next.assignments = [Assignment(group: "team", agentID: "A1", kind: .new, reason: .previouslyUnassigned)]
        let plan = next.plan()
        #expect(plan.planned == ["C1 call@D+11 call"])
        #expect(plan.contacts.first?.agentID == "A1")
    }

    /// Suppression, holidays, promises and the emergency-contact rules speak first; a case
    /// without an agent is held `no_agent` whatever the rules after it would say.
    enum Situation: String, CaseIterable {
        // Before the no-agent check.
        case dispute, holiday, promise, noEmergencyContact, emergencyRules
        // After it.
        case window, capChannelDay, capChannel7Days, callQuietPeriod, capCustomerDay

        /// The rule that holds the call when the case has an agent.
        var rule: HoldReason {
            switch self {
            case .dispute: return .dispute
            case .holiday: return .holiday
            case .promise: return .promiseToPay
            case .noEmergencyContact: return .noEmergencyContact
            case .emergencyRules: return .emergencyContactRules
            case .window: return .window
            case .capChannelDay: return .capChannelDay
            case .capChannel7Days: return .capChannel7Days
            case .callQuietPeriod: return .callQuietPeriod
            case .capCustomerDay: return .capCustomerDay
            }
        }

        var beforeNoAgent: Bool { rule < .noAgent }

        func scenario(robot: Bool) -> AllocatedScenario {
            let d0 = ContactAllocationTests.d0
            let thirdParty = self == .noEmergencyContact || self == .emergencyRules
            var a = AllocatedScenario([thirdParty ? C.thirdParty() : C.call()])
            let contacts = self == .noEmergencyContact ? 0 : 1
            if robot { a.addRobotCase(emergencyContacts: contacts) } else { a.addCase(agent: "A1", emergencyContacts: contacts) }
            switch self {
            case .dispute: a.s.event(.dispute, on: d0 - 3)
            case .holiday: a.s.policy.holidays = [d0]
            case .promise: a.s.event(.ptp, on: d0 - 1, value: "2026-03-15")
            case .noEmergencyContact:
                for back in 1...3 { a.s.events("C1", .callAttempt, 2, on: d0 - back) }
            case .emergencyRules: break // no failed attempts
            case .window:
                a.s.policy.channels[.call] = ChannelRules(window: C.band("06:00-07:00"), perDay: 3, per7Days: 7,
                                                          quietDaysAfterConversation: 7)
            case .capChannelDay: a.s.events("C1", .callAttempt, 3, on: d0) // tonight's day: reported attempts
            case .capChannel7Days:
                a.s.planned(.call, on: d0 - 1, count: 3)
                a.s.planned(.call, on: d0 - 2, count: 3)
                a.s.planned(.call, on: d0 - 3, count: 1)
            case .callQuietPeriod: a.s.event(.callConnected, on: d0 - 1)
            case .capCustomerDay:
                a.s.policy.perCustomerPerDay = 2
                a.s.events("C1", .smsSent, 2, on: d0)
            }
            return a
        }
    }

    @Test(arguments: Situation.allCases)
    func noAgentComesAfterSuppressionPromiseAndEmergencyRulesBeforeWindowAndCaps(situation: Situation) {
        let withAgent = situation.scenario(robot: false).plan()
        #expect(withAgent.contacts.isEmpty)
        #expect(withAgent.deferrals.map(\.heldBy) == [situation.rule])
        let robot = situation.scenario(robot: true).plan()
        #expect(robot.contacts.isEmpty)
        #expect(robot.deferrals.map(\.heldBy) == [situation.beforeNoAgent ? situation.rule : .noAgent])
    }

    /// A call held for want of an agent does not use the customer's caps: tonight's other
    /// contacts still fit.
    @Test func noAgentHoldUsesNoCap() {
        var a = AllocatedScenario([C.call(priority: 90), C.sms(priority: 10)])
        a.s.policy.perCustomerPerDay = 1
        a.addRobotCase()
        let plan = a.plan()
        #expect(plan.planned == ["C1 sms@D+10 sms"])
        #expect(plan.held == ["C1 call@D+10 no_agent dropped"])
    }

    // MARK: Agents' calls per day

    /// One customer per (agent, priority), each in a segment whose treatment has a call of that
    /// priority (valid 3 days) and an SMS of priority 99 (the SMS comes first in the schedule).
    static func callsPerAgent(_ calls: [(agent: String, priorities: [Int])]) -> AllocatedScenario {
        var a = AllocatedScenario()
        a.s.segments = []
        for (agent, priorities) in calls {
            for p in priorities {
                let name = "\(agent)-\(p)"
                a.s.policy.treatments[name] = Treatment(name: name, steps: [C.call("call\(p)", priority: p, valid: 3),
                                                                             C.sms("sms\(p)", priority: 99)])
                a.s.segments.append(SegmentRule(name: name, treatment: name))
                a.addCase(name, agent: agent, segment: name)
            }
        }
        a.s.segments.append(SegmentRule(name: "everyone"))
        return a
    }

    /// Limit 2 and 5 calls: the 2 highest priorities go out, the other 3 wait (still valid);
    /// another agent with no limit, and one under its limit, lose nothing; SMS are not calls.
    @Test func callsPerDayCapsTheAgentExactly() {
        var a = Self.callsPerAgent([("A1", [30, 10, 50, 20, 40]), ("A2", [15, 25, 35]), ("A3", [12, 22, 32])])
        a.agentCallsPerDay = ["A1": 2, "A3": 3]
        let plan = a.plan()
        let calls = plan.contacts.filter { $0.channel == .call }
        #expect(calls.filter { $0.agentID == "A1" }.map(\.priority).sorted() == [40, 50])
        #expect(calls.filter { $0.agentID == "A2" }.map(\.priority).sorted() == [15, 25, 35])
        #expect(calls.filter { $0.agentID == "A3" }.map(\.priority).sorted() == [12, 22, 32])
        #expect(plan.held.sorted() == ["A1-10 call10@D+10 agent_capacity deferred",
                                       "A1-20 call20@D+10 agent_capacity deferred",
                                       "A1-30 call30@D+10 agent_capacity deferred"])
        #expect(plan.deferrals.allSatisfy { $0.retryUntil == Self.d0 + 2 && $0.channel == .call })
        #expect(plan.contacts.filter { $0.channel == .sms }.count == 11)
    }

    @Test(arguments: [(0, [Int]()), (1, [50]), (4, [20, 30, 40, 50]), (5, [10, 20, 30, 40, 50]), (9, [10, 20, 30, 40, 50])])
    func callsPerDayLimits(limit: Int, planned: [Int]) {
        var a = Self.callsPerAgent([("A1", [30, 10, 50, 20, 40])])
        a.agentCallsPerDay = ["A1": limit]
        let plan = a.plan()
        #expect(plan.contacts.filter { $0.channel == .call }.map(\.priority).sorted() == planned)
        #expect(plan.held(.agentCapacity).count == 5 - planned.count)
        #expect(plan.deferrals.count == 5 - planned.count)
    }

    /// Calls an agent could not make do not use the channel's capacity: other agents' calls fit.
    @Test func agentCapacityHoldUsesNoChannelCapacity() {
        var a = Self.callsPerAgent([("A1", [90, 80, 70]), ("A2", [60, 50])])
        a.s.policy.channels[.call] = ChannelRules(perDay: 3, per7Days: 7, quietDaysAfterConversation: 7, dailyCapacity: 3)
        a.agentCallsPerDay = ["A1": 1]
        let plan = a.plan()
        #expect(plan.contacts.filter { $0.channel == .call }.map { "\($0.agentID) \($0.priority)" }.sorted()
                == ["A1 90", "A2 50", "A2 60"])
        #expect(plan.held.sorted() == ["A1-70 call70@D+10 agent_capacity deferred", "A1-80 call80@D+10 agent_capacity deferred"])
    }

    /// Required notices by call are never held for the agent's calls per day; they use them up.
    @Test func requiredNoticeByCallIsNotHeldByAgentCapacity() {
        var a = AllocatedScenario([C.call(valid: 3)])
        a.s.policy.notices[.creditNotice] = NoticeRule(kind: .creditNotice, channel: .call, template: "N",
                                                       required: true, validDays: 3)
        for c in ["C1", "C2", "C3"] {
            a.addCase(c, agent: "A1")
            a.s.actions.append(Self.creditNotice(c))
        }
        a.agentCallsPerDay = ["A1": 1]
        var plan = a.plan()
        #expect(plan.contacts.filter(\.required).map { "\($0.customerID) \($0.agentID)" }.sorted()
                == ["C1 A1", "C2 A1", "C3 A1"])
        // The notices used the agent's one call: every treatment call waits.
        #expect(plan.contacts.filter { !$0.required }.isEmpty)
        #expect(plan.held.sorted() == ["C1 call@D+10 agent_capacity deferred", "C2 call@D+10 agent_capacity deferred",
                                       "C3 call@D+10 agent_capacity deferred"])
        #expect(plan.deferrals.allSatisfy { !$0.required })
        // Even with no calls at all.
        a.agentCallsPerDay = ["A1": 0]
        plan = a.plan()
        #expect(plan.contacts.filter(\.required).count == 3)
        #expect(plan.held(.agentCapacity).count == 3)
        // With room for four: the three notices and one treatment call.
        a.agentCallsPerDay = ["A1": 4]
        plan = a.plan()
        #expect(plan.contacts.filter(\.required).count == 3)
        #expect(plan.contacts.filter { !$0.required }.count == 1)
        #expect(plan.held(.agentCapacity).count == 2)
    }

    /// Without allocation, a calls-per-day entry concerns nobody: calls carry no agent.
    @Test func callsPerDayNeedsAnAgent() {
        var a = AllocatedScenario([C.call()])
        a.allocation = nil
        for c in ["C1", "C2", "C3"] { a.s.addCase(c) }
        a.agentCallsPerDay = ["": 0, "A1": 0]
        let plan = a.plan()
        #expect(plan.contacts.count == 3)
        #expect(plan.deferrals.isEmpty)
    }

    // MARK: Group treatments

    /// Groups with their own treatments: `robots` (IVR only) and `vip` (a softer call); `team`
    /// keeps the segment's SMS + call.
    static func groupTreatments() -> AllocatedScenario {
        var a = AllocatedScenario([C.sms(), C.call()])
        a.s.policy.treatments["robot_ivr"] = Treatment(name: "robot_ivr", steps: [C.ivr("robot")])
        a.s.policy.treatments["vip_call"] = Treatment(name: "vip_call", steps: [C.call("vip", priority: 70)])
        a.s.policy.treatments["gentle"] = Treatment(name: "gentle", steps: [C.sms("soft")])
        a.s.policy.complaint.treatmentAfter = "gentle"
        a.allocation = AllocationPolicy(groups: [AllocationGroup(name: "vip", treatment: "vip_call"),
                                                 AllocationGroup(name: "team"),
                                                 AllocationGroup(name: "robots", kind: .robot, treatment: "robot_ivr")],
                                        anchor: AllocatedScenario.groupsAnchor)
        return a
    }

    @Test func groupTreatmentReplacesTheSegmentTreatment() {
        var a = Self.groupTreatments()
        a.addRobotCase("C1")
        a.addCase("C2", agent: "A2", group: "team")
        a.addCase("C3", agent: "A3", group: "vip")
        let plan = a.plan()
        #expect(plan.planned.sorted() == ["C1 robot@D+10 ivr", "C2 call@D+10 call", "C2 sms@D+10 sms", "C3 vip@D+10 call"])
        // The robot case's segment call is not even tried: its group's treatment has none.
        #expect(plan.deferrals.isEmpty)
        #expect(plan.contacts.first { $0.customerID == "C3" }?.agentID == "A3")
        #expect(plan.contacts.first { $0.customerID == "C3" }?.priority == 70)
    }

    /// The group's treatment applies to its cases whether or not a member took them.
    @Test func groupTreatmentAppliesToUnassignedCasesOfTheGroup() {
        var a = Self.groupTreatments()
        a.addCase("C1", agent: "", group: "vip")
        #expect(a.plan().held == ["C1 vip@D+10 no_agent dropped"])
    }

    /// During a complaint's gentle period the gentle treatment wins over the group's; the pause
    /// before it holds the group's steps; after it the group's treatment is back.
    @Test(arguments: [(10, ["C1 soft@D+10 sms", "C2 soft@D+10 sms"], [String]()),
                      (2, [], ["C1 robot@D+10 suppressed_complaint dropped", "C2 vip@D+10 suppressed_complaint dropped"]),
                      (97, ["C1 robot@D+10 ivr", "C2 vip@D+10 call"], [])])
    func complaintGentleTreatmentWinsOverTheGroupTreatment(daysAgo: Int, planned: [String], held: [String]) {
        var a = Self.groupTreatments()
        a.addRobotCase("C1")
        a.addCase("C2", agent: "A2", group: "vip")
        a.s.event("C1", .complaint, on: Self.d0 - daysAgo, hour: 9)
        a.s.event("C2", .complaint, on: Self.d0 - daysAgo, hour: 9)
        let plan = a.plan()
        #expect(plan.planned.sorted() == planned)
        #expect(plan.held.sorted() == held)
    }

    // MARK: Without allocation

    /// No allocation section and no assignments: calls go out as before, with no agent, and the
    /// groups' treatments (there are none) change nothing.
    @Test func withoutAllocationNothingChanges() {
        var s = ContactScenario([C.sms(), C.ivr(), C.call(), C.thirdParty()])
        s.addCase("C1", emergencyContacts: 1)
        s.addCase("C2")
        for back in 1...3 { s.events("C1", .callAttempt, 2, on: Self.d0 - back) }
        var a = AllocatedScenario()
        a.s = s
        a.allocation = nil
        a.assignments = []
        let plan = a.plan()
        #expect(plan.planned.sorted() == ["C1 call@D+10 call", "C1 ivr@D+10 ivr", "C1 sms@D+10 sms", "C1 tp@D+10 call",
                                          "C2 call@D+10 call", "C2 ivr@D+10 ivr", "C2 sms@D+10 sms"])
        #expect(plan.contacts.allSatisfy { $0.agentID.isEmpty })
        #expect(plan.deferrals.map(\.heldBy) == [.noEmergencyContact])
        // The same as the planner called without the allocation inputs at all.
        let plain = s.plan()
        #expect(plan.contacts == plain.contacts)
        #expect(plan.deferrals == plain.deferrals)
    }

    /// The same night, allocated: the calls now carry agents and only the robot case's are held.
    @Test func allocationOnlyAddsAgentsAndNoAgentHolds() {
        var a = AllocatedScenario([C.sms(), C.ivr(), C.call()])
        a.addCase("C1", agent: "A1")
        a.addRobotCase("C2")
        let allocated = a.plan()
        var plain = a
        plain.allocation = nil
        plain.assignments = []
        let before = plain.plan()
        #expect(before.contacts.allSatisfy { $0.agentID.isEmpty })
        #expect(before.deferrals.isEmpty)
        #expect(allocated.held == ["C2 call@D+10 no_agent dropped"])
        // Everything else is the same contact at the same minute; only the agent was added.
        let expected = before.contacts.filter { !($0.customerID == "C2" && $0.channel == .call) }.map { c in
            var c = c
            if c.customerID == "C1", c.channel == .call { c.agentID = "A1" }
            return c
        }
        #expect(allocated.contacts == expected)
    }
}
