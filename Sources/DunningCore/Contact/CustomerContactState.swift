/// One customer's contact situation tonight, derived from every recorded event and what earlier
/// nights planned. Days are local dates in the customer's first zone.
///
/// Contacts with an emergency contact are counted apart from the debtor's channel caps (they
/// reach another person) but within the customer's all-channel daily cap.
///
/// Caps count, per channel and day, the larger of what was planned and what the gateway or
/// dialer reported: a planned contact counts even if no outcome came back, and a contact made
/// outside the plan (a manual call) counts too.
public struct CustomerContactState: Sendable {
    public let asOf: Day
    /// Planned by earlier nights, per channel and local day.
    var planned: [Channel: [Day: Int]] = [:]
    /// Reported attempts, per channel and local day.
    var attempted: [Channel: [Day: Int]] = [:]
    var thirdPartyPlanned: [Day: Int] = [:]
    var thirdPartyAttempted: [Day: Int] = [:]
    /// Days with a telephone conversation with the debtor.
    var conversationDays: [Day] = []
    var lastReachedDay: Day?
    /// Failed attempts on the debtor since the debtor was last reached, and their distinct days.
    var failedAttempts = 0
    var failedAttemptDays: Set<Day> = []
    /// A step occurrence of a case: what "already planned" is keyed by.
    struct Occurrence: Hashable {
        var caseID: String
        var stepKey: String
        var day: Day
    }
    /// Step occurrences already served by earlier nights.
    var served: Set<Occurrence> = []
    /// What earlier nights planned for the customer (a handful of rows), kept for the spacing of
    /// `every` steps, looked up only when such a step is due.
    let prior: [PriorContact]

    /// An event row of this customer was rejected tonight: it may have been anything.
    public var unreadEvent = false
    public var deceased = false
    public var bankrupt = false
    public var stopped = false
    public var disputed = false
    public var ceased = false
    public var lastComplaintDay: Day?
    /// The latest promise: the day it was made and the promised date (capped).
    public var promise: (made: Day, promised: Day)?

    public init(asOf: Day, events: [Event], prior: [PriorContact], promiseMaxDays: Int,
                localDay: (Int64) -> Day) {
        self.asOf = asOf
        self.prior = prior
        for c in prior {
            served.insert(Occurrence(caseID: c.caseID, stepKey: c.stepKey, day: c.occurrence))
            if c.target == .emergencyContact {
                thirdPartyPlanned[c.localDay, default: 0] += 1
            } else {
                planned[c.channel, default: [:]][c.localDay, default: 0] += 1
            }
        }
        // Simultaneous events are ordered by kind and value, never by input position.
        for event in events.sorted(by: Event.chronological) {
            let day = localDay(event.epochSeconds)
            if let channel = event.kind.attemptChannel { attempted[channel, default: [:]][day, default: 0] += 1 }
            switch event.kind {
            case .callConnected:
                conversationDays.append(day)
            case .thirdPartyCall:
                thirdPartyAttempted[day, default: 0] += 1
            case .callAttempt, .ivrAttempt:
                failedAttempts += 1
                failedAttemptDays.insert(day)
            case .ptp:
                if let promised = Day(iso: event.value) {
                    promise = (day, min(promised, day + promiseMaxDays))
                }
            case .complaint: lastComplaintDay = day
            case .dispute: disputed = true
            case .ceaseCommunication: ceased = true
            case .stopCollection: stopped = true
            case .resumeCollection:
                stopped = false
                disputed = false
                ceased = false
            case .deceased: deceased = true
            case .bankruptcy: bankrupt = true
            case .smsSent, .ivrConnected: break
            }
            if event.kind.reachedDebtor {
                lastReachedDay = day
                failedAttempts = 0
                failedAttemptDays = []
            }
        }
    }

    /// The last local day an earlier night planned `stepKey` for the case.
    func lastPlanned(caseID: String, stepKey: String) -> Day? {
        prior.lazy.filter { $0.stepKey == stepKey && $0.caseID == caseID }.map(\.localDay).max()
    }

    func wasServed(caseID: String, stepKey: String, occurrence: Day) -> Bool {
        served.contains(Occurrence(caseID: caseID, stepKey: stepKey, day: occurrence))
    }

    /// Contacts on `channel` that count against the local `day` (before tonight's plan).
    func used(_ channel: Channel, on day: Day) -> Int {
        let attempts = attempted[channel]?[day] ?? 0
        // Tonight's own day has no earlier plan (a re-run replaces it): only reported attempts.
        if day >= asOf { return attempts }
        return max(planned[channel]?[day] ?? 0, attempts)
    }

    func thirdPartyUsed(on day: Day) -> Int {
        let attempts = thirdPartyAttempted[day] ?? 0
        if day >= asOf { return attempts }
        return max(thirdPartyPlanned[day] ?? 0, attempts)
    }

    /// The suppression in force for a contact, if any; required notices pass the softer ones.
    func suppression(required: Bool, complaintPauseDays: Int) -> HoldReason? {
        if deceased { return .deceased }
        if bankrupt { return .bankruptcy }
        if unreadEvent { return .unreadEvent }
        if required { return nil }
        if stopped { return .stopCollection }
        if ceased { return .ceaseCommunication }
        if disputed { return .dispute }
        if let day = lastComplaintDay, asOf - day < complaintPauseDays { return .complaint }
        return nil
    }

    /// After a complaint's pause, the customer is treated gently for a while.
    func isGentle(_ rule: ComplaintRule) -> Bool {
        guard let day = lastComplaintDay else { return false }
        let since = asOf - day
        return since >= rule.pauseDays && since < rule.pauseDays + rule.gentleDays
    }

    /// A promise to pay holds treatment contacts from the day it was made through the promised date.
    var promiseActive: Bool {
        guard let promise else { return false }
        return promise.made <= asOf && asOf <= promise.promised
    }

    func inCallQuietPeriod(days: Int) -> Bool {
        conversationDays.contains { $0 <= asOf && asOf - $0 < days }
    }
}
