@testable import DunningCore
import Testing

/// Emergency contacts: only after enough failed attempts on the debtor over enough days, never
/// within 7 days of reaching the debtor, at most one a day, and only when the borrower named one.
@Suite("Contact planner: emergency contacts")
struct ContactEmergencyTests {
    static let d0 = C.day("2026-03-10")
    static let planned = ["C1 tp@D+10 call"]
    static let heldByRules = ["C1 tp@D+10 emergency_contact_rules dropped"]

    /// A third-party step every day; `attempts` failed calls on each of the `days` days before tonight.
    static func scenario(attemptsPerDay: Int = 2, days: Int = 3, emergencyContacts: Int = 1) -> ContactScenario {
        var s = ContactScenario([C.thirdParty()])
        s.addCase(emergencyContacts: emergencyContacts)
        for back in 1...max(1, days) where days > 0 { s.events("C1", .callAttempt, attemptsPerDay, on: d0 - back) }
        return s
    }

    @Test func sixFailedAttemptsOverThreeDays() {
        let plan = Self.scenario().plan()
        #expect(plan.planned == Self.planned)
        #expect(plan.contacts.first?.target == .emergencyContact)
        #expect(plan.contacts.first?.template == "TP")
    }

    @Test func fiveAttemptsAreNotEnough() {
        var s = Self.scenario(attemptsPerDay: 1, days: 5)
        #expect(s.plan().held == Self.heldByRules)
        s.event(.ivrAttempt, on: Self.d0 - 1, hour: 15) // an IVR attempt is a failed attempt too
        #expect(s.plan().planned == Self.planned)
    }

    @Test func sixAttemptsOverTwoDaysAreNotEnough() {
        #expect(Self.scenario(attemptsPerDay: 3, days: 2).plan().held == Self.heldByRules)
        #expect(Self.scenario(attemptsPerDay: 6, days: 1).plan().held == Self.heldByRules)
    }

    @Test func noEmergencyContactOnFile() {
        #expect(Self.scenario(emergencyContacts: 0).plan().held == ["C1 tp@D+10 no_emergency_contact dropped"])
        var s = Self.scenario()
        s.customers = [:] // unknown customer: no emergency contact either
        #expect(s.plan().held == ["C1 tp@D+10 no_emergency_contact dropped"])
    }

    /// Reached within the last 7 days (the day reached is day 1): no third party.
    @Test(arguments: [(EventKind.callConnected, 6, false), (.callConnected, 7, true), (.ivrConnected, 6, false),
                      (.ptp, 6, false), (.ptp, 8, true)])
    func notWithinSevenDaysOfReach(kind: EventKind, daysAgo: Int, allowed: Bool) {
        var s = ContactScenario([C.thirdParty()])
        s.addCase(emergencyContacts: 1)
        s.event(kind, on: Self.d0 - daysAgo, hour: 8, value: kind == .ptp ? "2026-03-01" : "")
        for back in 1...3 { s.events("C1", .callAttempt, 2, on: Self.d0 - back) }
        #expect(s.plan().planned == (allowed ? Self.planned : []))
    }

    /// Attempts before the debtor was last reached do not count.
    @Test func attemptsBeforeAReachDoNotCount() {
        var s = ContactScenario([C.thirdParty()])
        s.addCase(emergencyContacts: 1)
        for back in 10...12 { s.events("C1", .callAttempt, 3, on: Self.d0 - back) }
        s.event(.callConnected, on: Self.d0 - 10, hour: 18)
        s.events("C1", .callAttempt, 1, on: Self.d0 - 1)
        #expect(s.plan().held == Self.heldByRules)
    }

    /// At most one third-party call a day, counting one already made today.
    @Test func atMostOnePerDay() {
        var s = Self.scenario()
        s.event(.thirdPartyCall, on: Self.d0, hour: 9)
        #expect(s.plan().held == Self.heldByRules)

        var two = Self.scenario()
        two.policy.treatments["t"]?.steps.append(C.thirdParty("tp2", priority: 20))
        let plan = two.plan()
        #expect(plan.planned == Self.planned)
        #expect(plan.held == ["C1 tp2@D+10 emergency_contact_rules dropped"])
    }

    /// An earlier night's third-party call does not block tonight's.
    @Test func yesterdaysThirdPartyCallDoesNotBlock() {
        var s = Self.scenario()
        s.event(.thirdPartyCall, on: Self.d0 - 1, hour: 17)
        s.planned(.call, on: Self.d0 - 1, stepKey: "tp", occurrence: Self.d0 - 1, target: .emergencyContact)
        #expect(s.plan().planned == Self.planned)
    }

    /// The rule is configurable (only stricter in strategies; the core applies what it is given).
    @Test func configuredThresholds() {
        var s = Self.scenario()
        s.policy.emergency.afterFailedAttempts = 7
        #expect(s.plan().held == Self.heldByRules)
        s.policy.emergency.afterFailedAttempts = 6
        s.policy.emergency.overDays = 4
        #expect(s.plan().held == Self.heldByRules)
        s.policy.emergency.overDays = 3
        s.policy.emergency.perDay = 0
        #expect(s.plan().held == Self.heldByRules)
    }

    /// Third-party calls do not use the debtor's call caps, but they do count against the
    /// customer's all-channel cap.
    @Test func capsForThirdParties() {
        var s = Self.scenario(attemptsPerDay: 3, days: 3)
        s.policy.channels[.call] = ChannelRules(perDay: 3, per7Days: 7, quietDaysAfterConversation: 7)
        // 9 call attempts in the last 3 days: the debtor's call cap is exhausted ...
        s.policy.treatments["t"]?.steps.append(C.call("debtor-call"))
        let plan = s.plan()
        #expect(plan.planned == Self.planned)
        #expect(plan.held == ["C1 debtor-call@D+10 cap_channel_7_days dropped"])
        // ... and the customer cap applies to both.
        var capped = Self.scenario()
        capped.policy.perCustomerPerDay = 1
        capped.event(.smsSent, on: Self.d0, hour: 8)
        #expect(capped.plan().held == ["C1 tp@D+10 cap_customer_day dropped"])
    }
}
