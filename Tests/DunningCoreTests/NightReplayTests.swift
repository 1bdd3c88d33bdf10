import Testing
@testable import DunningCore

@Suite("NightPlanner: re-runs, missed nights, held cases")
struct NightReplayTests {
    let h = PlannerHarness()
    let D = Fixture.day("2026-03-10")
    func loan() -> Loan { Fixture.loan([("2026-03-10", 100_000, 0)]) }

    /// What identifies a milestone independently of the night it was acted on.
    func identity(_ a: Action) -> String { "\(a.caseID)|\(a.kind.rawValue)|\(a.loanID)|\(a.dueOn)|\(a.detail)" }

    @Test(arguments: [-2, 1, 2, 5, 8, 10, 31, 95, 365])
    func rerunningTheSameNightEmitsNothing(dpd: Int) {
        let first = h.night(D + dpd, [loan()])
        #expect(!first.actions.isEmpty)
        let again = h.night(D + dpd, [loan()], history: first.actions)
        #expect(again.actions.isEmpty)
        #expect(again.cases.map(\.caseID) == first.cases.map(\.caseID))
        #expect(again.cases.map(\.stage) == first.cases.map(\.stage))
    }

    @Test(arguments: [-2, 0, 1, 2, 4, 5, 7, 8, 10, 30, 31, 60, 90, 91, 364, 365, 400])
    func nextNightNeverRepeatsWhatNightNEmitted(dpd: Int) {
        let nightN = h.night(D + dpd, [loan()])
        let next = h.night(D + dpd + 1, [loan()], history: nightN.actions)
        let earlier = Set(nightN.actions.map(identity))
        for action in next.actions {
            #expect(!earlier.contains(identity(action)), "re-emitted \(identity(action))")
        }
    }

    @Test func missedNightsEmitEachCrossedMilestoneOnceWithItsNaturalDueDate() {
        // Runs on D+1, then D+6, D+11, D+33 and D+100 only.
        var history: [Action] = []
        var emitted: [String: [String]] = [:]
        for dpd in [1, 6, 11, 33, 100] {
            let d = h.night(D + dpd, [loan()], history: history)
            emitted[(D + dpd).description] = d.signatures
            history += d.actions
        }
        #expect(emitted["2026-03-11"] == [
            "case_opened||due=2026-03-08|acted=2026-03-11|",
            "bucket_changed||due=2026-03-11|acted=2026-03-11|current->M0",
        ])
        #expect(emitted["2026-03-16"] == [
            "penalty_started|L1|due=2026-03-12|acted=2026-03-16|",
            "credit_notice|L1|due=2026-03-15|acted=2026-03-16|",
        ])
        #expect(emitted["2026-03-21"] == ["credit_reported|L1|due=2026-03-18|acted=2026-03-21|"])
        #expect(emitted["2026-04-12"] == ["bucket_changed||due=2026-04-10|acted=2026-04-12|M0->M1"])
        #expect(emitted["2026-06-18"] == [
            "bucket_changed||due=2026-05-10|acted=2026-06-18|M1->M2",
            "bucket_changed||due=2026-06-09|acted=2026-06-18|M2->M3+",
        ])
        #expect(Set(history.map(identity)).count == history.count)
    }

    @Test func decideAtXThenXPlus5() {
        // X = D+6 (first night): opened, M0, penalty, notice (report not yet due).
        let x = h.night(D + 6, [loan()])
        #expect(x.actions.map(\.kind) == [.caseOpened, .bucketChanged, .penaltyStarted, .creditNotice])
        #expect(x.reportsAwaitingNotice == 0)
        // X+5 = D+11 with replay of X: only the report, due D+8.
        let x5 = h.night(D + 11, [loan()], history: x.actions)
        #expect(x5.signatures == ["credit_reported|L1|due=2026-03-18|acted=2026-03-21|"])
    }

    @Test func missedNightsMatchNightlyRunsExceptForTheNightActedOn() {
        // Whatever the schedule of runs, the same milestones with the same due dates are emitted.
        let nightly = h.nightly(from: D - 2, through: D + 120) { _ in [loan()] }.all
        var sparse: [Action] = []
        for dpd in [-1, 3, 4, 9, 17, 58, 59, 90, 120] {
            sparse += h.night(D + dpd, [loan()], history: sparse).actions
        }
        #expect(Set(sparse.map(identity)) == Set(nightly.map(identity)))
        #expect(sparse.count == nightly.count)
    }

    @Test func heldKeysAreSkipped() {
        let c1 = Fixture.loan(id: "L1", customer: "C1", [("2026-03-10", 100_000, 0)])
        let c2 = Fixture.loan(id: "L2", customer: "C2", [("2026-03-10", 100_000, 0)])
        let d = h.night(D + 3, [c1, c2], held: [PlannerHarness.c1])
        #expect(d.cases.map(\.caseID) == ["C2/cash/1"])
        #expect(Set(d.actions.map(\.caseKey.customerID)) == ["C2"])
        #expect(!d.actions.isEmpty)
    }

    @Test func heldOpenCaseIsNeitherSettledNorAdvanced() {
        let open = h.night(D + 3, [loan()])
        // Tonight its rows were rejected: no loans for it, and it is held.
        let held = h.night(D + 4, [], history: open.actions, held: [PlannerHarness.c1])
        #expect(held.actions.isEmpty)
        #expect(held.cases.isEmpty)
        // Held with loans that would cross into credit notice: still nothing.
        let heldWithLoans = h.night(D + 5, [loan()], history: open.actions, held: [PlannerHarness.c1])
        #expect(heldWithLoans.actions.isEmpty)
        // Next night, no longer held: the notice is emitted with its natural due date.
        let released = h.night(D + 6, [loan()], history: open.actions)
        #expect(released.signatures == ["credit_notice|L1|due=2026-03-15|acted=2026-03-16|"])
    }
}

