/// A one-time event in a case's life that the rest of the company acts on.
public enum MilestoneKind: String, Sendable, CaseIterable, Comparable {
    case caseOpened = "case_opened"
    case bucketChanged = "bucket_changed"
    case penaltyStarted = "penalty_started"
    case creditNotice = "credit_notice"
    case creditReported = "credit_reported"
    case litigationReferred = "litigation_referred"
    case settled

    /// Per-loan milestones happen once per loan within a case; the others belong to the case.
    public var isPerLoan: Bool {
        switch self {
        case .penaltyStarted, .creditNotice, .creditReported, .litigationReferred: return true
        case .caseOpened, .bucketChanged, .settled: return false
        }
    }

    /// Life-cycle order, used to sort actions of the same day.
    var order: Int { MilestoneKind.allCases.firstIndex(of: self)! }
    public static func < (a: MilestoneKind, b: MilestoneKind) -> Bool { a.order < b.order }
}

/// A milestone emitted by a run: what fell due (`dueOn`) and the night that acted on it (`actedOn`).
///
/// Stored in 88 bytes rather than 104 (a first night at a million customers holds 3.2 million):
/// the strings first, then the amount as minor units with a sentinel for none, then the small
/// fields packed together (the `adopted` flag fits in what was padding).
public struct Action: Sendable, Equatable {
    public var caseKey: CaseKey
    /// Empty for case-level milestones.
    public var loanID: String
    /// Extra facts, e.g. `M0->M1` for a bucket change.
    public var detail: String
    private var amountMinorUnits: Int64
    public var dueOn: Day
    public var actedOn: Day
    private var storedEpisode: Int32
    public var kind: MilestoneKind
    /// Recorded as already acted on by the system the store took over from (`dunning init
    /// --adopt-before`): stored so that it never falls due again, and never sends a notice.
    public var adopted: Bool

    /// The amount the milestone concerns, when one applies (see docs/file-formats.md).
    public var amount: Money? {
        get { amountMinorUnits == Self.noAmount ? nil : Money(minorUnits: amountMinorUnits) }
        set { amountMinorUnits = newValue?.minorUnits ?? Self.noAmount }
    }

    public var episode: Int {
        get { Int(storedEpisode) }
        set { storedEpisode = Int32(newValue) }
    }

    /// No amount. Never a real one: amounts are bounded far below it (FieldRules).
    private static let noAmount = Int64.min

    public init(caseKey: CaseKey, episode: Int, loanID: String, kind: MilestoneKind, dueOn: Day, actedOn: Day,
                amount: Money?, detail: String = "", adopted: Bool = false) {
        self.caseKey = caseKey
        self.loanID = loanID
        self.detail = detail
        self.amountMinorUnits = amount?.minorUnits ?? Self.noAmount
        self.dueOn = dueOn
        self.actedOn = actedOn
        self.storedEpisode = Int32(episode)
        self.kind = kind
        self.adopted = adopted
    }

    public var caseID: String { caseKey.caseID(episode: episode) }

    /// The day the milestone took effect: the night that acted on it, or, for one adopted from
    /// the previous system, the day it fell due (when that system is taken to have acted on it).
    /// Credit-notice lead times and notice validity count from this day.
    public var effectiveOn: Day { adopted ? dueOn : actedOn }

    /// Case IDs of actions in case order: consecutive actions of one case share one string, built
    /// once (a first night has millions of actions, a few per case).
    public struct CaseIDs {
        private var last: (key: CaseKey, episode: Int, id: String)?
        public init() {}
        public mutating func of(_ action: Action) -> String {
            if let last, last.episode == action.episode, last.key == action.caseKey { return last.id }
            let id = action.caseID
            last = (action.caseKey, action.episode, id)
            return id
        }
    }

    /// `M1` from a bucket change detail `M0->M1` (the first `->` separates; names may hold `>`).
    public static func bucketChangeTarget(_ detail: String) -> String? {
        // On UTF-8 bytes: '-' and '>' never occur inside a multi-byte character, and a night 2
        // replays a million and a half of these.
        let bytes = detail.utf8
        var i = bytes.startIndex
        while i != bytes.endIndex {
            let next = bytes.index(after: i)
            guard next != bytes.endIndex else { break }
            if bytes[i] == UInt8(ascii: "-"), bytes[next] == UInt8(ascii: ">") { return String(detail[bytes.index(after: next)...]) }
            i = next
        }
        return nil
    }

    /// Output order: by case, then date due, life-cycle order, loan.
    public static func outputOrder(_ a: Action, _ b: Action) -> Bool {
        if a.caseKey != b.caseKey { return a.caseKey < b.caseKey }
        if a.episode != b.episode { return a.episode < b.episode }
        if a.dueOn != b.dueOn { return a.dueOn < b.dueOn }
        if a.kind != b.kind { return a.kind < b.kind }
        return a.loanID < b.loanID
    }
}

