import Testing
@testable import DunningCore

/// Stage boundaries of one unpaid instalment of 1000.00 due D = 2026-03-10, default schedule.
@Suite("NightPlanner: stages")
struct NightStageTests {
    let h = PlannerHarness()
    let D = Fixture.day("2026-03-10")
    func loan() -> Loan { Fixture.loan([("2026-03-10", 100_000, 0)]) }

    @Test func noCaseAtDMinus3() {
        let decision = h.night(D - 3, [loan()])
        #expect(decision.actions.isEmpty)
        #expect(decision.cases.isEmpty)
    }

    @Test func caseOpensAtDMinus2() throws {
        let decision = h.night(D - 2, [loan()])
        #expect(decision.signatures == ["case_opened||due=2026-03-08|acted=2026-03-08|"])
        let opened = try #require(decision.actions.first)
        #expect(opened.episode == 1)
        #expect(opened.caseID == "C1/cash/1")
        #expect(opened.amount == Money(minorUnits: 100_000))
        let state = try #require(decision.cases.first)
        #expect(decision.cases.count == 1)
        #expect(state.caseID == "C1/cash/1")
        #expect(state.stage == .preCollection)
        #expect(state.bucket == "current")
        #expect(state.dpd == -2)
        #expect(state.amountOverdue == .zero)
        #expect(state.penaltyAccrued == .zero)
        #expect(state.segment == "other")
        #expect(state.currency == "CNY")
    }

    @Test func openingAmountIsWhatFallsDueByTheDueDateOfTheWindow() throws {
        // At D-2 the window reaches D: instalments due on D count, one due D+1 does not.
        let loan = Fixture.loan([("2026-03-10", 100_000, 0), ("2026-03-10", 20_000, 5_000), ("2026-03-11", 70_000, 0)])
        let opened = try #require(h.night(D - 2, [loan]).of(.caseOpened).first)
        #expect(opened.amount == Money(minorUnits: 100_000 + 15_000))
    }

    @Test func penaltyStartsAtDPlus2NotDPlus1() {
        // First night at D+1: opened and bucket M0, but no penalty yet.
        let d1 = h.night(D + 1, [loan()])
        #expect(d1.of(.penaltyStarted).isEmpty)
        #expect(d1.cases.first?.stage == .overdue)
        #expect(d1.cases.first?.penaltyAccrued == .zero)
        // First night at D+2: penalty started, due D+2, on the overdue amount; one day accrued.
        let d2 = h.night(D + 2, [loan()])
        #expect(d2.of(.penaltyStarted).map(sig) == ["penalty_started|L1|due=2026-03-12|acted=2026-03-12|"])
        #expect(d2.of(.penaltyStarted).first?.amount == Money(minorUnits: 100_000))
        #expect(d2.cases.first?.stage == .penalty)
        #expect(d2.cases.first?.penaltyAccrued == Money(minorUnits: 50))
    }

    /// Nightly runs from D-3 to D+366: each milestone is emitted exactly on its day, nothing else ever.
    @Test func fullLifeNightByNight() throws {
        let run = h.nightly(from: D - 3, through: Fixture.day("2027-03-11")) { _ in [loan()] }
        let expected: [String: [String]] = [
            "2026-03-08": ["case_opened||due=2026-03-08|acted=2026-03-08|"],
            "2026-03-11": ["bucket_changed||due=2026-03-11|acted=2026-03-11|current->M0"],
            "2026-03-12": ["penalty_started|L1|due=2026-03-12|acted=2026-03-12|"],
            "2026-03-15": ["credit_notice|L1|due=2026-03-15|acted=2026-03-15|"],
            "2026-03-18": ["credit_reported|L1|due=2026-03-18|acted=2026-03-18|"],
            "2026-04-10": ["bucket_changed||due=2026-04-10|acted=2026-04-10|M0->M1"],   // D+31
            "2026-05-10": ["bucket_changed||due=2026-05-10|acted=2026-05-10|M1->M2"],   // D+61
            "2026-06-09": ["bucket_changed||due=2026-06-09|acted=2026-06-09|M2->M3+"],  // D+91
            "2027-03-10": ["litigation_referred|L1|due=2027-03-10|acted=2027-03-10|"], // 12 months
        ]
        for (night, decision) in run.perNight {
            #expect(decision.signatures == (expected[night.description] ?? []), "night \(night)")
            #expect(decision.reportsAwaitingNotice == 0, "night \(night)")
        }
        #expect(run.all.count == 9)
    }

