/// A way of reaching a customer. Every channel obeys the contact window and its caps.
public enum Channel: String, Sendable, CaseIterable, Comparable {
    case sms, ivr, call, push, email, letter

    public static func < (a: Channel, b: Channel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Voice channels (agent calls and IVR robot calls): a telephone conversation holds both back.
    public var isVoice: Bool { self == .call || self == .ivr }
}

/// Who a planned contact reaches.
public enum ContactTarget: String, Sendable, CaseIterable {
    case debtor
    /// A third party the borrower named; reached only under `EmergencyContactRule`.
    case emergencyContact = "emergency_contact"
}

/// What a template may say. The class is checked against the target: a third party never hears
/// about the debt.
public enum TemplateClass: String, Sendable, CaseIterable {
    /// A friendly reminder of a due date or payment.
    case reminder
    /// Collection talk: the debt, its amount, what happens next.
    case collection
    /// A notice the law requires (credit reporting, litigation); may go out under suppression.
    case notice
    /// Asks a third party to pass on a message; no amount, no debt, no lender product.
    case thirdParty = "third_party"
}

/// A message template known to the gateway or dialer.
public struct Template: Sendable, Equatable {
    public var name: String
    public var channel: Channel
    public var templateClass: TemplateClass

    public init(name: String, channel: Channel, templateClass: TemplateClass) {
        self.name = name
        self.channel = channel
        self.templateClass = templateClass
    }
}

/// A band of local clock time `[start, end)` in minutes after midnight.
public struct TimeBand: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The legal floor: nothing before 08:00 or at/after 21:00 local time. No strategy widens it.
    public static let legal = TimeBand(start: 8 * 60, end: 21 * 60)

    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    public var isEmpty: Bool { end <= start }

    public func intersection(_ other: TimeBand) -> TimeBand {
        TimeBand(start: max(start, other.start), end: min(end, other.end))
    }

    /// `09:00-12:30`.
    public var description: String {
        "\(pad(start / 60, 2)):\(pad(start % 60, 2))-\(pad(end / 60, 2)):\(pad(end % 60, 2))"
    }

    /// Parses `HH:MM-HH:MM` (24-hour clock; `21:00` may be written as an end).
    public static func parse(_ text: String) -> TimeBand? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = clock(parts[0]), let b = clock(parts[1]) else { return nil }
        return TimeBand(start: a, end: b)
    }

    private static func clock(_ text: Substring) -> Int? {
        let t = text.trimmingSpaces
        let pieces = t.split(separator: ":", omittingEmptySubsequences: false)
        guard pieces.count == 2, pieces[0].count == 2, pieces[1].count == 2,
              t.allSatisfy({ $0 == ":" || ("0"..."9").contains($0) }),
              let h = Int(pieces[0]), let m = Int(pieces[1]), (0...24).contains(h), (0...59).contains(m),
              h * 60 + m <= 24 * 60 else { return nil }
        return h * 60 + m
    }

    /// The parts of `bands` left after removing `excluded` ones, sorted and disjoint.
    public static func subtract(_ excluded: [TimeBand], from bands: [TimeBand]) -> [TimeBand] {
        var result = bands.filter { !$0.isEmpty }
        for cut in excluded where !cut.isEmpty {
            result = result.flatMap { band -> [TimeBand] in
                guard cut.start < band.end, cut.end > band.start else { return [band] }
                return [TimeBand(start: band.start, end: cut.start), TimeBand(start: cut.end, end: band.end)]
                    .filter { !$0.isEmpty }
            }
        }
        return result.sorted { $0.start < $1.start }
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}

/// Frequency caps and capacity of one channel. Caps count per customer; capacity counts the
/// whole portfolio.
public struct ChannelRules: Sendable, Equatable {
    /// Narrows the contact window for this channel; nil = the strategy's window.
    public var window: TimeBand?
    /// Contacts per customer per local day.
    public var perDay: Int
    /// Contacts per customer in any 7 consecutive local days.
    public var per7Days: Int
    /// Calls: no call on the day of a conversation and the following days, this many days in all.
    public var quietDaysAfterConversation: Int
    /// Contacts the platform can take tonight (SMS quota, IVR ports x hours); nil = unlimited.
    public var dailyCapacity: Int?
    /// Contacts per clock hour (agents x calls per hour); nil = unlimited.
    public var hourlyCapacity: Int?

