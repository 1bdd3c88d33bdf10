@testable import DunningCore
import Testing

/// Frequency caps on rolling windows, counted over earlier plans and reported attempts.
@Suite("Contact planner: frequency caps and the call quiet period")
struct ContactCapTests {
    let d0 = C.day("2026-03-10")

    /// One customer, one SMS step a day; SMS capped at 2 a day and 5 in 7 days.
    func smsScenario() -> ContactScenario {
        var s = ContactScenario([C.sms()])
        s.policy.channels[.sms] = ChannelRules(perDay: 2, per7Days: 5)
        s.addCase()
        return s
    }

    @Test func attemptsReportedTodayCountAgainstTheDay() {
        var s = smsScenario()
        s.events("C1", .smsSent, 2, on: d0)
        #expect(s.plan().held == ["C1 sms@D+10 cap_channel_day dropped"])
        s.events = [:]
        s.events("C1", .smsSent, 1, on: d0)
        #expect(s.plan().planned == ["C1 sms@D+10 sms"])
    }

    /// A re-run replaces tonight's earlier plan: contacts planned for tonight's own day do not count.
    @Test func tonightsOwnEarlierPlanDoesNotCount() {
        var s = smsScenario()
        s.planned(.sms, on: d0, count: 2)
        #expect(s.plan().planned == ["C1 sms@D+10 sms"])
    }

    /// A day counts the larger of what was planned and what was reported, not their sum.
    @Test func dayCountsTheLargerOfPlannedAndReported() {
        var s = smsScenario()
        s.planned(.sms, on: d0 - 1, count: 2)
        s.events("C1", .smsSent, 2, on: d0 - 1)
        s.planned(.sms, on: d0 - 2, count: 2)
        // max(2, 2) + 2 = 4 < 5 (a sum would be 6).
        #expect(s.plan().planned == ["C1 sms@D+10 sms"])
    }

    @Test func sevenDayCapCountsSixEarlierDaysAndToday() {
        var s = smsScenario()
        s.planned(.sms, on: d0 - 1, count: 2)
        s.planned(.sms, on: d0 - 2, count: 2)
        s.planned(.sms, on: d0 - 6, count: 1)
        #expect(s.plan().held == ["C1 sms@D+10 cap_channel_7_days dropped"])
        // The same contact a day earlier has left the window.
        s.priorContacts = [:]
        s.planned(.sms, on: d0 - 1, count: 2)
        s.planned(.sms, on: d0 - 2, count: 2)
        s.planned(.sms, on: d0 - 7, count: 1)
        #expect(s.plan().planned == ["C1 sms@D+10 sms"])
    }

    /// Attempts made outside the plan (a manual SMS) count when they exceed the plan.
    @Test func reportedAttemptsAboveThePlanCount() {
        var s = smsScenario()
        s.planned(.sms, on: d0 - 1, count: 1)
        s.events("C1", .smsSent, 2, on: d0 - 1)
        s.events("C1", .smsSent, 2, on: d0 - 3)
        s.events("C1", .smsSent, 1, on: d0)
        // 2 + 2 + 1 = 5.
        #expect(s.plan().held == ["C1 sms@D+10 cap_channel_7_days dropped"])
    }

    /// Two SMS steps on the same night: the per-day cap counts tonight's own plan too.
    @Test func tonightsPlanCountsAgainstTheDay() {
        var s = ContactScenario([C.sms("a", priority: 60), C.sms("b", priority: 50), C.sms("c", priority: 40)])
        s.policy.channels[.sms] = ChannelRules(perDay: 2, per7Days: 7)
        s.addCase()
        let plan = s.plan()
        #expect(plan.planned.sorted() == ["C1 a@D+10 sms", "C1 b@D+10 sms"])
        #expect(plan.held == ["C1 c@D+10 cap_channel_day dropped"])
    }

    /// At most 7 calls in 7 days (Regulation F), counting call attempts and conversations.
    @Test func callsSevenInSevenDays() {
        var s = ContactScenario([C.call()])
        s.addCase()
        for back in 1...6 { s.events("C1", .callAttempt, 1, on: d0 - back) }
        #expect(s.plan().planned == ["C1 call@D+10 call"])
        s.events("C1", .callAttempt, 1, on: d0 - 4)
        #expect(s.plan().held == ["C1 call@D+10 cap_channel_7_days dropped"])
    }

    /// No call on the day of a conversation and the 6 days after it (7 days in all).
    @Test(arguments: [(0, true), (1, true), (6, true), (7, false), (8, false)])
    func callQuietPeriodAfterAConversation(daysAgo: Int, held: Bool) {
        var s = ContactScenario([C.call(), C.sms()])
        s.addCase()
        s.event("C1", .callConnected, on: d0 - daysAgo, hour: 9)
        let plan = s.plan()
        #expect(plan.planned.contains("C1 sms@D+10 sms"))
        if held {
            #expect(plan.held == ["C1 call@D+10 call_quiet_period dropped"])
        } else {
            #expect(plan.planned.contains("C1 call@D+10 call"))
            #expect(plan.deferrals.isEmpty)
        }
    }

