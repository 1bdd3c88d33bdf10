import Testing
@testable import DunningCore

@Suite("NightPlanner: settlement and re-opening")
struct NightEpisodeTests {
    let h = PlannerHarness()
    let D = Fixture.day("2026-03-10")

    /// A loan whose first instalment is overdue until `paidBy`, then paid; a second instalment later.
    func loan(on night: Day, paidBy: Day, second: String = "2026-05-10") -> Loan {
        Fixture.loan([("2026-03-10", 100_000, night >= paidBy ? 100_000 : 0), (second, 100_000, 0)])
    }

    @Test func settledWhenEverythingDueIsPaid() throws {
        let before = h.night(D + 3, [loan(on: D + 3, paidBy: D + 4)])
        let after = h.night(D + 4, [loan(on: D + 4, paidBy: D + 4)], history: before.actions)
        #expect(after.signatures == ["settled||due=2026-03-14|acted=2026-03-14|"])
        let settled = try #require(after.actions.first)
        #expect(settled.caseID == "C1/cash/1")
        #expect(settled.amount == nil)
        #expect(after.cases.isEmpty)
    }

    @Test func noSettlementWithoutOpenHistory() {
        let paid = Fixture.loan([("2026-03-10", 100_000, 100_000)])
        let d = h.night(D + 4, [paid])
        #expect(d.actions.isEmpty)
        #expect(d.cases.isEmpty)
    }

    @Test func settlesOnceOnly() {
        let open = h.night(D + 3, [loan(on: D + 3, paidBy: D + 4)])
        let settle = h.night(D + 4, [loan(on: D + 4, paidBy: D + 4)], history: open.actions)
        let later = h.night(D + 5, [loan(on: D + 5, paidBy: D + 4)], history: open.actions + settle.actions)
        #expect(later.actions.isEmpty)
        #expect(later.cases.isEmpty)
    }

    @Test func loanGoneFromLedgerSettlesOpenCase() {
        // docs/file-formats.md: the ledger is a complete extract; a case whose loans are all absent is settled.
        let open = h.night(D + 3, [loan(on: D + 3, paidBy: D + 10)])
        let d = h.night(D + 4, [], history: open.actions)
        #expect(d.signatures == ["settled||due=2026-03-14|acted=2026-03-14|"])
        #expect(d.cases.isEmpty)
    }

    @Test func nextInstalmentMoreThanTwoDaysAwaySettles() {
        // Overdue instalment paid; the next one is due in 3 days (DPD -3 < -2): settled.
        let open = h.night(D + 3, [loan(on: D + 3, paidBy: D + 4, second: "2026-03-17")])
        let d = h.night(D + 4, [loan(on: D + 4, paidBy: D + 4, second: "2026-03-17")], history: open.actions)
        #expect(d.signatures == ["settled||due=2026-03-14|acted=2026-03-14|"])
        // Due in 2 days instead (DPD -2): stays open, bucket drops to current.
        let stays = h.night(D + 4, [loan(on: D + 4, paidBy: D + 4, second: "2026-03-16")], history: open.actions)
        #expect(stays.of(.settled).isEmpty)
        #expect(stays.signatures == ["bucket_changed||due=2026-03-14|acted=2026-03-14|M0->current"])
        // The stage never goes back within an episode: penalty had started.
        #expect(stays.cases.first?.stage == .penalty)
        #expect(stays.cases.first?.dpd == -2)
    }

    @Test func reopensLaterAsEpisode2() throws {
        // Night by night: overdue from D, paid on D+4 (settled), second instalment due 2026-05-10 opens
        // episode 2 on 2026-05-08 (D-2 of that instalment).
        let run = h.nightly(from: D - 2, through: Fixture.day("2026-05-12")) { night in [loan(on: night, paidBy: D + 4)] }
        let caseLevel = run.all.filter { !$0.kind.isPerLoan }.map { "\($0.caseID) \(sig($0))" }
        #expect(caseLevel == [
            "C1/cash/1 case_opened||due=2026-03-08|acted=2026-03-08|",
            "C1/cash/1 bucket_changed||due=2026-03-11|acted=2026-03-11|current->M0",
            "C1/cash/1 settled||due=2026-03-14|acted=2026-03-14|",
            "C1/cash/2 case_opened||due=2026-05-08|acted=2026-05-08|",
            "C1/cash/2 bucket_changed||due=2026-05-11|acted=2026-05-11|current->M0",
        ])
        // Per-loan milestones start over in the new case: L1 gets a new penalty_started in episode 2.
        let penalties = run.all.filter { $0.kind == .penaltyStarted }.map { "\($0.caseID) \(sig($0))" }
        #expect(penalties == [
            "C1/cash/1 penalty_started|L1|due=2026-03-12|acted=2026-03-12|",
            "C1/cash/2 penalty_started|L1|due=2026-05-12|acted=2026-05-12|",
        ])
        // Between settlement and re-opening there is no case at all.
        #expect(run.perNight[Fixture.day("2026-04-01")]?.cases.isEmpty == true)
        #expect(run.perNight[Fixture.day("2026-05-07")]?.actions.isEmpty == true)
        let state = try #require(run.perNight[Fixture.day("2026-05-12")]?.cases.first)
        #expect(state.caseID == "C1/cash/2")
        #expect(state.episode == 2)
        #expect(state.dpd == 2)
    }

    @Test func reopenedCaseIsNeverDueBeforeThePreviousSettlement() {
        // Episode 1 settled on 2026-03-20. A new loan appears on 2026-03-25 already 4 days overdue:
        // its natural opening day (2026-03-19) precedes the settlement, so episode 2 opens due 2026-03-20.
        let prior = [PlannerHarness.c1: CaseHistory(episode: 1, openedOn: D - 2, settledOn: Fixture.day("2026-03-20"))]
        let newLoan = Fixture.loan(id: "L9", [("2026-03-21", 30_000, 0)])
        let d = h.night(Fixture.day("2026-03-25"), [newLoan], prior: prior)
        #expect(d.of(.caseOpened).map { "\($0.caseID) \(sig($0))" } == ["C1/cash/2 case_opened||due=2026-03-20|acted=2026-03-25|"])
    }

    @Test func settledHistoryWithNothingDueStaysClosed() {
        let prior = [PlannerHarness.c1: CaseHistory(episode: 3, openedOn: D - 2, settledOn: D + 4)]
        let d = h.night(D + 30, [Fixture.loan([("2026-06-01", 100_000, 0)])], prior: prior)
        #expect(d.actions.isEmpty)
        #expect(d.cases.isEmpty)
        // When it re-opens it is episode 4.
        let reopened = h.night(Fixture.day("2026-05-30"), [Fixture.loan([("2026-06-01", 100_000, 0)])], prior: prior)
        #expect(reopened.of(.caseOpened).map(\.caseID) == ["C1/cash/4"])
    }
}