@Suite("CaseHistory.replay and Action helpers")
struct CaseHistoryTests {
    let key = PlannerHarness.c1
    let D = Fixture.day("2026-03-10")

    func action(_ kind: MilestoneKind, episode: Int = 1, loan: String = "", acted: Day, detail: String = "") -> Action {
        Action(caseKey: key, episode: episode, loanID: loan, kind: kind, dueOn: acted, actedOn: acted, amount: nil, detail: detail)
    }

    @Test func replayBuildsLatestHistory() throws {
        let history = CaseHistory.replay([
            action(.caseOpened, acted: D - 2),
            action(.bucketChanged, acted: D + 1, detail: "current->M0"),
            action(.penaltyStarted, loan: "L1", acted: D + 2),
            action(.creditNotice, loan: "L1", acted: D + 5),
            action(.bucketChanged, acted: D + 31, detail: "M0->M1"),
        ])
        let h = try #require(history[key])
        #expect(h.episode == 1)
        #expect(h.openedOn == D - 2)
        #expect(h.settledOn == nil)
        #expect(h.bucket == "M1")
        #expect(h.loanMilestones == ["L1": [.penaltyStarted: D + 2, .creditNotice: D + 5]])
    }

    @Test func replayStartsNewEpisodeOnlyWithCaseOpened() throws {
        let history = CaseHistory.replay([
            action(.caseOpened, acted: D - 2),
            action(.bucketChanged, acted: D + 1, detail: "current->M0"),
            action(.settled, acted: D + 4),
            action(.penaltyStarted, episode: 2, loan: "L1", acted: D + 40), // orphan: ignored
            action(.caseOpened, episode: 2, acted: D + 50),
        ])
        let h = try #require(history[key])
        #expect(h.episode == 2)
        #expect(h.openedOn == D + 50)
        #expect(h.settledOn == nil)
        #expect(h.bucket == "current")
        #expect(h.loanMilestones.isEmpty)
    }

    @Test func replayWithoutCaseOpenedHasNoHistory() {
        #expect(CaseHistory.replay([action(.penaltyStarted, loan: "L1", acted: D + 2)]).isEmpty)
    }

    @Test func settledIsRecorded() {
        let history = CaseHistory.replay([action(.caseOpened, acted: D - 2), action(.settled, acted: D + 4)])
        #expect(history[key]?.settledOn == D + 4)
    }

    @Test func bucketChangeTarget() {
        #expect(Action.bucketChangeTarget("M0->M1") == "M1")
        #expect(Action.bucketChangeTarget("M2->M3+") == "M3+")
        #expect(Action.bucketChangeTarget("current->M0") == "M0")
        #expect(Action.bucketChangeTarget("A>B->C>D") == "C>D")
        #expect(Action.bucketChangeTarget("M0->") == "")
        #expect(Action.bucketChangeTarget("M0") == nil)
        #expect(Action.bucketChangeTarget("") == nil)
    }

    @Test func caseIdentifier() {
        #expect(CaseKey(customerID: "C1", product: "cash").caseID(episode: 2) == "C1/cash/2")
        #expect(action(.caseOpened, episode: 7, acted: D).caseID == "C1/cash/7")
    }

    @Test func perLoanKinds() {
        #expect(MilestoneKind.allCases.filter(\.isPerLoan) == [.penaltyStarted, .creditNotice, .creditReported, .litigationReferred])
    }
}
