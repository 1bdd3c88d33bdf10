import DunningCore
import Testing

/// How far back the store is read for earlier plans: never less than a decision can need.
@Suite struct ContactHistoryDaysTests {
    func policy(noticeDays: Int?, stepDays: Int) -> ContactPolicy {
        var p = ContactPolicy()
        p.treatments["t"] = Treatment(name: "t", steps: [
            TreatmentStep(id: "a", channel: .sms, template: "T", days: .list([1]), validDays: 1),
            TreatmentStep(id: "b", channel: .call, template: "T", days: .list([3]), validDays: stepDays),
        ])
        if let noticeDays {
            p.notices[.creditNotice] = NoticeRule(kind: .creditNotice, channel: .sms, template: "T", required: true, validDays: noticeDays)
        }
        return p
    }

    @Test func theCapsWeekIsTheFloor() {
        #expect(policy(noticeDays: nil, stepDays: 1).historyDays(missedNights: 0) == 8)
        #expect(ContactPolicy().historyDays(missedNights: 0) == 8)
    }

    @Test func theLongestValidityCounts() {
        #expect(policy(noticeDays: 20, stepDays: 3).historyDays(missedNights: 0) == 21)
        #expect(policy(noticeDays: 2, stepDays: 14).historyDays(missedNights: 0) == 15)
    }

    @Test func missedNightsExtendStepsUpToTheCatchUpLimit() {
        #expect(policy(noticeDays: 2, stepDays: 14).historyDays(missedNights: 5) == 20)
        // Catch-up stops at 31 missed nights: the most any strategy reads is 46 days.
        #expect(policy(noticeDays: 30, stepDays: 14).historyDays(missedNights: 400) == 46)
        #expect(policy(noticeDays: 2, stepDays: 1).historyDays(missedNights: -3) == 8)
    }
}