    public init(window: TimeBand? = nil, perDay: Int, per7Days: Int, quietDaysAfterConversation: Int = 0,
                dailyCapacity: Int? = nil, hourlyCapacity: Int? = nil) {
        self.window = window
        self.perDay = perDay
        self.per7Days = per7Days
        self.quietDaysAfterConversation = quietDaysAfterConversation
        self.dailyCapacity = dailyCapacity
        self.hourlyCapacity = hourlyCapacity
    }
}

/// When a step falls due, in DPD.
public enum StepDays: Sendable, Equatable {
    /// On each listed DPD.
    case list([Int])
    /// Every `every` days from `from` through `to` (nil = while the case is open).
    case range(from: Int, to: Int?, every: Int)

    public func contains(_ dpd: Int) -> Bool {
        switch self {
        case .list(let days): return days.contains(dpd)
        case let .range(from, to, every):
            guard dpd >= from else { return false }
            if let to, dpd > to { return false }
            return (dpd - from) % every == 0
        }
    }

    /// The least number of days between two contacts of the step (`every` of a range; 1 else).
    public var spacing: Int {
        if case .range(_, _, let every) = self { return every }
        return 1
    }
}

/// One step of a treatment cadence: e.g. "SMS template 1 on D+1, D+7, D+15, D+21".
public struct TreatmentStep: Sendable, Equatable {
    /// Stable key of the step in the audit trail: `treatment#n` unless the strategy names it.
    public var id: String
    public var channel: Channel
    public var template: String
    public var target: ContactTarget
    public var days: StepDays
    /// A preferred local band inside the window; when none of it is usable the whole window is.
    public var band: TimeBand?
    /// 1 (first to be deferred under capacity) to 99.
    public var priority: Int
    /// Days an occurrence may wait for a free slot (1 = only its own day).
    public var validDays: Int

    public init(id: String, channel: Channel, template: String, target: ContactTarget = .debtor, days: StepDays,
                band: TimeBand? = nil, priority: Int = 50, validDays: Int = 1) {
        self.id = id
        self.channel = channel
        self.template = template
        self.target = target
        self.days = days
        self.band = band
        self.priority = priority
        self.validDays = validDays
    }
}

/// A named cadence of steps that segments point to.
public struct Treatment: Sendable, Equatable {
    public var name: String
    public var steps: [TreatmentStep]

    public init(name: String, steps: [TreatmentStep]) {
        self.name = name
        self.steps = steps
    }
}

/// The stage messages: which milestone sends which notice.
public enum NoticeKind: String, Sendable, CaseIterable {
    /// The D-2 reminder, sent the night the case opens while the due date is still ahead.
    case preCollection = "pre_collection"
    /// The credit-reporting notice, sent the night `credit_notice` is acted on.
    case creditNotice = "credit_notice"
    /// The litigation notice, sent the night `litigation_referred` is acted on.
    case litigation

    public var milestone: MilestoneKind {
        switch self {
        case .preCollection: return .caseOpened
        case .creditNotice: return .creditNotice
        case .litigation: return .litigationReferred
        }
    }
}

/// One stage message.
public struct NoticeRule: Sendable, Equatable {
    public var kind: NoticeKind
    public var channel: Channel
    public var template: String
    /// Required notices go out under dispute, cease-communication, stop-collection, complaint and
    /// on holidays, and are never deferred for capacity; they still obey the window and caps.
    public var required: Bool
    public var validDays: Int

    public init(kind: NoticeKind, channel: Channel, template: String, required: Bool, validDays: Int) {
        self.kind = kind
        self.channel = channel
        self.template = template
        self.required = required
        self.validDays = validDays
    }
}

/// When a third party (an emergency contact) may be called.
public struct EmergencyContactRule: Sendable, Equatable {
    /// Failed attempts on the debtor since the debtor was last reached.
    public var afterFailedAttempts = 6
    /// ... spread over at least this many distinct days.
    public var overDays = 3
    /// Third-party contacts per customer per day (at most 1).
    public var perDay = 1
    /// None while the debtor was reached within this many days (the day reached counts as day 1).
    public var notWithinDaysOfReach = 7

