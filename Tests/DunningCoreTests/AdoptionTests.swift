@testable import DunningCore
import Testing

/// Going live on a book another system worked: on the store's first night, milestones due before
/// the adoption date are recorded as that system's (adopted), take effect on their due dates, and
/// never send a notice; those due on or after it are acted on as on any night.
@Suite struct AdoptionTests {
    let handOver = Fixture.day("2026-03-10")
    // Due 2026-02-28: D+5 credit notice 2026-03-05, D+8 report 2026-03-08, both before the hand-over.
    var old: Loan { Fixture.loan(id: "L1", [("2026-02-28", 100_00, 0)]) }
    // Due 2026-03-04: notice due 2026-03-09 (adopted), report due 2026-03-12 (after).
    var recent: Loan { Fixture.loan(id: "L2", [("2026-03-04", 50_00, 0)]) }

    func firstNight(_ loans: [Loan], adoptBefore: Day?) -> NightDecision {
        var byCase: [CaseKey: [Loan]] = [:]
        for loan in loans { byCase[PlannerHarness.c1, default: []].append(loan) }
        return NightPlanner(strategy: Fixture.strategy(), asOf: handOver, adoptBefore: adoptBefore)
            .decide(loans: byCase, customers: ["C1": Customer(id: "C1", score: nil)], prior: [:])
    }

    @Test func milestonesDueBeforeTheDateAreAdoptedTheOthersActedOn() {
        let decision = firstNight([old, recent], adoptBefore: handOver)
        for a in decision.actions { #expect(a.adopted == (a.dueOn < handOver), "\(sig(a))") }
        #expect(decision.actions.contains { $0.kind == .creditReported && $0.loanID == "L1" && $0.adopted })
        #expect(decision.actions.allSatisfy { $0.actedOn == handOver })
        // Without an adoption date the same night acts on everything.
        #expect(firstNight([old, recent], adoptBefore: nil).actions.allSatisfy { !$0.adopted })
    }

    @Test func anAdoptedMilestoneTakesEffectOnItsDueDate() {
        let decision = firstNight([recent], adoptBefore: handOver)
        let notice = decision.actions.first { $0.kind == .creditNotice }
        #expect(notice?.adopted == true)
        #expect(notice?.effectiveOn == Fixture.day("2026-03-09"))
        // Replayed, the notice counts from its due date: the report falls due 2026-03-12 and
        // goes out then, three days after the notice, as the lead time asks.
        let history = CaseHistory.replay(decision.actions)
        #expect(history[PlannerHarness.c1]?.loanMilestones["L2"]?[.creditNotice] == Fixture.day("2026-03-09"))
        let byCase: [CaseKey: [Loan]] = [PlannerHarness.c1: [recent]]
        let later = NightPlanner(strategy: Fixture.strategy(), asOf: Fixture.day("2026-03-12"))
            .decide(loans: byCase, customers: [:], prior: history)
        #expect(later.actions.contains { $0.kind == .creditReported && !$0.adopted })
        #expect(later.reportsAwaitingNotice == 0)
    }

    @Test func adoptedMilestonesSendNoNoticeTonightNorLater() {
        let notices = [NoticeRule(kind: .creditNotice, channel: .sms, template: "N_CREDIT", required: true, validDays: 3),
                       NoticeRule(kind: .preCollection, channel: .sms, template: "R_DUE", required: false, validDays: 2)]
        var s = ContactScenario()
        for rule in notices { s.policy.notices[rule.kind] = rule }
        s.addCase(dpd: 6)
        s.asOf = handOver
        let key = ContactScenario.key("C1")
        let adopted = Action(caseKey: key, episode: 1, loanID: "L2", kind: .creditNotice, dueOn: handOver - 1, actedOn: handOver,
                             amount: nil, adopted: true)
        s.actions = [adopted]
        s.adoptedBefore = handOver
        #expect(s.plan().contacts.isEmpty)
        #expect(s.plan().deferrals.isEmpty)
        // The next night it is in the history, still within its validity: still no notice.
        var next = s.later(1)
        next.actions = []
        next.prior = CaseHistory.replay([adopted])
        #expect(next.plan().contacts.isEmpty)
        // A notice the engine acted on itself the same night goes out.
        s.actions = [adopted, Action(caseKey: key, episode: 1, loanID: "L3", kind: .creditNotice, dueOn: handOver, actedOn: handOver, amount: nil)]
        #expect(s.plan().planned == ["C1 notice:credit_notice@2026-03-10 sms"])
    }
}