    @Test("stage and DPD of the case, night by night", arguments: [
        (-2, Stage.preCollection), (-1, .preCollection), (0, .preCollection),
        (1, .overdue), (2, .penalty), (7, .penalty), (8, .creditReporting), (364, .creditReporting),
        (365, .litigation), // 2027-03-10
    ])
    func stageByDPD(dpd: Int, stage: Stage) throws {
        let run = h.nightly(from: D - 2, through: D + dpd) { _ in [loan()] }
        let state = try #require(run.perNight[D + dpd]?.cases.first)
        #expect(state.stage == stage)
        #expect(state.dpd == dpd)
    }

    @Test func milestoneAmounts() throws {
        let run = h.nightly(from: D - 2, through: Fixture.day("2027-03-10")) { _ in [loan()] }
        let byKind = Dictionary(grouping: run.all, by: \.kind)
        #expect(byKind[.penaltyStarted]?.first?.amount == Money(minorUnits: 100_000))
        #expect(byKind[.creditNotice]?.first?.amount == Money(minorUnits: 100_000))
        // Report at D+8: overdue 1000.00 + 7 days x 0.50 penalty.
        #expect(byKind[.creditReported]?.first?.amount == Money(minorUnits: 100_000 + 350))
        // Litigation at D+365: overdue + 364 days x 0.50 = 182.00.
        #expect(byKind[.litigationReferred]?.first?.amount == Money(minorUnits: 100_000 + 18_200))
        for change in byKind[.bucketChanged] ?? [] { #expect(change.amount == Money(minorUnits: 100_000)) }
        let state = try #require(run.perNight[D + 10]?.cases.first)
        #expect(state.penaltyAccrued == Money(minorUnits: 450))
        #expect(state.amountOverdue == Money(minorUnits: 100_000))
    }

    @Test func creditNoticeAtDPlus5() {
        #expect(h.night(D + 4, [loan()]).of(.creditNotice).isEmpty)
        #expect(h.night(D + 5, [loan()]).of(.creditNotice).map(sig) == ["credit_notice|L1|due=2026-03-15|acted=2026-03-15|"])
    }
}

@Suite("NightPlanner: credit reporting waits for the notice")
struct NightCreditReportTests {
    let h = PlannerHarness()
    let D = Fixture.day("2026-03-10")
    func loan() -> Loan { Fixture.loan([("2026-03-10", 100_000, 0)]) }

    func prior(noticeOn: Day?) -> [CaseKey: CaseHistory] {
        var milestones: LoanMilestones = [.penaltyStarted: D + 2]
        if let noticeOn { milestones[.creditNotice] = noticeOn }
        return [PlannerHarness.c1: CaseHistory(episode: 1, openedOn: D - 2, bucket: "M0", loanMilestones: ["L1": milestones])]
    }

    @Test func firstNightCatchUpAtDPlus10EmitsNoticeAndReportWaits() throws {
        let d10 = h.night(D + 10, [loan()])
        #expect(d10.signatures == [
            "case_opened||due=2026-03-08|acted=2026-03-20|",
            "bucket_changed||due=2026-03-11|acted=2026-03-20|current->M0",
            "penalty_started|L1|due=2026-03-12|acted=2026-03-20|",
            "credit_notice|L1|due=2026-03-15|acted=2026-03-20|",
        ])
        #expect(d10.reportsAwaitingNotice == 1)
        #expect(d10.cases.first?.stage == .penalty)

