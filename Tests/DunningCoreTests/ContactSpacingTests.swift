@testable import DunningCore
import Testing

/// `every: N` spaces a case's contacts of a step by N days whatever its DPD does, and a night run
/// after its day started plans nothing for minutes already gone (issue 15, items 4 and 6).
@Suite("Contact planner: spacing of every-N steps, no contact in the past")
struct ContactSpacingTests {
    static let d0 = C.day("2026-03-10")

    /// An SMS every 3 days from D+1 (D+1, D+4, D+7 ...), sent on the night two days ago.
    static func spaced(dpdTonight: Int) -> ContactScenario {
        var s = ContactScenario([C.sms("every3", .range(from: 1, to: nil, every: 3))])
        s.policy.channels[.sms] = ChannelRules(perDay: 5, per7Days: 20)
        s.addCase(dpd: dpdTonight)
        s.previousRun = d0 - 1
        s.planned(.sms, on: d0 - 2, stepKey: "every3", occurrence: d0 - 2)
        return s
    }

    /// A payment two nights ago moved the DPD from 7 back to 4: D+4 is on the stride, but the
    /// last SMS of the step went out two days ago.
    @Test func aDPDJumpDoesNotShortenTheSpacing() {
        let tonight = Self.spaced(dpdTonight: 4)
        #expect(tonight.plan().contacts.isEmpty, "every 3 days became 2")
        // Three days after the last one, the stride's next day goes out.
        var later = Self.spaced(dpdTonight: 4).later(3)
        later.previousRun = Self.d0 + 2
        #expect(later.plan().planned == ["C1 every3@D+7 sms"])
    }

    /// The spacing counts from the night an occurrence was sent, not from its DPD: D+4's, held
    /// on its night and sent the next, counts from that next night.
    @Test func anOccurrenceSentLateCountsOnTheNightItWentOut() {
        var s = ContactScenario([C.sms("every3", .range(from: 1, to: nil, every: 3), valid: 3)])
        s.policy.channels[.sms] = ChannelRules(perDay: 5, per7Days: 20)
        s.addCase(dpd: 7)                    // D+7 tonight
        s.previousRun = Self.d0 - 1
        s.planned(.sms, on: Self.d0 - 1, stepKey: "every3", occurrence: Self.d0 - 3) // D+4, sent at D+6
        #expect(s.plan().contacts.isEmpty, "only two days after the last one")
        var next = s.later(1)                // D+8: still two days
        next.previousRun = Self.d0
        #expect(next.plan().contacts.isEmpty)
        var third = s.later(2)               // D+9: three days after it; D+7's occurrence is still valid
        third.previousRun = Self.d0 + 1
        #expect(third.plan().planned == ["C1 every3@D+7 sms"])
    }

    /// An occurrence the spacing held back opens on the first night the spacing allows, with its
    /// whole validity from there: held that night, it is deferred, not dropped.
    @Test func anOccurrenceHeldBackBySpacingKeepsItsValidity() {
        var s = ContactScenario([C.sms("every3", .range(from: 1, to: nil, every: 3), valid: 2)])
        s.policy.channels[.sms] = ChannelRules(perDay: 5, per7Days: 20)
        s.addCase(dpd: 8)                    // D+7 was yesterday, held back: the last SMS went out two days before
        s.previousRun = Self.d0 - 1
        s.planned(.sms, on: Self.d0 - 3, stepKey: "every3", occurrence: Self.d0 - 4)
        s.policy.holidays = [Self.d0]
        #expect(s.plan().held == ["C1 every3@D+7 holiday deferred"])
        #expect(s.plan().deferrals.first?.retryUntil == Self.d0 + 1)
    }

    @Test func aStepWithoutEverySpacingIsUnchanged() {
        var s = ContactScenario([C.sms("list", .list([4, 5]))])
        s.policy.channels[.sms] = ChannelRules(perDay: 5, per7Days: 20)
        s.addCase(dpd: 5)
        s.previousRun = Self.d0 - 1
        s.planned(.sms, on: Self.d0 - 1, stepKey: "list", occurrence: Self.d0 - 1)
        #expect(s.plan().planned == ["C1 list@D+5 sms"])
    }

    /// The run starts at 15:00 UTC (the zone of the customers): the window left is 15:00 to 21:00.
    @Test func nothingIsPlannedBeforeTheRunStarted() {
        var s = ContactScenario([C.sms("daily", valid: 2)])
        s.addCase(dpd: 5)
        s.notBefore = C.utcMinute(Self.d0, 15)
        let plan = s.plan()
        #expect(plan.contacts.count == 1)
        #expect(plan.contacts.allSatisfy { $0.utcMinute >= C.utcMinute(Self.d0, 15) })
    }

    /// Started after the window closed (a missed night run the next day): the contact is held
    /// `time_passed` and tried again on the next night while valid; not served, not counted.
    @Test func aNightRunAfterItsWindowHoldsItsContacts() {
        var s = ContactScenario([C.sms("daily", valid: 2)])
        s.addCase(dpd: 5)
        s.notBefore = C.utcMinute(Self.d0 + 1, 9)
        let plan = s.plan()
        #expect(plan.contacts.isEmpty)
        #expect(plan.held == ["C1 daily@D+5 time_passed deferred"])
        var once = ContactScenario([C.sms("daily", valid: 1)])
        once.addCase(dpd: 5)
        once.notBefore = C.utcMinute(Self.d0 + 1, 9)
        #expect(once.plan().held == ["C1 daily@D+5 time_passed dropped"])
    }
}
