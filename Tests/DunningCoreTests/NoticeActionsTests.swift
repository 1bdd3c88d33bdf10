@testable import DunningCore
import Testing

/// The notice actions of a case, found by position in the night's actions: those of its case,
/// of the notice kinds only, in the night's order, whether or not the actions come sorted.
@Suite struct NoticeActionsTests {
    static let d0 = C.day("2026-03-10")

    static func action(_ customer: String, _ kind: MilestoneKind, loan: String = "L1") -> Action {
        Action(caseKey: ContactScenario.key(customer), episode: 1, loanID: loan, kind: kind, dueOn: d0, actedOn: d0, amount: nil)
    }

    @Test(arguments: [false, true])
    func eachCaseGetsItsOwnNoticeActionsInOrder(shuffled: Bool) {
        var actions = [
            Self.action("C1", .caseOpened), Self.action("C1", .bucketChanged), Self.action("C1", .creditNotice, loan: "L2"),
            Self.action("C2", .penaltyStarted), Self.action("C3", .litigationReferred), Self.action("C3", .creditNotice),
        ]
        if shuffled { actions = [actions[5], actions[2], actions[3], actions[0], actions[4], actions[1]] }
        let index = NoticeActions(actions)
        let c1 = index.of(ContactScenario.key("C1")).map { "\($0.kind.rawValue) \($0.loanID)" }
        #expect(c1 == (shuffled ? ["credit_notice L2", "case_opened L1"] : ["case_opened L1", "credit_notice L2"]))
        #expect(index.of(ContactScenario.key("C2")).isEmpty)
        #expect(index.of(ContactScenario.key("C3")).count == 2)
        #expect(index.of(ContactScenario.key("C9")).isEmpty)
        #expect(NoticeActions([]).of(ContactScenario.key("C1")).isEmpty)
    }
}
