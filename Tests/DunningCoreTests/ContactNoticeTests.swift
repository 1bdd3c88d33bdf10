@testable import DunningCore
import Testing

/// Stage messages: one per milestone acted on, within their validity, once.
@Suite("Contact planner: stage notices")
struct ContactNoticeTests {
    static let d0 = C.day("2026-03-10")
    static let key = ContactScenario.key("C1")

    static func action(_ kind: MilestoneKind, on day: Day, episode: Int = 1) -> Action {
        Action(caseKey: key, episode: episode, loanID: kind.isPerLoan ? "L1" : "", kind: kind, dueOn: day, actedOn: day, amount: nil)
    }

    static func scenario(dpd: Int = 5) -> ContactScenario {
        var s = ContactScenario()
        s.policy.notices[.creditNotice] = NoticeRule(kind: .creditNotice, channel: .sms, template: "N_CREDIT", required: true, validDays: 3)
        s.policy.notices[.litigation] = NoticeRule(kind: .litigation, channel: .letter, template: "N_LIT", required: true, validDays: 3)
        s.policy.notices[.preCollection] = NoticeRule(kind: .preCollection, channel: .sms, template: "R_DUE", required: false, validDays: 2)
        s.addCase(dpd: dpd)
        return s
    }

    @Test func creditNoticeTheNightItIsActedOn() {
        var s = Self.scenario()
        s.actions = [Self.action(.creditNotice, on: Self.d0)]
        let plan = s.plan()
        #expect(plan.planned == ["C1 notice:credit_notice@2026-03-10 sms"])
        let c = plan.contacts.first
        #expect(c?.template == "N_CREDIT")
        #expect(c?.required == true)
        #expect(c?.priority == 100)
        #expect(c?.stepKey == "notice:credit_notice")
    }

    @Test func litigationNoticeByLetter() {
        var s = Self.scenario(dpd: 400)
        s.actions = [Self.action(.litigationReferred, on: Self.d0)]
        #expect(s.plan().planned == ["C1 notice:litigation@2026-03-10 letter"])
    }

    /// Recorded history brings back a notice not yet served, within its validity only.
    @Test func noticeFromHistoryWithinValidity() {
        var s = Self.scenario()
        s.prior[Self.key] = CaseHistory(episode: 1, openedOn: Self.d0 - 7, loanMilestones: ["L1": [.creditNotice: Self.d0 - 2]])
        #expect(s.plan().planned == ["C1 notice:credit_notice@2026-03-08 sms"])
        s.planned(.sms, on: Self.d0 - 2, stepKey: "notice:credit_notice", occurrence: Self.d0 - 2)
        #expect(s.plan().contacts.isEmpty)
        s.priorContacts = [:]
        s.prior[Self.key] = CaseHistory(episode: 1, openedOn: Self.d0 - 7, loanMilestones: ["L1": [.creditNotice: Self.d0 - 3]])
        #expect(s.plan().contacts.isEmpty)
    }

    /// Milestones of another episode of the same key do not produce notices for this case.
    @Test func otherEpisodeIsIgnored() {
        var s = Self.scenario()
        s.actions = [Self.action(.creditNotice, on: Self.d0, episode: 2)]
        s.prior[Self.key] = CaseHistory(episode: 2, openedOn: Self.d0 - 7, loanMilestones: ["L1": [.creditNotice: Self.d0 - 1]])
        #expect(s.plan().contacts.isEmpty)
    }

    /// The D-2 reminder goes out the night the case opens before its due date ...
    @Test func preCollectionReminderWhenTheCaseOpens() {
        var s = Self.scenario(dpd: -2)
        s.actions = [Self.action(.caseOpened, on: Self.d0)]
        #expect(s.plan().planned == ["C1 notice:pre_collection@2026-03-10 sms"])
    }

    /// ... but not when the case opened after the due date.
    @Test func noPreCollectionReminderForALateOpening() {
        var s = Self.scenario(dpd: 1)
        s.actions = [Self.action(.caseOpened, on: Self.d0)]
        #expect(s.plan().contacts.isEmpty)
    }

    /// A reminder that "payment is due soon" must not go out once the due date has passed, even
    /// when it was held back on the opening night and is still inside its validity.
    @Test func preCollectionReminderNotSentAfterTheDueDate() {
        var s = Self.scenario(dpd: 1)
        s.policy.notices[.preCollection]?.validDays = 2
        s.prior[Self.key] = CaseHistory(episode: 1, openedOn: Self.d0 - 1) // opened at D0, held by a holiday
        #expect(s.plan().contacts.isEmpty)
    }

    /// Required notices still obey the caps (only suppression, holidays and capacity let them through).
    @Test func requiredNoticeStillObeysCaps() {
        var s = Self.scenario()
        s.actions = [Self.action(.creditNotice, on: Self.d0)]
        s.policy.channels[.sms] = ChannelRules(perDay: 1, per7Days: 7)
        s.event(.smsSent, on: Self.d0, hour: 7)
        #expect(s.plan().held == ["C1 notice:credit_notice@2026-03-10 cap_channel_day deferred"])
    }

    /// A required notice comes before a treatment step when the caps leave room for one.
    @Test func requiredNoticeGoesFirst() {
        var s = Self.scenario()
        s.policy.treatments["t"] = Treatment(name: "t", steps: [C.sms(priority: 99)])
        s.policy.channels[.sms] = ChannelRules(perDay: 1, per7Days: 7)
        s.actions = [Self.action(.creditNotice, on: Self.d0)]
        let plan = s.plan()
        #expect(plan.planned == ["C1 notice:credit_notice@2026-03-10 sms"])
        #expect(plan.held == ["C1 sms@D+5 cap_channel_day dropped"])
    }
}
