import DunningCore
import DunningStore
import Foundation
import Testing

/// History retention (`--retain-days`): old log rows go, what later nights need stays.
@Suite struct RetentionTests {
    let day1 = Day(iso: "2026-01-05")!

    func record(_ day: Day) -> RunRecord {
        RunRecord(runDate: day, strategyName: "s", strategyHash: "h", engineVersion: "t", committedAt: "now",
                  openCases: 2, actions: 0, rejectedRows: 0, summaryJSON: "{}")
    }

    func state(_ customer: String) -> CaseState {
        CaseState(key: CaseKey(customerID: customer, product: "cash"), episode: 1, stage: .overdue, bucket: "M0", dpd: 5,
                  amountOverdue: Money(minorUnits: 100), penaltyAccrued: .zero, segment: "s", currency: "CNY")
    }

    func contact(_ customer: String, on day: Day) -> PlannedContact {
        PlannedContact(customerID: customer, caseID: "\(customer)/cash/1", channel: .sms, target: .debtor,
                       utcMinute: Int64(day.number) * 1440 + 600, scheduledAt: "\(day)T10:00+08:00", localDay: day,
                       template: "T", segment: "s", priority: 50, reason: "r", stepKey: "k", occurrence: day, required: false)
    }

    func event(_ kind: Event.Kind, on day: Day) -> Event {
        Event(at: "\(day)T09:00:00+08:00", epochSeconds: Int64(day.number) * 86_400, localDay: day, customerID: "C1",
              kind: kind, value: kind == .ptp ? (day + 3).description : "")
    }

    func audit(_ positions: [Int], segment: String) -> AuditRecord {
        AuditRecord(strategyName: "s", strategyHash: "h", source: StrategySource(yaml: Array("name: s".utf8)),
                    decisions: positions.map { ($0, DecisionRecord(stage: .overdue, bucket: "M0", dueOn: day1, amountOverdue: Money(minorUnits: 100),
                                                                   score: nil, segment: segment, variant: "")) })
    }

    func commit(_ store: StateStore, _ day: Day, decided: [Int], events: [Event] = [], keepSince: Day?) throws {
        let cases = [state("C1"), state("C2")]
        var plan = ContactPlan()
        plan.contacts = [contact("C1", on: day)]
        try store.commit(run: record(day), actions: [], cases: cases, events: events, plan: plan,
                         audit: audit(decided, segment: "seg-\(day)"), keepSince: keepSince)
    }

    func count(_ store: StateStore, _ sql: String) throws -> Int {
        try store.scalar(sql)
    }

    @Test func oldLogRowsGoAndWhatLaterNightsNeedStays() throws {
        let store = try StoreSupport.newStore("retention")
        // Night 1: both cases decided, a call attempt and a promise to pay recorded.
        try commit(store, day1, decided: [0, 1], events: [event(.callAttempt, on: day1), event(.ptp, on: day1)], keepSince: nil)
        // Night 2 (5 days later): only C1's decision changes.
        try commit(store, day1 + 5, decided: [0], keepSince: nil)
        // Night 3, 100 days after night 1, keeping 92 days: nights 1 and 2 are past the cutoff.
        let day3 = day1 + 100
        try commit(store, day3, decided: [], keepSince: day3 - 92)

        #expect(try count(store, "SELECT count(*) FROM contacts") == 1)              // tonight's only
        #expect(try count(store, "SELECT count(*) FROM contacts WHERE run_date < '\(day3)'") == 0)
        #expect(try count(store, "SELECT count(*) FROM events WHERE type = 'call_attempt'") == 0)
        #expect(try count(store, "SELECT count(*) FROM events WHERE type = 'ptp'") == 1)  // lasting
        // Each case keeps its latest decision, however old: C1 night 2's, C2 night 1's.
        #expect(try count(store, "SELECT count(*) FROM decisions") == 2)
        #expect(try count(store, "SELECT count(*) FROM decisions WHERE case_id = 'C1/cash/1' AND run_date = '\(day1 + 5)'") == 1)
        #expect(try count(store, "SELECT count(*) FROM decisions WHERE case_id = 'C2/cash/1' AND run_date = '\(day1)'") == 1)
        #expect(try count(store, "SELECT count(*) FROM runs") == 3)
        #expect(try store.decisions(before: day3 + 1).count == 2)
    }

    /// A case decided before the cutoff and again after it keeps its last row before the cutoff:
    /// that row is its state on the first nights a report may cover. 0.4.0 dropped it, and the
    /// case fell out of every cohort that started there (a cure rate of 52.63% for 15.38%).
    @Test func aCaseDecidedAgainKeepsItsStateAtTheCutoff() throws {
        let store = try StoreSupport.newStore("retention")
        try commit(store, day1, decided: [0, 1], keepSince: nil)
        try commit(store, day1 + 5, decided: [0], keepSince: nil)
        #expect(try store.historyFrom() == nil)
        let day3 = day1 + 100
        try commit(store, day3, decided: [0, 1], keepSince: day3 - 92)
        // C1: night 2's row (its state at the cutoff) and tonight's; night 1's was superseded before the cutoff.
        #expect(try count(store, "SELECT count(*) FROM decisions WHERE case_id = 'C1/cash/1'") == 2)
        #expect(try count(store, "SELECT count(*) FROM decisions WHERE case_id = 'C1/cash/1' AND run_date = '\(day1 + 5)'") == 1)
        #expect(try count(store, "SELECT count(*) FROM decisions WHERE case_id = 'C2/cash/1' AND run_date = '\(day1)'") == 1)
        #expect(try store.historyFrom() == day3 - 92)
        // A later night moves the horizon on, never back.
        try commit(store, day3 + 1, decided: [], keepSince: day3 - 200)
        #expect(try store.historyFrom() == day3 - 92)
    }

    @Test func withoutRetentionNothingIsDropped() throws {
        let store = try StoreSupport.newStore("retention")
        try commit(store, day1, decided: [0, 1], events: [event(.callAttempt, on: day1)], keepSince: nil)
        try commit(store, day1 + 5, decided: [0], keepSince: nil)
        try commit(store, day1 + 100, decided: [], keepSince: nil)
        #expect(try count(store, "SELECT count(*) FROM contacts") == 3)
        #expect(try count(store, "SELECT count(*) FROM decisions") == 3)
        #expect(try count(store, "SELECT count(*) FROM events") == 1)
    }

    /// A customer's decisions are read as a range of case IDs: IDs that extend another (C10,
    /// or C1/x with a slash) must not leak into C1's.
    @Test func aCustomersDecisionsAreOnlyItsOwn() throws {
        let store = try StoreSupport.newStore("retention")
        let cases = [state("C1"), state("C1/x"), state("C10"), state("C0")]
        try store.commit(run: record(day1), actions: [], cases: cases, events: [],
                         audit: audit([0, 1, 2, 3], segment: "s"))
        #expect(try store.decisions(customer: "C1", through: day1).keys.sorted() == ["C1/cash/1"])
        #expect(try store.decisions(customer: "C1/x", through: day1).keys.sorted() == ["C1/x/cash/1"])
        #expect(try store.decisions(customer: "C10", through: day1).keys.sorted() == ["C10/cash/1"])
    }
}