/// What earlier committed nights recorded about the latest case of one customer and product.
public struct CaseHistory: Sendable, Equatable {
    public var episode: Int
    public var openedOn: Day
    /// Night that acted on `settled`, if the case is closed.
    public var settledOn: Day?
    /// Bucket after the last recorded bucket change (or `current` when none was recorded).
    public var bucket: String
    /// Per loan: the day each per-loan milestone took effect (`Action.effectiveOn`).
    public var loanMilestones: [String: LoanMilestones]

    public init(episode: Int, openedOn: Day, settledOn: Day? = nil, bucket: String = BucketScheme.current,
                loanMilestones: [String: LoanMilestones] = [:]) {
        self.episode = episode
        self.openedOn = openedOn
        self.settledOn = settledOn
        self.bucket = bucket
        self.loanMilestones = loanMilestones
    }

    /// Replays recorded milestones (in the order they were acted on) into the history of the
    /// latest case per key. The store and tests share this, so "what happened" has one meaning.
    public static func replay(_ actions: [Action]) -> [CaseKey: CaseHistory] {
        var replay = Replay()
        for action in actions { replay.apply(action) }
        return replay.histories
    }

    /// Replays milestones one at a time, in the order they were acted on (the store streams them
    /// here instead of holding millions of actions at once).
    public struct Replay {
        public private(set) var histories: [CaseKey: CaseHistory] = [:]
        /// The case of the previous action and its position: a case's milestones of one night
        /// come one after another, so most actions need no hash lookup. Only an insertion moves
        /// positions, and it refreshes this.
        private var last: (key: CaseKey, index: Dictionary<CaseKey, CaseHistory>.Index)?

        public init() {}

        public mutating func apply(_ action: Action) {
            // Changed in place through the index: copying a history out and back would copy its
            // milestone dictionaries on every action.
            let index: Dictionary<CaseKey, CaseHistory>.Index
            let cached = last.flatMap { $0.key == action.caseKey ? $0.index : nil }
            var refresh = cached == nil
            if let existing = cached ?? histories.index(forKey: action.caseKey), histories.values[existing].episode >= action.episode {
                guard histories.values[existing].episode == action.episode else { return }
                index = existing
            } else {
                guard action.kind == .caseOpened else { return } // orphan rows cannot start a case
                histories[action.caseKey] = CaseHistory(episode: action.episode, openedOn: action.effectiveOn)
                index = histories.index(forKey: action.caseKey)!
                refresh = true // an insertion may move every position
            }
            if refresh { last = (action.caseKey, index) }
            switch action.kind {
            case .caseOpened: histories.values[index].openedOn = action.effectiveOn
            case .settled: histories.values[index].settledOn = action.actedOn
            case .bucketChanged:
                if let to = Action.bucketChangeTarget(action.detail) { histories.values[index].bucket = to }
            default: histories.values[index].loanMilestones[action.loanID, default: [:]][action.kind] = action.effectiveOn
            }
        }
    }
}

/// The nights one loan's per-loan milestones were acted on (penalty, credit notice, credit
/// report, litigation): four days in sixteen bytes, where a dictionary per loan took a heap
/// allocation each, a million and a half of them when a large book's history is read back.
public struct LoanMilestones: Sendable, Equatable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// Day numbers by slot; `Int32.min` for none.
    private var days: (Int32, Int32, Int32, Int32) = (.min, .min, .min, .min)

    public init() {}

    public init(dictionaryLiteral elements: (MilestoneKind, Day)...) {
        for (kind, day) in elements { self[kind] = day }
    }

    private static func slot(_ kind: MilestoneKind) -> Int? {
        switch kind {
        case .penaltyStarted: return 0
        case .creditNotice: return 1
        case .creditReported: return 2
        case .litigationReferred: return 3
        case .caseOpened, .bucketChanged, .settled: return nil
        }
    }

    /// The night `kind` was acted on for this loan; nil if never (and always for the case-wide kinds).
    public subscript(kind: MilestoneKind) -> Day? {
        get {
            guard let slot = Self.slot(kind) else { return nil }
            let n = withUnsafeBytes(of: days) { $0.load(fromByteOffset: slot * 4, as: Int32.self) }
            return n == .min ? nil : Day(number: n)
        }
        set {
            guard let slot = Self.slot(kind) else {
                assert(newValue == nil, "\(kind) is not a per-loan milestone")
                return
            }
            withUnsafeMutableBytes(of: &days) { $0.storeBytes(of: newValue?.number ?? .min, toByteOffset: slot * 4, as: Int32.self) }
        }
    }

    /// The kinds recorded, in life-cycle order.
    public var keys: [MilestoneKind] { MilestoneKind.allCases.filter { self[$0] != nil } }

    public var isEmpty: Bool { MilestoneKind.allCases.allSatisfy { self[$0] == nil } }

    public static func == (a: LoanMilestones, b: LoanMilestones) -> Bool {
        MilestoneKind.allCases.allSatisfy { a[$0] == b[$0] }
    }

    public var description: String { "[" + keys.map { "\($0.rawValue): \(self[$0]!)" }.joined(separator: ", ") + "]" }
}
