@testable import DunningCore
import Testing

/// A complaint pauses every contact but the required notices, then the gentlest treatment follows.
@Suite("Contact planner: complaints")
struct ContactComplaintTests {
    static let d0 = C.day("2026-03-10")
    static let notice = "C1 notice:credit_notice@2026-03-10 sms"

    /// Segment treatment `t` (SMS and call every day), `gentle` (one soft SMS); pause 7, gentle 90.
    static func scenario(complaintDaysAgo: Int?, then: String? = "gentle") -> ContactScenario {
        var s = ContactScenario([C.sms(), C.call()])
        s.policy.treatments["gentle"] = Treatment(name: "gentle", steps: [C.sms("soft")])
        s.policy.complaint.treatmentAfter = then
        s.policy.notices[.creditNotice] = NoticeRule(kind: .creditNotice, channel: .sms, template: "N", required: true, validDays: 3)
        s.addCase()
        s.actions = [Action(caseKey: ContactScenario.key("C1"), episode: 1, loanID: "L1", kind: .creditNotice,
                            dueOn: d0, actedOn: d0, amount: nil)]
        if let daysAgo = complaintDaysAgo { s.event(.complaint, on: d0 - daysAgo, hour: 9) }
        return s
    }

    @Test(arguments: [0, 1, 6])
    func pauseHoldsAllButRequiredNotices(daysAgo: Int) {
        let plan = Self.scenario(complaintDaysAgo: daysAgo).plan()
        #expect(plan.planned == [Self.notice])
        #expect(plan.held.sorted() == ["C1 call@D+10 suppressed_complaint dropped", "C1 sms@D+10 suppressed_complaint dropped"])
    }

    /// From the 8th day (the complaint's day is day 1 of 7) the gentle treatment replaces the segment's.
    @Test(arguments: [7, 8, 96])
    func gentleTreatmentAfterThePause(daysAgo: Int) {
        let plan = Self.scenario(complaintDaysAgo: daysAgo).plan()
        #expect(plan.planned.sorted() == [Self.notice, "C1 soft@D+10 sms"].sorted())
        #expect(plan.deferrals.isEmpty)
    }

    /// After pause + gentle days the segment's treatment is back.
    @Test func segmentTreatmentReturnsAfterTheGentlePeriod() {
        let plan = Self.scenario(complaintDaysAgo: 97).plan()
        #expect(plan.planned.sorted() == [Self.notice, "C1 call@D+10 call", "C1 sms@D+10 sms"].sorted())
    }

    /// Without a gentle treatment, only notices follow the pause.
    @Test func noGentleTreatmentMeansNoticesOnly() {
        let plan = Self.scenario(complaintDaysAgo: 10, then: nil).plan()
        #expect(plan.planned == [Self.notice])
        #expect(plan.deferrals.isEmpty)
    }

    /// The latest complaint restarts the pause; a configured shorter pause is honoured.
    @Test func latestComplaintAndConfiguredPause() {
        var s = Self.scenario(complaintDaysAgo: 30)
        s.event(.complaint, on: Self.d0 - 2)
        #expect(s.plan().held(.complaint).count == 2)
        s.policy.complaint.pauseDays = 2
        #expect(s.plan().planned.sorted() == [Self.notice, "C1 soft@D+10 sms"].sorted())
    }

    /// The pause also holds a promise-to-pay reminder and emergency-contact calls.
    @Test func pauseHoldsRemindersAndThirdParties() {
        var s = ContactScenario([C.thirdParty()])
        s.policy.promise.reminder = (.sms, "PTP")
        s.addCase(emergencyContacts: 2)
        s.event(.ptp, on: Self.d0 - 3, hour: 8, value: "2026-03-10")
        s.event(.complaint, on: Self.d0 - 1)
        let plan = s.plan()
        #expect(plan.contacts.isEmpty)
        #expect(Set(plan.deferrals.map(\.heldBy)) == [.complaint])
        #expect(plan.deferrals.contains { $0.stepKey == "ptp_reminder" })
    }
}
