@testable import DunningCore
import Testing

/// What happens to a step occurrence that cannot go out tonight: deferred inside its validity,
/// dropped with a reason after it, superseded by a newer occurrence, lost in missed nights.
@Suite("Contact planner: deferred, dropped, superseded, missed nights")
struct ContactDeferralTests {
    static let d0 = C.day("2026-03-10")

    /// An SMS on D+10 only, valid 3 days; the case is at D+10 tonight.
    static func scenario(valid: Int = 3) -> ContactScenario {
        var s = ContactScenario([C.sms("once", .list([10]), valid: valid)])
        s.addCase()
        return s
    }

    @Test func heldInsideItsValidityIsDeferredThenSent() {
        var s = Self.scenario()
        s.policy.holidays = [Self.d0]
        let tonight = s.plan()
        #expect(tonight.held == ["C1 once@D+10 holiday deferred"])
        let deferral = tonight.deferrals[0]
        #expect(deferral.retryUntil == Self.d0 + 2)
        #expect(deferral.occurrence == Self.d0)
        // The next night it goes out, still named after its own day.
        var next = s.later(1)
        next.previousRun = Self.d0
        let plan = next.plan()
        #expect(plan.planned == ["C1 once@D+10 sms"])
        #expect(plan.contacts.first?.occurrence == Self.d0)
        #expect(plan.contacts.first?.localDay == Self.d0 + 1)
    }

    @Test func lastValidDayHeldIsDropped() {
        var s = Self.scenario().later(2)
        s.policy.holidays = [Self.d0 + 2]
        let plan = s.plan()
        #expect(plan.held == ["C1 once@D+10 holiday dropped"])
        #expect(plan.deferrals.first?.retryUntil == nil)
        // After its validity it is gone without a trace (it was reported when dropped).
        var after = Self.scenario().later(3)
        after.previousRun = Self.d0 + 2
        let none = after.plan()
        #expect(none.contacts.isEmpty && none.deferrals.isEmpty)
    }

    @Test func validOneDayIsDroppedTheSameNight() {
        var s = Self.scenario(valid: 1)
        s.policy.holidays = [Self.d0]
        #expect(s.plan().held == ["C1 once@D+10 holiday dropped"])
    }

    /// An occurrence an earlier night already planned is not planned again.
    @Test func servedOccurrenceIsNotRepeated() {
        var s = Self.scenario().later(1)
        s.planned(.sms, on: Self.d0, stepKey: "once", occurrence: Self.d0)
        let plan = s.plan()
        #expect(plan.contacts.isEmpty && plan.deferrals.isEmpty)
    }

    /// A daily step valid 3 days: tonight's occurrence wins; the one last night tried is
    /// superseded (once: older ones were already superseded last night).
    @Test func olderOccurrencesAreSuperseded() {
        var s = ContactScenario([C.sms("daily", valid: 3)])
        s.addCase()
        s.previousRun = Self.d0 - 1
        var plan = s.plan()
        #expect(plan.planned == ["C1 daily@D+10 sms"])
        #expect(plan.held == ["C1 daily@D+9 superseded dropped"])
        #expect(plan.deferrals.allSatisfy { $0.retryUntil == nil })
        // Served yesterday: D+8 was superseded by D+9 last night; nothing to report tonight.
        s.planned(.sms, on: Self.d0 - 1, stepKey: "daily", occurrence: Self.d0 - 1)
        plan = s.plan()
        #expect(plan.held.isEmpty)
        // Two missed nights: occurrences no run saw are each superseded.
        s = ContactScenario([C.sms("daily", valid: 3)])
        s.addCase()
        s.previousRun = Self.d0 - 3
        #expect(s.plan().held == ["C1 daily@D+8 superseded dropped", "C1 daily@D+9 superseded dropped"])
    }

    /// On the very first night (no earlier run) older occurrences were never seen: not reported.
    @Test func firstNightReportsNoSupersededOccurrences() {
        var s = ContactScenario([C.sms("daily", valid: 3)])
        s.addCase()
        let plan = s.plan()
        #expect(plan.planned == ["C1 daily@D+10 sms"])
        #expect(plan.deferrals.isEmpty)
    }