    public init() {}
}

/// What a complaint does.
public struct ComplaintRule: Sendable, Equatable {
    /// Every contact but required notices pauses this many days (the complaint's day is day 1).
    public var pauseDays = 7
    /// After the pause, this treatment replaces the segment's (nil = notices only) ...
    public var treatmentAfter: String?
    /// ... for this many days after the pause.
    public var gentleDays = 90

    public init() {}
}

/// What a promise to pay does.
public struct PromiseRule: Sendable, Equatable {
    /// Treatment contacts on these channels pause from the promise until the promised date.
    public var holdsChannels: Set<Channel> = [.call, .ivr]
    /// A promised date further than this many days after the promise counts as this far.
    public var maxDays = 30
    /// The reminder planned on the promised date; nil = none.
    public var reminder: (channel: Channel, template: String)?

    public init() {}

    public static func == (a: PromiseRule, b: PromiseRule) -> Bool {
        a.holdsChannels == b.holdsChannels && a.maxDays == b.maxDays
            && a.reminder?.channel == b.reminder?.channel && a.reminder?.template == b.reminder?.template
    }
}

/// Everything a strategy says about contacting customers.
public struct ContactPolicy: Sendable, Equatable {
    /// The strategy-wide window, inside `TimeBand.legal`.
    public var window: TimeBand = .legal
    /// Bands with no contact (lunch).
    public var excluded: [TimeBand] = []
    /// Local dates with no contact except required notices.
    public var holidays: Set<Day> = []
    /// The calendar file(s) the holidays came from and what they cover; nil without `calendar`.
    public var calendar: HolidayCalendar?
    /// A night outside the calendar runs without holidays (with a warning) instead of being refused.
    public var holidaysOptional = false
    public var channels: [Channel: ChannelRules] = ContactPolicy.defaultChannels
    /// Contacts per customer per day over every channel.
    public var perCustomerPerDay = 4
    public var emergency = EmergencyContactRule()
    public var complaint = ComplaintRule()
    public var promise = PromiseRule()
    public var templates: [String: Template] = [:]
    public var treatments: [String: Treatment] = [:]
    public var notices: [NoticeKind: NoticeRule] = [:]

    public init() {}

    /// Regulation F presumptions for calls (7 in 7 days, 7 quiet days after a conversation);
    /// a strategy may only be stricter.
    public static let maxCallsPer7Days = 7
    public static let minCallQuietDays = 7

    public static let defaultChannels: [Channel: ChannelRules] = [
        .sms: ChannelRules(perDay: 2, per7Days: 7),
        .ivr: ChannelRules(perDay: 1, per7Days: 3),
        .call: ChannelRules(perDay: 3, per7Days: maxCallsPer7Days, quietDaysAfterConversation: minCallQuietDays),
        .push: ChannelRules(perDay: 2, per7Days: 10),
        .email: ChannelRules(perDay: 1, per7Days: 5),
        .letter: ChannelRules(perDay: 1, per7Days: 2),
    ]

    public func rules(_ channel: Channel) -> ChannelRules {
        channels[channel] ?? Self.defaultChannels[channel]!
    }

    /// Days of earlier nights' plans that tonight's plan can need: the caps count the last 7
    /// local days, a notice can still go out within its valid days, a treatment step within its
    /// valid days plus the missed nights it catches up, and an `every` step looks back for its
    /// last contact. Anything older cannot change a decision, so the store reads no further back
    /// (a large book plans a million contacts a night).
    public func historyDays(missedNights: Int) -> Int {
        let notices = self.notices.values.map(\.validDays).max() ?? 0
        let steps = treatments.values.flatMap(\.steps).map(\.validDays).max() ?? 0
        return max(7, notices, steps + min(31, max(0, missedNights)), longestSpacing) + 1
    }

    /// The largest `every` of any treatment step (1 without one).
    public var longestSpacing: Int { treatments.values.flatMap(\.steps).map(\.days.spacing).max() ?? 1 }
}
