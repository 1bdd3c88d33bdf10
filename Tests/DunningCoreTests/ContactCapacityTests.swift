@testable import DunningCore
import Testing

/// Portfolio-wide channel capacity (daily and hourly) and how contacts are spread over the window.
@Suite("Contact planner: capacity and spreading")
struct ContactCapacityTests {
    static let d0 = C.day("2026-03-10")

    /// One customer per priority, each in a segment whose treatment has one IVR step of that priority.
    static func prioritised(_ priorities: [Int], valid: Int = 1) -> ContactScenario {
        var s = ContactScenario()
        s.segments = []
        for p in priorities {
            s.policy.treatments["t\(p)"] = Treatment(name: "t\(p)", steps: [C.ivr("ivr\(p)", priority: p, valid: valid)])
            s.segments.append(SegmentRule(name: "s\(p)", products: ["p\(p)"], treatment: "t\(p)"))
            s.addCase("C\(p)", product: "p\(p)", segment: "s\(p)")
        }
        s.segments.append(SegmentRule(name: "everyone"))
        return s
    }

    @Test func dailyCapacityDefersTheLowestPriorities() {
        var s = Self.prioritised([30, 10, 40, 20])
        s.policy.channels[.ivr] = ChannelRules(perDay: 1, per7Days: 3, dailyCapacity: 2)
        let plan = s.plan()
        #expect(plan.contacts.map(\.priority).sorted() == [30, 40])
        #expect(plan.held.sorted() == ["C10 ivr10@D+10 capacity dropped", "C20 ivr20@D+10 capacity dropped"])
    }

    @Test func capacityDeferralKeepsItsValidity() {
        var s = Self.prioritised([10, 20], valid: 3)
        s.policy.channels[.ivr] = ChannelRules(perDay: 1, per7Days: 3, dailyCapacity: 1)
        let plan = s.plan()
        // Older daily occurrences are superseded; tonight's lower-priority one waits for capacity.
        #expect(plan.held(.capacity).count == 1)
        let deferral = plan.held(.capacity).first
        #expect(deferral?.outcome == .deferred)
        #expect(deferral?.retryUntil == Self.d0 + 2)
        #expect(deferral?.customerID == "C10")
    }

    /// Required notices are never deferred for capacity (they still use it).
    @Test func requiredNoticesAreNeverDeferredForCapacity() {
        var s = ContactScenario([C.sms(priority: 99)])
        s.policy.notices[.creditNotice] = NoticeRule(kind: .creditNotice, channel: .sms, template: "N", required: true, validDays: 3)
        s.policy.channels[.sms] = ChannelRules(perDay: 2, per7Days: 7, dailyCapacity: 1)
        for c in ["C1", "C2", "C3"] {
            s.addCase(c)
            s.actions.append(Action(caseKey: ContactScenario.key(c), episode: 1, loanID: "L1", kind: .creditNotice,
                                    dueOn: Self.d0, actedOn: Self.d0, amount: nil))
        }
        let plan = s.plan()
        #expect(plan.contacts.filter(\.required).count == 3)
        #expect(plan.contacts.filter { !$0.required }.isEmpty)
        #expect(plan.held(.capacity).count == 3)
        #expect(plan.deferrals.allSatisfy { !$0.required })
        // Even with no capacity at all.
        s.policy.channels[.sms]?.dailyCapacity = 0
        #expect(s.plan().contacts.filter(\.required).count == 3)
    }

    /// Agents' calls per hour: contacts are spread so that no hour exceeds it.
    @Test func hourlyCapacitySpreadsCalls() {
        var s = ContactScenario([C.call()])
        s.policy.channels[.call] = ChannelRules(window: C.band("09:00-12:00"), perDay: 3, per7Days: 7,
                                                quietDaysAfterConversation: 7, hourlyCapacity: 2)
        for i in 0..<6 { s.addCase("C\(i)") }
        var plan = s.plan()
        #expect(plan.contacts.count == 6)
        var perHour: [Int: Int] = [:]
        for c in plan.contacts { perHour[C.local(c.utcMinute, "Z/UTC", s.clock).minute / 60, default: 0] += 1 }
        #expect(perHour == [9: 2, 10: 2, 11: 2])
        // A seventh call has no hour left.
        s.addCase("C6")
        plan = s.plan()
        #expect(plan.contacts.count == 6)
        #expect(plan.held(.capacity).count == 1)
    }

    /// The preferred band fills first; the rest of the window takes the overflow.
    @Test func preferredBandOverflowsIntoTheWindow() {
        var s = ContactScenario([C.call(band: C.band("09:00-10:00"))])
        s.policy.channels[.call] = ChannelRules(perDay: 3, per7Days: 7, quietDaysAfterConversation: 7, hourlyCapacity: 1)
        for i in 0..<3 { s.addCase("C\(i)") }
        let plan = s.plan()
        #expect(plan.contacts.count == 3)
        let hours = plan.contacts.map { C.local($0.utcMinute, "Z/UTC", s.clock).minute / 60 }
        #expect(hours.filter { $0 == 9 }.count == 1)
        #expect(Set(hours).count == 3)
        #expect(hours.allSatisfy { (8..<21).contains($0) })
    }

    /// Without capacities, contacts are still spread over the window rather than all at 08:00.
    @Test func contactsAreSpreadOverTheWindow() {
        var s = ContactScenario([C.sms()])
        for i in 0..<120 { s.addCase("C\(i)") }
        let plan = s.plan()
        #expect(plan.contacts.count == 120)
        var perHour: [Int: Int] = [:]
        for c in plan.contacts { perHour[C.local(c.utcMinute, "Z/UTC", s.clock).minute / 60, default: 0] += 1 }
        #expect(perHour.keys.allSatisfy { (8..<21).contains($0) })
        #expect(perHour.count >= 10, "\(perHour)")
        #expect(perHour.values.max()! <= 25, "\(perHour)")
        #expect(perHour[8, default: 0] <= 25)
    }

    /// Capacity is per channel: SMS quota does not hold calls back.
    @Test func capacityIsPerChannel() {
        var s = ContactScenario([C.sms(), C.call()])
        s.policy.channels[.sms] = ChannelRules(perDay: 2, per7Days: 7, dailyCapacity: 1)
        for i in 0..<3 { s.addCase("C\(i)") }
        let plan = s.plan()
        #expect(plan.contacts.filter { $0.channel == .call }.count == 3)
        #expect(plan.contacts.filter { $0.channel == .sms }.count == 1)
        #expect(plan.held(.capacity).count == 2)
    }
}
