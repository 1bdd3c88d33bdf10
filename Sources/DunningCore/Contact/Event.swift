/// The kinds of event the engine understands (docs/file-formats.md).
public enum EventKind: String, Sendable, CaseIterable {
    case callAttempt = "call_attempt", callConnected = "call_connected", smsSent = "sms_sent"
    case ivrAttempt = "ivr_attempt", ivrConnected = "ivr_connected", thirdPartyCall = "third_party_call"
    case ptp, complaint, dispute
    case ceaseCommunication = "cease_communication", stopCollection = "stop_collection"
    case resumeCollection = "resume_collection", deceased, bankruptcy

    /// The channel of a contact attempt on the debtor this event reports, if it reports one.
    /// Third-party calls are counted apart (`EmergencyContactRule`).
    public var attemptChannel: Channel? {
        switch self {
        case .callAttempt, .callConnected: return .call
        case .smsSent: return .sms
        case .ivrAttempt, .ivrConnected: return .ivr
        default: return nil
        }
    }

    /// The debtor was reached: a conversation, a connected IVR call, or a promise made.
    public var reachedDebtor: Bool { self == .callConnected || self == .ivrConnected || self == .ptp }
}

/// What happened to a customer since the last run, as the dialer, SMS gateway or CRM reported it.
public struct Event: Sendable, Equatable {
    public typealias Kind = EventKind

    /// The timestamp as given (ISO 8601 with offset), kept verbatim for the audit trail.
    public var at: String
    /// The same instant in seconds since 1970-01-01T00:00:00Z.
    public var epochSeconds: Int64
    /// The calendar date at the event's own offset.
    public var localDay: Day
    public var customerID: String
    public var kind: Kind
    public var value: String

    public init(at: String, epochSeconds: Int64, localDay: Day, customerID: String, kind: Kind, value: String) {
        self.at = at
        self.epochSeconds = epochSeconds
        self.localDay = localDay
        self.customerID = customerID
        self.kind = kind
        self.value = value
    }
}


extension Event {
    /// The order in which events take effect: by time, simultaneous ones by kind and value,
    /// never by input position.
    public static func chronological(_ a: Event, _ b: Event) -> Bool {
        (a.epochSeconds, a.kind.rawValue, a.value) < (b.epochSeconds, b.kind.rawValue, b.value)
    }

    /// Whether the latest stop-collection or resume among `events` is a stop.
    public static func stopCollectionInForce(_ events: [Event]) -> Bool {
        var latest: Event?
        for e in events where e.kind == .stopCollection || e.kind == .resumeCollection {
            if let l = latest, chronological(e, l) { continue }
            latest = e
        }
        return latest?.kind == .stopCollection
    }
}
