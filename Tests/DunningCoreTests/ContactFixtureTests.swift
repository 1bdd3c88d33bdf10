@testable import DunningCore
import Foundation
import Testing

// Shared builders for the contact-plan tests, and a few checks that the fake clocks used by
// the other Contact*Tests files answer like the real tz database where they should.

/// A table-driven fake `ZoneClock`: per zone, a list of (from UTC epoch second, offset seconds),
/// sorted; the last entry whose `from` is at or before the instant applies.
struct TableClock: ZoneClock {
    var zones: [String: [Transition]]

    struct Transition: Sendable {
        var from: Int64
        var offset: Int
    }

    /// Zones with a constant offset, in minutes.
    static func fixed(_ offsetsInMinutes: [String: Int]) -> TableClock {
        TableClock(zones: offsetsInMinutes.mapValues { [Transition(from: .min, offset: $0 * 60)] })
    }

    /// One zone switching from `before` to `after` (minutes) at the UTC instant `at`.
    func with(_ zone: String, before: Int, after: Int, atEpochSeconds at: Int64) -> TableClock {
        var copy = self
        copy.zones[zone] = [Transition(from: .min, offset: before * 60), Transition(from: at, offset: after * 60)]
        return copy
    }

    func offsetSeconds(zone: String, atEpochSeconds epochSeconds: Int64) -> Int {
        guard let table = zones[zone], let first = table.first else {
            Issue.record("TableClock: unknown zone \(zone)")
            return 0
        }
        var offset = first.offset
        for t in table where t.from <= epochSeconds { offset = t.offset }
        return offset
    }
}

/// The system's tz database, as the engine uses it.
struct SystemClock: ZoneClock {
    func offsetSeconds(zone: String, atEpochSeconds epochSeconds: Int64) -> Int {
        TimeZone(identifier: zone)!.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(epochSeconds)))
    }
}

enum C {
    static func day(_ text: String) -> Day { Fixture.day(text) }

    /// UTC epoch seconds of a local wall-clock time at a fixed offset (minutes).
    static func epoch(_ day: Day, _ hour: Int, _ minute: Int = 0, offsetMinutes: Int = 0) -> Int64 {
        Int64(day.number) * 86_400 + Int64(hour * 3600 + minute * 60) - Int64(offsetMinutes * 60)
    }

    /// UTC minute of a local wall-clock time at a fixed offset (minutes).
    static func utcMinute(_ day: Day, _ hour: Int, _ minute: Int = 0, offsetMinutes: Int = 0) -> Int64 {
        Int64(day.number) * 1440 + Int64(hour * 60 + minute - offsetMinutes)
    }

    /// (local day, minute of day) of a UTC minute in `zone`.
    static func local(_ utcMinute: Int64, _ zone: String, _ clock: some ZoneClock) -> (day: Day, minute: Int) {
        let offset = Int64(clock.offsetSeconds(zone: zone, atEpochSeconds: utcMinute * 60) / 60)
        let local = utcMinute + offset
        let dayNumber = local >= 0 ? local / 1440 : -((-local + 1439) / 1440)
        return (Day(number: Int32(dayNumber)), Int(local - dayNumber * 1440))
    }

    static func band(_ text: String) -> TimeBand {
        guard let b = TimeBand.parse(text) else {
            Issue.record("band \(text) did not parse")
            return TimeBand(start: 0, end: 0)
        }
        return b
    }

    static func sms(_ id: String = "sms", _ days: StepDays = .range(from: 1, to: nil, every: 1), priority: Int = 50,
                    valid: Int = 1, band: TimeBand? = nil) -> TreatmentStep {
        TreatmentStep(id: id, channel: .sms, template: "SMS", days: days, band: band, priority: priority, validDays: valid)
    }

    static func call(_ id: String = "call", _ days: StepDays = .range(from: 1, to: nil, every: 1), priority: Int = 50,
                     valid: Int = 1, band: TimeBand? = nil) -> TreatmentStep {
        TreatmentStep(id: id, channel: .call, template: "CALL", days: days, band: band, priority: priority, validDays: valid)
    }

