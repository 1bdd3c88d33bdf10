/// A contact the plan hands to the gateway, IVR platform or dialer: a row of `contacts.csv`.
public struct PlannedContact: Sendable, Equatable {
    public var customerID: String
    public var caseID: String
    public var channel: Channel
    public var target: ContactTarget
    /// UTC minutes since 1970-01-01T00:00Z.
    public var utcMinute: Int64
    /// Local time with offset in the customer's (first) zone.
    public var scheduledAt: String
    /// The local date the contact counts against for caps: the run's date.
    public var localDay: Day
    public var template: String
    /// The member (agent or agency) that makes an agent call; empty for other channels and when
    /// the strategy allocates nothing.
    public var agentID: String
    public var segment: String
    /// The case's experiment variant (empty when its segment has none).
    public var variant: String
    public var priority: Int
    /// The strategy step that produced it, e.g. `standard#2@D+24`, `notice:credit_notice`.
    public var reason: String
    /// The step's key without the day (`standard#2`), and the date its occurrence fell due.
    public var stepKey: String
    public var occurrence: Day
    public var required: Bool

    public init(customerID: String, caseID: String, channel: Channel, target: ContactTarget, utcMinute: Int64,
                scheduledAt: String, localDay: Day, template: String, agentID: String = "", segment: String,
                variant: String = "", priority: Int, reason: String, stepKey: String, occurrence: Day, required: Bool) {
        self.customerID = customerID
        self.caseID = caseID
        self.channel = channel
        self.target = target
        self.utcMinute = utcMinute
        self.scheduledAt = scheduledAt
        self.localDay = localDay
        self.template = template
        self.agentID = agentID
        self.segment = segment
        self.variant = variant
        self.priority = priority
        self.reason = reason
        self.stepKey = stepKey
        self.occurrence = occurrence
        self.required = required
    }
}

/// What an earlier committed night planned, as the store recalls it: enough to count caps and
/// to know which step occurrences were already served.
public struct PriorContact: Sendable, Equatable {
    public var customerID: String
    public var caseID: String
    public var channel: Channel
    public var target: ContactTarget
    public var localDay: Day
    public var stepKey: String
    public var occurrence: Day

    public init(customerID: String, caseID: String, channel: Channel, target: ContactTarget, localDay: Day,
                stepKey: String, occurrence: Day) {
        self.customerID = customerID
        self.caseID = caseID
        self.channel = channel
        self.target = target
        self.localDay = localDay
        self.stepKey = stepKey
        self.occurrence = occurrence
    }
}

/// The rule that held a contact back.
public enum HoldReason: String, Sendable, CaseIterable, Comparable {
    case deceased = "suppressed_deceased"
    case bankruptcy = "suppressed_bankruptcy"
    /// An `events.csv` row of the customer was rejected tonight (`--skip-bad-rows`).
    case unreadEvent = "suppressed_unread_event"
    case stopCollection = "suppressed_stop_collection"
    case ceaseCommunication = "suppressed_cease_communication"
    case dispute = "suppressed_dispute"
    case complaint = "suppressed_complaint"
    case holiday
    case promiseToPay = "promise_to_pay"
    case noEmergencyContact = "no_emergency_contact"
    case emergencyContactRules = "emergency_contact_rules"
    /// An agent call for a case with no agent (robot group, or unassigned tonight).
    case noAgent = "no_agent"
    case window
    /// Every minute the rules allowed tonight was over when the run started (a night run late).
    case timePassed = "time_passed"
    case capChannelDay = "cap_channel_day"
    case capChannel7Days = "cap_channel_7_days"
    case callQuietPeriod = "call_quiet_period"
    case capCustomerDay = "cap_customer_day"
    case capacity
    /// The case's agent has no agent calls left tonight (`calls_per_day` in agents.csv).
    case agentCapacity = "agent_capacity"
    case superseded
    /// A pre-collection reminder that waited until the due date had passed.
    case tooLate = "too_late"
    case missedNight = "missed_night"
    /// Held the night before, and tonight no longer due: a payment moved the case's DPD off the
    /// step, or its segment or treatment changed.
    case noLongerDue = "no_longer_due"
    /// Held the night before, and its case is closed tonight (settled, or gone from the ledger).
    case caseClosed = "case_closed"

    public static func < (a: HoldReason, b: HoldReason) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Holds that a frequency cap caused (reported as "caps hit").
    public var isCap: Bool {
        self == .capChannelDay || self == .capChannel7Days || self == .callQuietPeriod || self == .capCustomerDay
    }
}

/// A step occurrence the rules held back tonight: a row of `deferred.csv`.
public struct Deferral: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        /// Tried again on the next nights, through `retryUntil`.
        case deferred
        /// Its validity is over: it will never be sent.
        case dropped
    }

    public var customerID: String
    public var caseID: String
    public var channel: Channel
    public var target: ContactTarget
    public var template: String
    public var segment: String
    public var priority: Int
    public var reason: String
    public var stepKey: String
    public var occurrence: Day
    public var heldBy: HoldReason
    public var outcome: Outcome
    /// The last day the occurrence may still be sent (deferred only).
    public var retryUntil: Day?
    public var required: Bool

    public init(customerID: String, caseID: String, channel: Channel, target: ContactTarget, template: String,
                segment: String, priority: Int, reason: String, stepKey: String, occurrence: Day, heldBy: HoldReason,
                outcome: Outcome, retryUntil: Day?, required: Bool) {
        self.customerID = customerID
        self.caseID = caseID
        self.channel = channel
        self.target = target
        self.template = template
        self.segment = segment
        self.priority = priority
        self.reason = reason
        self.stepKey = stepKey
        self.occurrence = occurrence
        self.heldBy = heldBy
        self.outcome = outcome
        self.retryUntil = retryUntil
        self.required = required
    }
}

/// Tonight's contact plan.
public struct ContactPlan: Sendable {
    public var contacts: [PlannedContact] = []
    public var deferrals: [Deferral] = []
    public init() {}
}
