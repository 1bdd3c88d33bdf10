import DunningCore
import Testing

/// A loan's per-loan milestone nights in sixteen bytes: reads, writes, literals and equality
/// behave as the dictionary they replace did.
@Suite struct LoanMilestonesTests {
    let d = Day(iso: "2026-03-10")!

    @Test func setGetAndClear() {
        var m = LoanMilestones()
        #expect(m.isEmpty)
        m[.creditNotice] = d
        m[.penaltyStarted] = d - 3
        #expect(m[.creditNotice] == d)
        #expect(m[.penaltyStarted] == d - 3)
        #expect(m[.creditReported] == nil)
        #expect(m.keys == [.penaltyStarted, .creditNotice])
        m[.creditNotice] = nil
        #expect(m.keys == [.penaltyStarted])
        // The case-wide kinds are never per loan.
        #expect(m[.caseOpened] == nil)
    }

    @Test func literalsAndEquality() {
        let m: LoanMilestones = [.litigationReferred: d, .creditReported: d - 1]
        #expect(m[.litigationReferred] == d)
        #expect(m == [.creditReported: d - 1, .litigationReferred: d])
        #expect(m != [.creditReported: d - 1])
        var nested: [String: LoanMilestones] = [:]
        nested["L1", default: [:]][.penaltyStarted] = d
        nested["L1", default: [:]][.creditNotice] = d + 3
        #expect(nested["L1"] == [.penaltyStarted: d, .creditNotice: d + 3])
        #expect("\(nested["L1"]!)" == "[penalty_started: 2026-03-10, credit_notice: 2026-03-13]")
    }
}