    /// A failed attempt is not a conversation; a longer configured quiet period is honoured.
    @Test func quietPeriodOnlyAfterConversationsAndConfigurable() {
        var s = ContactScenario([C.call()])
        s.addCase()
        s.event("C1", .callAttempt, on: d0 - 1)
        s.event("C1", .ivrConnected, on: d0 - 1, hour: 11)
        #expect(s.plan().planned == ["C1 call@D+10 call"])
        s.events = [:]
        s.policy.channels[.call] = ChannelRules(perDay: 3, per7Days: 7, quietDaysAfterConversation: 10)
        s.event("C1", .callConnected, on: d0 - 9)
        #expect(s.plan().held == ["C1 call@D+10 call_quiet_period dropped"])
        s.events = [:]
        s.event("C1", .callConnected, on: d0 - 10)
        #expect(s.plan().planned == ["C1 call@D+10 call"])
    }

    /// `Channel.isVoice` documents that "a recent conversation holds back" the voice channels
    /// (call and IVR); a prerecorded IVR call is a telephone call under Regulation F too.
    @Test func ivrAlsoWaitsAfterAConversation() {
        var s = ContactScenario([C.ivr()])
        s.addCase()
        s.event("C1", .callConnected, on: d0 - 1, hour: 9)
        #expect(s.plan().held == ["C1 ivr@D+10 call_quiet_period dropped"])
    }

    /// Days are the customer's local days: 23:30 in UTC-4 is the next day in UTC.
    @Test func daysAreCountedInTheCustomersZone() {
        var s = ContactScenario([C.sms(), C.call()])
        s.clock = TableClock.fixed(["Z/UTC": 0, "Z/M4": -240])
        s.policy.channels[.sms] = ChannelRules(perDay: 1, per7Days: 7)
        s.addCase(zone: "Z/M4")
        // Yesterday 23:30 local: an SMS (not today's) and a conversation 7 local days ago.
        s.event("C1", .smsSent, on: d0 - 1, hour: 23, minute: 30, offsetMinutes: -240)
        s.event("C1", .callConnected, on: d0 - 7, hour: 23, minute: 30, offsetMinutes: -240)
        #expect(s.plan().planned.sorted() == ["C1 call@D+10 call", "C1 sms@D+10 sms"])
        // Half an hour later in local time they fall on today and on the 6th day back.
        s.events = [:]
        s.event("C1", .smsSent, on: d0, hour: 0, minute: 0, offsetMinutes: -240)
        s.event("C1", .callConnected, on: d0 - 6, hour: 0, minute: 0, offsetMinutes: -240)
        #expect(s.plan().held.sorted() == ["C1 call@D+10 call_quiet_period dropped", "C1 sms@D+10 cap_channel_day dropped"])
    }

    /// The customer-wide cap over every channel: the lowest priorities are held.
    @Test func customerCapAcrossChannels() {
        var s = ContactScenario([C.sms(priority: 60), C.ivr(priority: 50), C.call(priority: 40)])
        s.policy.perCustomerPerDay = 2
        s.addCase()
        var plan = s.plan()
        #expect(plan.planned.sorted() == ["C1 ivr@D+10 ivr", "C1 sms@D+10 sms"])
        #expect(plan.held == ["C1 call@D+10 cap_customer_day dropped"])
        // An SMS reported earlier today uses one of the two.
        s.event("C1", .smsSent, on: d0, hour: 7)
        plan = s.plan()
        #expect(plan.planned == ["C1 sms@D+10 sms"])
        #expect(plan.held.sorted() == ["C1 call@D+10 cap_customer_day dropped", "C1 ivr@D+10 cap_customer_day dropped"])
    }

    /// The customer cap spans the customer's cases (products); other customers are unaffected.
    @Test func customerCapSpansCases() {
        var s = ContactScenario([C.sms()])
        s.policy.perCustomerPerDay = 1
        s.addCase("C1", product: "cash")
        s.addCase("C1", product: "card")
        s.addCase("C2", product: "cash")
        let plan = s.plan()
        #expect(plan.contacts(of: "C1").count == 1)
        #expect(plan.contacts(of: "C2").count == 1)
        #expect(plan.held(.capCustomerDay).map(\.customerID) == ["C1"])
    }

    /// Caps are per customer: one customer's history does not hold another back.
    @Test func capsArePerCustomer() {
        var s = smsScenario()
        s.addCase("C2")
        s.events("C1", .smsSent, 2, on: d0)
        let plan = s.plan()
        #expect(plan.planned == ["C2 sms@D+10 sms"])
        #expect(plan.held == ["C1 sms@D+10 cap_channel_day dropped"])
    }
}