    static func ivr(_ id: String = "ivr", _ days: StepDays = .range(from: 1, to: nil, every: 1), priority: Int = 50,
                    valid: Int = 1) -> TreatmentStep {
        TreatmentStep(id: id, channel: .ivr, template: "IVR", days: days, priority: priority, validDays: valid)
    }

    static func thirdParty(_ id: String = "tp", priority: Int = 30) -> TreatmentStep {
        TreatmentStep(id: id, channel: .call, template: "TP", target: .emergencyContact,
                      days: .range(from: 1, to: nil, every: 1), priority: priority)
    }
}

/// One night of the contact planner, built by hand: a policy, cases, customers, events, history.
struct ContactScenario {
    var policy = ContactPolicy()
    var segments: [SegmentRule] = [SegmentRule(name: "everyone", treatment: "t")]
    var defaultZone = "Z/UTC"
    var clock: any ZoneClock = TableClock.fixed(["Z/UTC": 0])
    var asOf = C.day("2026-03-10")
    var previousRun: Day?
    var cases: [CaseState] = []
    var actions: [Action] = []
    var prior: [CaseKey: CaseHistory] = [:]
    var customers: [String: Customer] = [:]
    var events: [String: [Event]] = [:]
    var priorContacts: [String: [PriorContact]] = [:]
    var unreadEvents: Set<String> = []
    var adoptedBefore: Day?
    /// The run's start (UTC minute): nothing is planned before it. Nil: a simulation.
    var notBefore: Int64?

    /// A scenario whose segment `everyone` follows treatment `t` made of `steps`.
    init(_ steps: [TreatmentStep] = []) {
        policy.treatments["t"] = Treatment(name: "t", steps: steps)
    }

    var strategy: Strategy {
        var s = Fixture.strategy(segments: segments)
        s.defaultCustomerTimeZone = defaultZone
        s.contact = policy
        return s
    }

    var input: ContactPlanner.NightInput {
        .init(cases: cases, actions: actions, prior: prior, customers: customers, events: events,
              priorContacts: priorContacts, unreadEvents: unreadEvents)
    }

    func plan() -> ContactPlan {
        var planner = ContactPlanner(strategy: strategy, asOf: asOf, previousRun: previousRun, clock: clock)
        planner.adoptedBefore = adoptedBefore
        planner.notBefore = notBefore
        return planner.plan(input)
    }

    /// The same scenario one or more nights later: every case's DPD moves along.
    func later(_ days: Int) -> ContactScenario {
        var copy = self
        copy.asOf = asOf + days
        copy.cases = cases.map { var c = $0; c.dpd += days; return c }
        return copy
    }

    static func key(_ customer: String, _ product: String = "cash") -> CaseKey {
        CaseKey(customerID: customer, product: product)
    }

    mutating func addCase(_ customer: String = "C1", product: String = "cash", dpd: Int = 10,
                          segment: String = "everyone", zone: String? = nil, emergencyContacts: Int = 0) {
        cases.append(CaseState(key: Self.key(customer, product), episode: 1, stage: .overdue,
                               bucket: dpd > 0 ? "M0" : "current", dpd: dpd, amountOverdue: Money(minorUnits: 100_000),
                               penaltyAccrued: .zero, segment: segment, currency: "CNY"))
        if customers[customer] == nil {
            customers[customer] = Customer(id: customer, score: nil, timeZone: zone, emergencyContacts: emergencyContacts)
        }
    }

    /// An event at a local hour of `day` in the (UTC) default zone; `offsetMinutes` for other zones.
    mutating func event(_ customer: String, _ kind: EventKind, on day: Day, hour: Int = 10, minute: Int = 0,
                        value: String = "", offsetMinutes: Int = 0) {
        let epoch = C.epoch(day, hour, minute, offsetMinutes: offsetMinutes)
        events[customer, default: []].append(Event(at: "\(day)T\(hour):\(minute)", epochSeconds: epoch, localDay: day,
                                                   customerID: customer, kind: kind, value: value))
    }

    /// The same for customer C1.
    mutating func event(_ kind: EventKind, on day: Day, hour: Int = 10, minute: Int = 0, value: String = "",
                        offsetMinutes: Int = 0) {
        event("C1", kind, on: day, hour: hour, minute: minute, value: value, offsetMinutes: offsetMinutes)
    }

