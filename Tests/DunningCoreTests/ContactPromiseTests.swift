@testable import DunningCore
import Testing

/// A promise to pay holds voice contacts until the promised date, plans a reminder on that date,
/// and a broken promise resumes the treatment the next day.
@Suite("Contact planner: promises to pay")
struct ContactPromiseTests {
    static let d0 = C.day("2026-03-10")

    /// A promise made on d0-3 for d0+2 (2026-03-12); call, IVR and SMS every day.
    static func scenario(promised: String = "2026-03-12", madeDaysAgo: Int = 3) -> ContactScenario {
        var s = ContactScenario([C.call(), C.ivr(), C.sms()])
        s.policy.promise.reminder = (.sms, "PTP")
        s.addCase()
        s.event(.ptp, on: d0 - madeDaysAgo, hour: 10, value: promised)
        return s
    }

    @Test func callsAndIVRAreHeldWhileThePromiseRuns() {
        let plan = Self.scenario().plan()
        #expect(plan.planned == ["C1 sms@D+10 sms"])
        #expect(plan.held.sorted() == ["C1 call@D+10 promise_to_pay dropped", "C1 ivr@D+10 promise_to_pay dropped"])
    }

    @Test func holdStartsOnTheDayThePromiseIsMade() {
        var s = Self.scenario(promised: "2026-03-15", madeDaysAgo: 0)
        s.events["C1"] = []
        s.event(.ptp, on: Self.d0, hour: 7, value: "2026-03-15")
        #expect(s.plan().planned == ["C1 sms@D+10 sms"])
    }

    /// On the promised date: still no calls, and one reminder.
    @Test func reminderOnThePromisedDate() {
        let plan = Self.scenario().later(2).plan()
        #expect(plan.planned.sorted() == ["C1 ptp_reminder@2026-03-12 sms", "C1 sms@D+12 sms"])
        let reminder = plan.contacts.first { $0.stepKey == "ptp_reminder" }
        #expect(reminder?.template == "PTP")
        #expect(reminder?.occurrence == Self.d0 + 2)
        #expect(plan.held(.promiseToPay).count == 2)
        // No reminder the night before or after.
        #expect(!Self.scenario().later(1).plan().contacts.contains { $0.stepKey == "ptp_reminder" })
        #expect(!Self.scenario().later(3).plan().contacts.contains { $0.stepKey == "ptp_reminder" })
    }

    /// A promise made for today itself was just made: no reminder on top of the conversation.
    @Test func noReminderForAPromiseMadeForToday() {
        var s = ContactScenario([C.call()])
        s.policy.promise.reminder = (.sms, "PTP")
        s.addCase()
        s.event(.ptp, on: Self.d0, hour: 7, value: "2026-03-10")
        let plan = s.plan()
        #expect(plan.contacts.isEmpty)
        #expect(plan.held == ["C1 call@D+10 promise_to_pay dropped"])
    }

    /// A reminder that an earlier run already planned is not planned again (re-run of the next night).
    @Test func reminderIsNotRepeated() {
        var s = Self.scenario().later(2)
        s.planned(.sms, on: Self.d0 + 1, stepKey: "ptp_reminder", occurrence: Self.d0 + 2)
        #expect(!s.plan().contacts.contains { $0.stepKey == "ptp_reminder" })
    }

    /// The day after the promised date the treatment resumes (the promise was broken: the case is still open).
    @Test func brokenPromiseResumesTheNextDay() {
        let plan = Self.scenario().later(3).plan()
        #expect(plan.planned.sorted() == ["C1 call@D+13 call", "C1 ivr@D+13 ivr", "C1 sms@D+13 sms"])
        #expect(plan.deferrals.isEmpty)
    }

    /// A promised date too far away counts as max_days after the promise.
    @Test func farPromiseIsCappedAtMaxDays() {
        var s = Self.scenario(promised: "2026-12-31")
        s.policy.promise.maxDays = 30
        // Made on 2026-03-07: held through 2026-04-06, reminder then, calls again on 2026-04-07.
        let onDate = s.later(27).plan()
        #expect(onDate.planned.contains("C1 ptp_reminder@2026-04-06 sms"))
        #expect(onDate.held(.promiseToPay).count == 2)
        let after = s.later(28).plan()
        #expect(after.planned.contains("C1 call@D+38 call"))
        #expect(after.held(.promiseToPay).isEmpty)
    }

    /// The latest promise counts, wherever it sits in the input.
    @Test func latestPromiseCounts() {
        var s = Self.scenario(promised: "2026-03-05", madeDaysAgo: 10)
        #expect(s.plan().held(.promiseToPay).isEmpty)
        s.event(.ptp, on: Self.d0 - 1, hour: 10, value: "2026-03-13")
        #expect(s.plan().held(.promiseToPay).count == 2)
        s.events["C1"]?.reverse()
        #expect(s.plan().held(.promiseToPay).count == 2)
    }

    /// Without a configured reminder, none is planned; channels added to holds are held too.
    @Test func configuredReminderAndHeldChannels() {
        var s = Self.scenario().later(2)
        s.policy.promise.reminder = nil
        s.policy.promise.holdsChannels = [.call, .ivr, .sms]
        let plan = s.plan()
        #expect(plan.contacts.isEmpty)
        #expect(plan.held(.promiseToPay).count == 3)
    }

    /// A promise also holds emergency-contact calls (it reached the debtor, too).
    @Test func promiseHoldsThirdPartyCalls() {
        var s = ContactScenario([C.thirdParty()])
        s.addCase(emergencyContacts: 1)
        s.event(.ptp, on: Self.d0 - 1, value: "2026-03-20")
        for back in 1...3 { s.events("C1", .callAttempt, 3, on: Self.d0 - back) }
        #expect(s.plan().contacts.isEmpty)
    }
}
