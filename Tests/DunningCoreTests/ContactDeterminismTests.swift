@testable import DunningCore
import Testing

/// The same inputs give the same plan, whatever order the cases, events and history come in.
@Suite("Contact planner: determinism")
struct ContactDeterminismTests {
    static let d0 = C.day("2026-03-10")

    /// 60 customers over several zones, with caps, capacity, events and earlier plans.
    static func portfolio() -> ContactScenario {
        var s = ContactScenario([C.sms(valid: 2), C.call(valid: 2, band: C.band("09:00-11:00")), C.ivr(priority: 20),
                                 C.thirdParty()])
        s.clock = TableClock.fixed(["Z/UTC": 0, "Z/P8": 480, "Z/P6": 360, "Z/M5": -300, "Z/K": 345])
        s.policy.excluded = [C.band("12:00-13:00")]
        s.policy.channels[.call] = ChannelRules(perDay: 1, per7Days: 3, quietDaysAfterConversation: 7, hourlyCapacity: 3)
        s.policy.channels[.ivr] = ChannelRules(perDay: 1, per7Days: 2, dailyCapacity: 20)
        s.policy.promise.reminder = (.sms, "PTP")
        let zones = [nil, "Z/P8", "Z/P8|Z/P6", "Z/M5", "Z/K"]
        for i in 0..<60 {
            let id = "C\(i)"
            s.addCase(id, dpd: 5 + i % 7, zone: zones[i % zones.count], emergencyContacts: i % 3)
            if i % 4 == 0 { s.addCase(id, product: "card", dpd: 3 + i % 5) }
            for back in 1...(1 + i % 4) { s.events(id, .callAttempt, 2, on: d0 - back) }
            if i % 6 == 1 { s.event(id, .callConnected, on: d0 - 3) }
            if i % 9 == 2 { s.event(id, .ptp, on: d0 - 2, value: "2026-03-10") }
            if i % 11 == 3 { s.event(id, .dispute, on: d0 - 4) }
            if i % 5 == 4 { s.planned(id, .sms, on: d0 - 1, stepKey: "sms", occurrence: d0 - 1) }
        }
        return s
    }

    @Test func samePlanTwice() {
        let s = Self.portfolio()
        let a = s.plan(), b = s.plan()
        #expect(a.contacts == b.contacts)
        #expect(a.deferrals == b.deferrals)
        #expect(!a.contacts.isEmpty)
        #expect(!a.deferrals.isEmpty)
    }

    @Test func planDoesNotDependOnInputOrder() {
        let s = Self.portfolio()
        let a = s.plan()
        var shuffled = s
        var rng = SplitMix64(state: 42)
        shuffled.cases.shuffle(using: &rng)
        for key in shuffled.events.keys { shuffled.events[key]?.shuffle(using: &rng) }
        for key in shuffled.priorContacts.keys { shuffled.priorContacts[key]?.shuffle(using: &rng) }
        shuffled.actions.shuffle(using: &rng)
        let b = shuffled.plan()
        #expect(a.contacts == b.contacts)
        #expect(a.deferrals == b.deferrals)
        var reversed = s
        reversed.cases.reverse()
        for key in reversed.events.keys { reversed.events[key]?.reverse() }
        #expect(reversed.plan().contacts == a.contacts)
    }

    /// Output rows come sorted: by customer, case, time.
    @Test func outputIsSorted() {
        let plan = Self.portfolio().plan()
        let keys = plan.contacts.map { ($0.customerID, $0.caseID, $0.utcMinute) }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 <= $1 })
        let deferralKeys = plan.deferrals.map { ($0.customerID, $0.caseID, $0.occurrence) }
        #expect(zip(deferralKeys, deferralKeys.dropFirst()).allSatisfy { $0 <= $1 })
    }

    /// A customer's slot does not move when an unrelated customer joins the portfolio (no capacity).
    @Test func slotsAreStableAcrossPortfolios() {
        var s = ContactScenario([C.sms()])
        s.addCase("C1")
        let alone = s.plan().contacts
        s.addCase("C0")
        s.addCase("C2")
        #expect(s.plan().contacts(of: "C1") == alone)
    }

    /// Two promises recorded at the same instant: the plan must not depend on which row came first.
    @Test func simultaneousEventsDoNotDependOnOrder() {
        var s = ContactScenario([C.call()])
        s.addCase()
        s.event(.ptp, on: Self.d0 - 2, hour: 10, value: "2026-03-09")
        s.event(.ptp, on: Self.d0 - 2, hour: 10, value: "2026-03-12")
        let a = s.plan()
        s.events["C1"]?.reverse()
        let b = s.plan()
        #expect(a.planned == b.planned)
    }
}