    /// `count` events of `kind` at 10:00, 10:01, ... on `day`.
    mutating func events(_ customer: String = "C1", _ kind: EventKind, _ count: Int, on day: Day) {
        for i in 0..<count { event(customer, kind, on: day, hour: 10, minute: i) }
    }

    /// What an earlier night planned for `customer` on `day`.
    mutating func planned(_ customer: String, _ channel: Channel, on day: Day, count: Int = 1,
                          stepKey: String = "earlier", occurrence: Day? = nil, target: ContactTarget = .debtor,
                          product: String = "cash") {
        for _ in 0..<count {
            priorContacts[customer, default: []].append(PriorContact(
                customerID: customer, caseID: Self.key(customer, product).caseID(episode: 1), channel: channel,
                target: target, localDay: day, stepKey: stepKey, occurrence: occurrence ?? day))
        }
    }
}

extension ContactScenario {
    /// What an earlier night planned for C1.
    mutating func planned(_ channel: Channel, on day: Day, count: Int = 1, stepKey: String = "earlier",
                          occurrence: Day? = nil, target: ContactTarget = .debtor, product: String = "cash") {
        planned("C1", channel, on: day, count: count, stepKey: stepKey, occurrence: occurrence, target: target,
                product: product)
    }
}

extension ContactPlan {
    /// `customer stepKey@occurrence channel` of each planned contact.
    var planned: [String] { contacts.map { "\($0.customerID) \($0.reason) \($0.channel.rawValue)" } }
    /// `customer reason heldBy outcome` of each deferral.
    var held: [String] { deferrals.map { "\($0.customerID) \($0.reason) \($0.heldBy.rawValue) \($0.outcome.rawValue)" } }
    func contacts(of customer: String) -> [PlannedContact] { contacts.filter { $0.customerID == customer } }
    func held(_ reason: HoldReason) -> [Deferral] { deferrals.filter { $0.heldBy == reason } }
}

@Suite("Contact fixtures: the fake clocks")
struct ContactFixtureTests {
    @Test func fixedTableClockAnswersItsOffsets() {
        let clock = TableClock.fixed(["A": 480, "B": -300, "K": 345])
        #expect(clock.offsetSeconds(zone: "A", atEpochSeconds: 0) == 28_800)
        #expect(clock.offsetSeconds(zone: "B", atEpochSeconds: 1_800_000_000) == -18_000)
        #expect(clock.offsetSeconds(zone: "K", atEpochSeconds: -86_400) == 20_700)
    }

    @Test func switchingTableClockChangesExactlyAtTheInstant() {
        let clock = TableClock.fixed([:]).with("S", before: 0, after: 60, atEpochSeconds: 1000)
        #expect(clock.offsetSeconds(zone: "S", atEpochSeconds: 999) == 0)
        #expect(clock.offsetSeconds(zone: "S", atEpochSeconds: 1000) == 3600)
        #expect(clock.offsetSeconds(zone: "S", atEpochSeconds: 5000) == 3600)
    }

    /// The tz database knows the zones the Foundation-backed tests rely on.
    @Test(arguments: [
        ("America/New_York", "2026-03-08T06:59:00Z", -18_000), ("America/New_York", "2026-03-08T07:00:00Z", -14_400),
        ("America/New_York", "2026-11-01T05:59:00Z", -14_400), ("America/New_York", "2026-11-01T06:00:00Z", -18_000),
        ("Asia/Shanghai", "2026-07-01T00:00:00Z", 28_800), ("Asia/Urumqi", "2026-07-01T00:00:00Z", 21_600),
        ("Asia/Kathmandu", "2026-07-01T00:00:00Z", 20_700),
    ])
    func systemClockKnowsTheTestZones(zone: String, instant: String, offset: Int) throws {
        let date = try #require(ISO8601DateFormatter().date(from: instant))
        #expect(SystemClock().offsetSeconds(zone: zone, atEpochSeconds: Int64(date.timeIntervalSince1970)) == offset)
    }
}