        // The next night the notice is one day old: the report goes out, due on its natural day D+8.
        let d11 = h.night(D + 11, [loan()], history: d10.actions)
        #expect(d11.signatures == ["credit_reported|L1|due=2026-03-18|acted=2026-03-21|"])
        #expect(d11.reportsAwaitingNotice == 0)
        // Overdue 1000.00 + 10 days x 0.50 of penalty as of D+11.
        #expect(d11.actions.first?.amount == Money(minorUnits: 100_000 + 500))
        #expect(d11.cases.first?.stage == .creditReporting)
    }

    @Test func noticeActedOnAtDPlus5ReportsAtDPlus8() {
        #expect(h.night(D + 7, [loan()], prior: prior(noticeOn: D + 5)).actions.isEmpty)
        let d8 = h.night(D + 8, [loan()], prior: prior(noticeOn: D + 5))
        #expect(d8.signatures == ["credit_reported|L1|due=2026-03-18|acted=2026-03-18|"])
        #expect(d8.reportsAwaitingNotice == 0)
    }

    @Test func noticeOneDayEarlierIsEnough() {
        let d8 = h.night(D + 8, [loan()], prior: prior(noticeOn: D + 7))
        #expect(d8.signatures == ["credit_reported|L1|due=2026-03-18|acted=2026-03-18|"])
    }

    @Test func noticeTheSameNightIsNotEnough() {
        let d8 = h.night(D + 8, [loan()], prior: prior(noticeOn: D + 8))
        #expect(d8.of(.creditReported).isEmpty)
        #expect(d8.reportsAwaitingNotice == 1)
    }

    @Test func reportNeverWithoutNotice() {
        // A history that somehow lacks the notice: the notice is emitted now, the report waits.
        let d9 = h.night(D + 9, [loan()], prior: prior(noticeOn: nil))
        #expect(d9.signatures == ["credit_notice|L1|due=2026-03-15|acted=2026-03-19|"])
        #expect(d9.reportsAwaitingNotice == 1)
    }

    @Test func longerLeadTime() {
        var harness = h
        var stages = StageSchedule()
        stages.creditNoticeLeadDays = 3
        harness.strategy = Fixture.strategy(stages: stages)
        // Notice on D+6: D+8 is only 2 days later, D+9 is 3.
        let d8 = harness.night(D + 8, [loan()], prior: prior(noticeOn: D + 6))
        #expect(d8.of(.creditReported).isEmpty)
        #expect(d8.reportsAwaitingNotice == 1)
        let d9 = harness.night(D + 9, [loan()], prior: prior(noticeOn: D + 6))
        #expect(d9.signatures == ["credit_reported|L1|due=2026-03-18|acted=2026-03-19|"])
    }
}

@Suite("NightPlanner: litigation")
struct NightLitigationTests {
    let h = PlannerHarness()

    @Test func leapDayDueDateClampsToEndOfFebruary() {
        // Due 2024-02-29: twelve months later is 2025-02-28 (2025 has no 29 February).
        let loan = Fixture.loan([("2024-02-29", 100_000, 0)])
        let run = h.nightly(from: Fixture.day("2024-02-27"), through: Fixture.day("2025-03-02")) { _ in [loan] }
        let referrals = run.all.filter { $0.kind == .litigationReferred }
        #expect(referrals.map(sig) == ["litigation_referred|L1|due=2025-02-28|acted=2025-02-28|"])
        #expect(run.perNight[Fixture.day("2025-02-27")]?.cases.first?.stage == .creditReporting)
        #expect(run.perNight[Fixture.day("2025-02-28")]?.cases.first?.stage == .litigation)
    }

    @Test func catchUpKeepsNaturalDueDate() {
        let loan = Fixture.loan([("2024-02-29", 100_000, 0)])
        let late = h.night(Fixture.day("2025-03-05"), [loan])
        #expect(late.of(.litigationReferred).map(sig) == ["litigation_referred|L1|due=2025-02-28|acted=2025-03-05|"])
        #expect(late.cases.first?.stage == .litigation)
        // Litigation does not wait for the credit report, which waits for tonight's notice.
        #expect(late.of(.creditReported).isEmpty)
        #expect(late.reportsAwaitingNotice == 1)
    }

    @Test func endOfMonthDueDates() {
        // 2025-03-31 + 12 months = 2026-03-31; 2025-08-31 + 12 months = 2026-08-31.
        let march = Fixture.loan(id: "L1", [("2025-03-31", 100_000, 0)])
        let d = h.night(Fixture.day("2026-03-31"), [march])
        #expect(d.of(.litigationReferred).map(\.dueOn.description) == ["2026-03-31"])
        #expect(h.night(Fixture.day("2026-03-30"), [march]).of(.litigationReferred).isEmpty)
    }

    @Test func litigationMonthsIsConfigurable() {
        var harness = h
        var stages = StageSchedule()
        stages.litigationMonths = 6
        harness.strategy = Fixture.strategy(stages: stages)
        // 2025-08-31 + 6 months = 2026-02-28 (clamped).
        let loan = Fixture.loan([("2025-08-31", 100_000, 0)])
        #expect(harness.night(Fixture.day("2026-02-27"), [loan]).of(.litigationReferred).isEmpty)
        #expect(harness.night(Fixture.day("2026-02-28"), [loan]).of(.litigationReferred).map(\.dueOn.description) == ["2026-02-28"])
    }
}
