import Testing
@testable import DunningCore

@Suite("NightPlanner: buckets and multi-loan cases")
struct NightBucketTests {
    let h = PlannerHarness()
    let D = Fixture.day("2026-03-10")

    @Test func catchUpAcrossSeveralBucketsEmitsOneChangePerBoundary() {
        // First night at D+95 (2026-06-13): current -> M0 -> M1 -> M2 -> M3+, each due D + bucket min.
        let loan = Fixture.loan([("2026-03-10", 100_000, 0)])
        let d = h.night(D + 95, [loan])
        #expect(d.of(.bucketChanged).map(sig) == [
            "bucket_changed||due=2026-03-11|acted=2026-06-13|current->M0",
            "bucket_changed||due=2026-04-10|acted=2026-06-13|M0->M1",
            "bucket_changed||due=2026-05-10|acted=2026-06-13|M1->M2",
            "bucket_changed||due=2026-06-09|acted=2026-06-13|M2->M3+",
        ])
        for change in d.of(.bucketChanged) { #expect(change.amount == Money(minorUnits: 100_000)) }
        #expect(d.cases.first?.bucket == "M3+")
        #expect(d.cases.first?.dpd == 95)
    }

    @Test func catchUpFromRecordedBucket() {
        let loan = Fixture.loan([("2026-03-10", 100_000, 0)])
        let prior = [PlannerHarness.c1: CaseHistory(episode: 1, openedOn: D - 2, bucket: "M0",
                                                     loanMilestones: ["L1": [.penaltyStarted: D + 2, .creditNotice: D + 5, .creditReported: D + 8]])]
        let d = h.night(D + 65, [loan], prior: prior)
        #expect(d.signatures == [
            "bucket_changed||due=2026-04-10|acted=2026-05-14|M0->M1",
            "bucket_changed||due=2026-05-10|acted=2026-05-14|M1->M2",
        ])
    }

    @Test func bucketDueDatesCountFromTheEarliestUnpaidInstalment() {
        // Instalment 1 (due 2026-03-10) is paid; instalment 2 due 2026-04-09 is unpaid.
        // As of 2026-05-14 the case DPD is 35: M0 was entered on 2026-04-10 (due + 1), M1 on 2026-05-10 (due + 31).
        let loan = Fixture.loan([("2026-03-10", 100_000, 100_000), ("2026-04-09", 100_000, 0)])
        let d = h.night(Fixture.day("2026-05-14"), [loan])
        #expect(d.cases.first?.dpd == 35)
        #expect(d.of(.bucketChanged).map(sig) == [
            "bucket_changed||due=2026-04-10|acted=2026-05-14|current->M0",
            "bucket_changed||due=2026-05-10|acted=2026-05-14|M0->M1",
        ])
        // Opened two days before the earliest unpaid due date.
        #expect(d.of(.caseOpened).map(\.dueOn.description) == ["2026-04-07"])
    }

    @Test func cureEmitsSingleChangeDownDatedTonight() {
        // Recorded in M2; tonight the oldest instalment is paid and the next one is 10 days late.
        let prior = [PlannerHarness.c1: CaseHistory(episode: 1, openedOn: D - 2, bucket: "M2",
                                                     loanMilestones: ["L1": [.penaltyStarted: D + 2, .creditNotice: D + 5, .creditReported: D + 8]])]
        let loan = Fixture.loan([("2026-03-10", 100_000, 100_000), ("2026-05-09", 50_000, 0)])
        let asOf = Fixture.day("2026-05-19")
        let d = h.night(asOf, [loan], prior: prior)
        #expect(d.of(.bucketChanged).map(sig) == ["bucket_changed||due=2026-05-19|acted=2026-05-19|M2->M0"])
        #expect(d.of(.bucketChanged).first?.amount == Money(minorUnits: 50_000))
        #expect(d.cases.first?.bucket == "M0")
        #expect(d.cases.first?.dpd == 10)
    }

    @Test func cureToCurrentIsOneChange() {
        // Recorded in M3+; everything overdue is paid, the next instalment is due tomorrow (D-1: still open).
        let prior = [PlannerHarness.c1: CaseHistory(episode: 1, openedOn: D - 2, bucket: "M3+")]
        let loan = Fixture.loan([("2026-03-10", 100_000, 100_000), ("2026-07-01", 50_000, 0)])
        let d = h.night(Fixture.day("2026-06-30"), [loan], prior: prior)
        #expect(d.signatures == ["bucket_changed||due=2026-06-30|acted=2026-06-30|M3+->current"])
        #expect(d.cases.first?.bucket == "current")
        #expect(d.cases.first?.dpd == -1)
        #expect(d.of(.settled).isEmpty)
    }

    @Test func noChangeWhileBucketStays() {
        let prior = [PlannerHarness.c1: CaseHistory(episode: 1, openedOn: D - 2, bucket: "M0",
                                                     loanMilestones: ["L1": [.penaltyStarted: D + 2, .creditNotice: D + 5, .creditReported: D + 8]])]
        let loan = Fixture.loan([("2026-03-10", 100_000, 0)])
        #expect(h.night(D + 30, [loan], prior: prior).actions.isEmpty)
        #expect(h.night(D + 31, [loan], prior: prior).signatures == ["bucket_changed||due=2026-04-10|acted=2026-04-10|M0->M1"])
    }

    @Test func multiLoanCaseTakesTheLargestDPD() throws {
        // L1: 1000.00 due D (DPD 10). L2: 500.00 due D+7 (DPD 3). Both customer C1, product cash.
        let l1 = Fixture.loan(id: "L1", [("2026-03-10", 100_000, 0)])
        let l2 = Fixture.loan(id: "L2", [("2026-03-17", 50_000, 0)])
        let d = h.night(D + 10, [l2, l1])
        #expect(d.cases.count == 1)
        let state = try #require(d.cases.first)
        #expect(state.dpd == 10)
        #expect(state.bucket == "M0")
        #expect(state.amountOverdue == Money(minorUnits: 150_000))
        // Penalty: L1 9 days x 0.50 = 4.50; L2 (0.25 a day) 2 days = 0.50.
        #expect(state.penaltyAccrued == Money(minorUnits: 450 + 50))
        #expect(d.signatures == [
            "case_opened||due=2026-03-08|acted=2026-03-20|",
            "bucket_changed||due=2026-03-11|acted=2026-03-20|current->M0",
            "penalty_started|L1|due=2026-03-12|acted=2026-03-20|",
            "credit_notice|L1|due=2026-03-15|acted=2026-03-20|",
            "penalty_started|L2|due=2026-03-19|acted=2026-03-20|",
        ])
        // Only L1 has reached D+8; its notice went out tonight.
        #expect(d.reportsAwaitingNotice == 1)
        // Amounts are per loan.
        #expect(d.of(.penaltyStarted).map(\.amount) == [Money(minorUnits: 100_000), Money(minorUnits: 50_000)])
    }

    @Test func perLoanMilestonesOncePerLoan() {
        // L2 reaches its own D+2 later: a second penalty_started, for L2 only.
        let l1 = Fixture.loan(id: "L1", [("2026-03-10", 100_000, 0)])
        let l2 = Fixture.loan(id: "L2", [("2026-03-17", 50_000, 0)])
        let run = h.nightly(from: D - 2, through: D + 20) { _ in [l1, l2] }
        let penalties = run.all.filter { $0.kind == .penaltyStarted }.map(sig)
        #expect(penalties == [
            "penalty_started|L1|due=2026-03-12|acted=2026-03-12|",
            "penalty_started|L2|due=2026-03-19|acted=2026-03-19|",
        ])
        #expect(run.all.filter { $0.kind == .caseOpened }.count == 1)
    }

    @Test func differentProductsAreDifferentCases() {
        let cash = Fixture.loan(id: "L1", product: "cash", [("2026-03-10", 100_000, 0)])
        let ecom = Fixture.loan(id: "L2", product: "ecom", [("2026-03-10", 20_000, 0)])
        let d = h.night(D + 1, [cash, ecom])
        #expect(d.cases.map(\.caseID) == ["C1/cash/1", "C1/ecom/1"])
        #expect(d.of(.caseOpened).map(\.caseID) == ["C1/cash/1", "C1/ecom/1"])
    }

    @Test func segmentUsesCustomerScoreBucketAndAmount() {
        var harness = h
        harness.strategy = Fixture.strategy(segments: [
            SegmentRule(name: "pre_due", buckets: ["current"]),
            SegmentRule(name: "early_low_risk", buckets: ["M0"], score: .range(min: 600, max: 1000)),
            SegmentRule(name: "early_unscored", buckets: ["M0"], score: .unscored),
            SegmentRule(name: "other"),
        ])
        let c1 = Fixture.loan(id: "L1", customer: "C1", [("2026-03-10", 100_000, 0)]) // unscored
        let c2 = Fixture.loan(id: "L2", customer: "C2", [("2026-03-10", 100_000, 0)]) // score 700
        #expect(harness.night(D - 1, [c1, c2]).cases.map(\.segment) == ["pre_due", "pre_due"])
        #expect(harness.night(D + 3, [c1, c2]).cases.map(\.segment) == ["early_unscored", "early_low_risk"])
        #expect(harness.night(D + 40, [c1, c2]).cases.map(\.segment) == ["other", "other"])
    }

    /// docs/strategy.md worked example, first run as of 2026-04-10 with the default segments.
    @Test func workedExampleFirstRun() throws {
        var harness = h
        harness.strategy = Fixture.strategy(
            penalty: PenaltyRule(dailyRate: Rate(nanos: 500_000), capRatio: Rate(nanos: 240_000_000), rounding: .halfUp),
            segments: [
                SegmentRule(name: "pre_due", buckets: ["current"]),
                SegmentRule(name: "early_low_risk", buckets: ["M0"], score: .range(min: 600, max: 1000)),
                SegmentRule(name: "early_unscored", buckets: ["M0"], score: .unscored),
                SegmentRule(name: "early_high_risk", buckets: ["M0"]),
                SegmentRule(name: "late_large", buckets: ["M1", "M2", "M3+"], minAmount: Money(minorUnits: 500_000)),
                SegmentRule(name: "late_small", buckets: ["M1", "M2", "M3+"]),
                SegmentRule(name: "other"),
            ])
        harness.customers = ["C1": Customer(id: "C1", score: 650)]
        let loan = Fixture.loan(product: "cash_loan", [("2026-03-01", 100_000, 0), ("2026-03-30", 100_000, 81_900), ("2026-04-30", 100_000, 0)])
        let d = harness.night(Fixture.day("2026-04-10"), [loan])
        let state = try #require(d.cases.first)
        #expect(state.caseID == "C1/cash_loan/1")
        #expect(state.stage == .penalty)
        #expect(state.bucket == "M1")
        #expect(state.dpd == 40)
        #expect(state.amountOverdue == Money(minorUnits: 118_100))
        #expect(state.penaltyAccrued == Money(minorUnits: 2041))
        #expect(state.segment == "late_small")
        // Everything is acted on tonight; amounts are the overdue 1181.00 (opening: due by 04-12, the same).
        #expect(d.actions.map { "\(sig($0))|\($0.amount?.description ?? "")" } == [
            "case_opened||due=2026-02-27|acted=2026-04-10||1181.00",
            "bucket_changed||due=2026-03-02|acted=2026-04-10|current->M0|1181.00",
            "penalty_started|L1|due=2026-03-03|acted=2026-04-10||1181.00",
            "credit_notice|L1|due=2026-03-06|acted=2026-04-10||1181.00",
            "bucket_changed||due=2026-04-01|acted=2026-04-10|M0->M1|1181.00",
        ])
        #expect(d.reportsAwaitingNotice == 1)
    }

    @Test func renamedBucketsGiveOneChangeToTheNewName() {
        // The recorded bucket "30+" is not in tonight's scheme: one change straight to M1, due tonight.
        let prior = [PlannerHarness.c1: CaseHistory(episode: 1, openedOn: D - 2, bucket: "30+",
                                                     loanMilestones: ["L1": [.penaltyStarted: D + 2, .creditNotice: D + 5, .creditReported: D + 8]])]
        let loan = Fixture.loan([("2026-03-10", 100_000, 0)])
        let d = h.night(D + 40, [loan], prior: prior)
        #expect(d.signatures == ["bucket_changed||due=2026-04-19|acted=2026-04-19|30+->M1"])
        #expect(d.of(.bucketChanged).first?.amount == Money(minorUnits: 100_000))
    }

    @Test func perLoanMilestonesAreNotRepeatedWithinAnEpisode() {
        // L1 falls behind, is paid up, and falls behind again on its next instalment while L2 keeps the
        // case open: L1's penalty_started and credit_notice are not emitted a second time.
        let run = h.nightly(from: D - 2, through: D + 45) { night in
            [
                Fixture.loan(id: "L1", [("2026-03-10", 100_000, night >= D + 6 ? 100_000 : 0), ("2026-04-10", 100_000, 0)]),
                Fixture.loan(id: "L2", [("2026-03-14", 50_000, 0)]), // overdue from D+5: keeps the case open
            ]
        }
        let l1 = run.all.filter { $0.loanID == "L1" }.map(sig)
        #expect(l1 == [
            "penalty_started|L1|due=2026-03-12|acted=2026-03-12|",
            "credit_notice|L1|due=2026-03-15|acted=2026-03-15|",
            // Not reported before the first cure (DPD 8 never reached); the second instalment reaches its
            // D+8 on 2026-04-18 and the notice recorded on 03-15 is for this loan: reported once, then.
            "credit_reported|L1|due=2026-04-18|acted=2026-04-18|",
        ])
        #expect(run.all.filter { $0.kind == .settled }.isEmpty)
        #expect(run.all.filter { $0.kind == .caseOpened }.count == 1)
    }
}