    /// A dropped occurrence is final: later nights must not report the same occurrence again.
    @Test func droppedOccurrenceIsReportedOnce() {
        var s = ContactScenario([C.sms("daily", valid: 3)])
        s.addCase()
        s.event(.dispute, on: Self.d0 - 10)
        var dropped: [String: [Day]] = [:]
        for night in 0..<4 {
            var n = s.later(night)
            n.previousRun = night == 0 ? nil : Self.d0 + night - 1
            for d in n.plan().deferrals where d.outcome == .dropped {
                dropped["\(d.stepKey)@\(d.occurrence)", default: []].append(n.asOf)
            }
        }
        let repeated = dropped.filter { $0.value.count > 1 }
        #expect(repeated.isEmpty, "\(repeated.sorted { $0.key < $1.key })")
    }

    /// Occurrences that fell due and expired on nights that never ran are reported as missed.
    @Test func missedNightsAreReported() {
        var s = ContactScenario([C.sms("daily")])
        s.addCase()
        s.previousRun = Self.d0 - 3
        let plan = s.plan()
        #expect(plan.planned == ["C1 daily@D+10 sms"])
        #expect(plan.held == ["C1 daily@D+8 missed_night dropped", "C1 daily@D+9 missed_night dropped"])
        // Nothing is missed when last night ran, or when there was no earlier run.
        s.previousRun = Self.d0 - 1
        #expect(s.plan().deferrals.isEmpty)
        s.previousRun = nil
        #expect(s.plan().deferrals.isEmpty)
    }

    /// Only nights after the previous run count as missed; what expired under the previous run is its own business.
    @Test func missedNightsStartAfterThePreviousRun() {
        var s = ContactScenario([C.sms("daily", valid: 2)])
        s.addCase()
        s.previousRun = Self.d0 - 3
        let plan = s.plan()
        #expect(plan.planned == ["C1 daily@D+10 sms"])
        // D+9 (yesterday) is still valid but superseded; D+8 expired on a missed night; D+7 fell
        // due on the previous run's night and is not reported again.
        #expect(plan.held == ["C1 daily@D+8 missed_night dropped", "C1 daily@D+9 superseded dropped"])
    }

    /// An occurrence from a missed night that is still valid goes out tonight.
    @Test func missedOccurrenceStillValidGoesOut() {
        var s = ContactScenario([C.sms("d9", .list([9]), valid: 2)])
        s.addCase()
        s.previousRun = Self.d0 - 2
        let plan = s.plan()
        #expect(plan.planned == ["C1 d9@D+9 sms"])
        #expect(plan.contacts.first?.occurrence == Self.d0 - 1)
        #expect(plan.deferrals.isEmpty)
    }

    /// Steps before the due date (negative DPD) and on it are named D-n and D+0.
    @Test func reasonsNameTheDay() {
        var s = ContactScenario([C.sms("pre", .list([-2])), C.sms("due", .list([0]))])
        s.addCase(dpd: -2)
        #expect(s.plan().planned == ["C1 pre@D-2 sms"])
        #expect(s.later(2).plan().planned == ["C1 due@D+0 sms"])
    }

    /// The deferral row carries what contacts.csv would have carried.
    @Test func deferralRowCarriesTheStep() {
        var s = ContactScenario([TreatmentStep(id: "x", channel: .ivr, template: "IVR_T", days: .list([10]), priority: 42, validDays: 2)])
        s.addCase(segment: "everyone")
        s.policy.holidays = [Self.d0]
        let d = s.plan().deferrals.first
        #expect(d?.channel == .ivr)
        #expect(d?.template == "IVR_T")
        #expect(d?.priority == 42)
        #expect(d?.segment == "everyone")
        #expect(d?.caseID == "C1/cash/1")
        #expect(d?.stepKey == "x")
        #expect(d?.reason == "x@D+10")
        #expect(d?.target == .debtor)
        #expect(d?.required == false)
        #expect(d?.outcome == .deferred)
    }
}
