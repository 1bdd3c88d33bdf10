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

/// The night's largest arrays stay compact: a first night at a million customers holds 3.2
/// million actions and a loan's milestones for every loan it replays.
@Suite struct CompactLayoutTests {
    @Test func sizes() {
        #expect(MemoryLayout<Action>.stride <= 88)
        #expect(MemoryLayout<LoanMilestones>.stride == 16)
    }

    @Test func anActionKeepsItsAmountAndEpisode() {
        let key = CaseKey(customerID: "C1", product: "cash")
        let d = Day(iso: "2026-03-10")!
        var a = Action(caseKey: key, episode: 3, loanID: "L1", kind: .penaltyStarted, dueOn: d, actedOn: d, amount: Money(minorUnits: 0))
        #expect(a.amount == Money(minorUnits: 0))
        #expect(a.episode == 3)
        a.amount = nil
        #expect(a.amount == nil)
        a.amount = Money(minorUnits: -5)
        #expect(a.amount == Money(minorUnits: -5))
        a.episode = 4
        #expect(a.caseID == "C1/cash/4")
        #expect(a != Action(caseKey: key, episode: 4, loanID: "L1", kind: .penaltyStarted, dueOn: d, actedOn: d, amount: nil))
    }
}
