@testable import DunningCore
import Testing

/// Every deferral ends in a row that says how: an occurrence held last night that tonight neither
/// plans, holds nor drops gets a closing `dropped` row (before engine 0.5.0 it vanished).
@Suite struct DeferralClosingTests {
    static let tonight = C.day("2026-03-10")

    static func held(_ customer: String, step: String = "sms_d5", occurrence: Day = tonight - 1, until: Day? = tonight + 1,
                     outcome: Deferral.Outcome = .deferred) -> Deferral {
        Deferral(customerID: customer, caseID: "\(customer)/cash/1", channel: .sms, target: .debtor, template: "T", segment: "s",
                 priority: 50, reason: "r", stepKey: step, occurrence: occurrence, heldBy: .capChannelDay, outcome: outcome,
                 retryUntil: outcome == .deferred ? until : nil, required: false)
    }

    static func contact(_ d: Deferral) -> PlannedContact {
        PlannedContact(customerID: d.customerID, caseID: d.caseID, channel: d.channel, target: d.target, utcMinute: 0,
                       scheduledAt: "x", localDay: tonight, template: d.template, segment: d.segment, priority: d.priority,
                       reason: d.reason, stepKey: d.stepKey, occurrence: d.occurrence, required: false)
    }

    @Test func whatTonightCarriesOnGetsNoClosingRow() {
        let sent = Self.held("C1"), stillHeld = Self.held("C2"), droppedTonight = Self.held("C3")
        var plan = ContactPlan()
        plan.contacts = [Self.contact(sent)]
        var again = stillHeld
        again.heldBy = .window
        var over = droppedTonight
        over.outcome = .dropped
        plan.deferrals = [again, over]
        #expect(DeferralClosing.rows(previous: [sent, stillHeld, droppedTonight], tonight: plan, isOpen: { _ in true }, asOf: Self.tonight).isEmpty)
    }

    @Test func aHeldOccurrenceThatVanishesIsClosedWithItsReason() {
        let previous = [Self.held("C1"), Self.held("C2"), Self.held("C3", until: Self.tonight - 1),
                        Self.held("C4", outcome: .dropped)]
        let rows = DeferralClosing.rows(previous: previous, tonight: ContactPlan(), isOpen: { $0 != "C2/cash/1" }, asOf: Self.tonight)
        #expect(rows.map(\.customerID) == ["C1", "C2", "C3"], "a row dropped last night was already final")
        #expect(rows.map(\.heldBy) == [.noLongerDue, .caseClosed, .missedNight])
        #expect(rows.allSatisfy { $0.outcome == .dropped && $0.retryUntil == nil })
    }

    @Test func aDeferralListedOnTwoChannelsClosesOnce() {
        var ivr = Self.held("C1")
        ivr.channel = .ivr
        let rows = DeferralClosing.rows(previous: [Self.held("C1"), ivr], tonight: ContactPlan(), isOpen: { _ in true }, asOf: Self.tonight)
        #expect(rows.count == 1)
    }

    @Test func closingRowsAreMergedInOutputOrder() {
        var plan = ContactPlan()
        plan.deferrals = [Self.held("C1", step: "a"), Self.held("C3", step: "a")]
        let closing = DeferralClosing.rows(previous: [Self.held("C4"), Self.held("C2"), Self.held("C0")], tonight: plan,
                                           isOpen: { _ in true }, asOf: Self.tonight)
        let merged = DeferralClosing.merged(plan.deferrals, closing)
        #expect(merged.map(\.customerID) == ["C0", "C1", "C2", "C3", "C4"])
    }
}
