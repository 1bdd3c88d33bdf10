@testable import DunningCore
import Testing

/// Suppression (deceased, bankruptcy, stop, cease, dispute), holidays and required notices.
@Suite("Contact planner: suppression and holidays")
struct ContactSuppressionTests {
    static let d0 = C.day("2026-03-10")
    static let notice = "C1 notice:credit_notice@2026-03-10"

    /// C1 has a daily SMS step and a required credit notice acted on tonight.
    static func scenario() -> ContactScenario {
        var s = ContactScenario([C.sms()])
        s.policy.notices[.creditNotice] = NoticeRule(kind: .creditNotice, channel: .sms, template: "N", required: true, validDays: 3)
        s.addCase()
        s.actions = [Action(caseKey: ContactScenario.key("C1"), episode: 1, loanID: "L1", kind: .creditNotice,
                            dueOn: d0, actedOn: d0, amount: nil)]
        return s
    }

    @Test func withoutSuppressionBothGoOut() {
        let plan = Self.scenario().plan()
        #expect(plan.planned.sorted() == ["\(Self.notice) sms", "C1 sms@D+10 sms"])
        #expect(plan.contacts.first { $0.stepKey == "notice:credit_notice" }?.required == true)
    }

    /// Deceased and bankrupt customers get nothing, not even a required notice.
    @Test(arguments: [(EventKind.deceased, HoldReason.deceased), (.bankruptcy, .bankruptcy)])
    func absoluteSuppressionHoldsRequiredNotices(kind: EventKind, reason: HoldReason) {
        var s = Self.scenario()
        s.event(kind, on: Self.d0 - 3)
        let plan = s.plan()
        #expect(plan.contacts.isEmpty)
        #expect(plan.held.sorted() == ["\(Self.notice) \(reason.rawValue) deferred", "C1 sms@D+10 \(reason.rawValue) dropped"])
    }

    /// A customer whose event row was rejected tonight gets nothing, a required notice included:
    /// the row may have been a death or a stop request. Other customers are not touched.
    @Test func anUnreadEventHoldsEverythingTonight() {
        var s = Self.scenario()
        s.addCase("C2")
        s.unreadEvents = ["C1"]
        let plan = s.plan()
        #expect(plan.planned == ["C2 sms@D+10 sms"])
        #expect(plan.held.sorted() == ["\(Self.notice) suppressed_unread_event deferred", "C1 sms@D+10 suppressed_unread_event dropped"])
        // A death outranks it.
        s.event(.deceased, on: Self.d0 - 3)
        #expect(s.plan().held.sorted() == ["\(Self.notice) suppressed_deceased deferred", "C1 sms@D+10 suppressed_deceased dropped"])
    }

    /// Dispute, cease-communication and stop-collection let only the required notices through.
    @Test(arguments: [(EventKind.dispute, HoldReason.dispute), (.ceaseCommunication, .ceaseCommunication),
                      (.stopCollection, .stopCollection)])
    func softSuppressionLetsRequiredNoticesThrough(kind: EventKind, reason: HoldReason) {
        var s = Self.scenario()
        s.event(kind, on: Self.d0 - 3)
        let plan = s.plan()
        #expect(plan.planned == ["\(Self.notice) sms"])
        #expect(plan.held == ["C1 sms@D+10 \(reason.rawValue) dropped"])
    }

    /// A notice that is not required is suppressed like any contact.
    @Test func optionalNoticeIsSuppressed() {
        var s = ContactScenario()
        s.policy.notices[.preCollection] = NoticeRule(kind: .preCollection, channel: .sms, template: "R", required: false, validDays: 2)
        s.addCase(dpd: -2)
        s.actions = [Action(caseKey: ContactScenario.key("C1"), episode: 1, loanID: "", kind: .caseOpened,
                            dueOn: Self.d0, actedOn: Self.d0, amount: nil)]
        #expect(s.plan().planned == ["C1 notice:pre_collection@2026-03-10 sms"])
        s.event(.dispute, on: Self.d0 - 1)
        #expect(s.plan().held == ["C1 notice:pre_collection@2026-03-10 suppressed_dispute deferred"])
    }

    @Test func resumeCollectionClearsStopDisputeAndCease() {
        var s = Self.scenario()
        s.event(.stopCollection, on: Self.d0 - 5)
        s.event(.dispute, on: Self.d0 - 4)
        s.event(.ceaseCommunication, on: Self.d0 - 3)
        s.event(.resumeCollection, on: Self.d0 - 1)
        let plan = s.plan()
        #expect(plan.planned.sorted() == ["\(Self.notice) sms", "C1 sms@D+10 sms"])
        #expect(plan.deferrals.isEmpty)
    }

    /// Only what came before the resume is cleared; the latest instant wins whatever the input order.
    @Test func suppressionAfterAResumeStands() {
        var s = Self.scenario()
        s.event(.dispute, on: Self.d0 - 1)
        s.event(.resumeCollection, on: Self.d0 - 4)
        #expect(s.plan().held == ["C1 sms@D+10 suppressed_dispute dropped"])
        s.events["C1"]?.reverse()
        #expect(s.plan().held == ["C1 sms@D+10 suppressed_dispute dropped"])
    }

    /// A resume does not bring the deceased or the bankrupt back.
    @Test func resumeDoesNotClearDeceasedOrBankruptcy() {
        for kind in [EventKind.deceased, .bankruptcy] {
            var s = Self.scenario()
            s.event(kind, on: Self.d0 - 5)
            s.event(.resumeCollection, on: Self.d0 - 1)
            #expect(s.plan().contacts.isEmpty, "\(kind)")
        }
    }

    /// Deceased outranks the other suppressions in the recorded reason.
    @Test func deceasedIsTheReasonWhenSeveralApply() {
        var s = Self.scenario()
        s.event(.dispute, on: Self.d0 - 5)
        s.event(.stopCollection, on: Self.d0 - 4)
        s.event(.deceased, on: Self.d0 - 3)
        #expect(Set(s.plan().deferrals.map(\.heldBy)) == [.deceased])
    }

    /// A settled case is not in tonight's cases: nothing is planned for it.
    @Test func settledCaseGetsNothing() {
        var s = Self.scenario()
        s.cases = []
        s.actions = []
        s.planned(.sms, on: Self.d0 - 1)
        let plan = s.plan()
        #expect(plan.contacts.isEmpty && plan.deferrals.isEmpty)
    }

    /// Suppression is per customer.
    @Test func suppressionDoesNotSpillOverToOtherCustomers() {
        var s = Self.scenario()
        s.addCase("C2")
        s.event("C1", .stopCollection, on: Self.d0 - 1)
        let plan = s.plan()
        #expect(plan.planned.sorted() == ["\(Self.notice) sms", "C2 sms@D+10 sms"])
    }

    /// A holiday holds everything except the required notices.
    @Test func holidayLetsOnlyRequiredNoticesThrough() {
        var s = Self.scenario()
        s.policy.holidays = [Self.d0]
        var plan = s.plan()
        #expect(plan.planned == ["\(Self.notice) sms"])
        #expect(plan.held == ["C1 sms@D+10 holiday dropped"])
        s.policy.holidays = [Self.d0 - 1, Self.d0 + 1]
        plan = s.plan()
        #expect(plan.contacts.count == 2)
    }
}
