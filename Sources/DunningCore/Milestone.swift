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
public struct Action: Sendable, Equatable {
    public var caseKey: CaseKey
    public var episode: Int
    /// Empty for case-level milestones.
    public var loanID: String
    public var kind: MilestoneKind
    public var dueOn: Day
    public var actedOn: Day
    /// The amount the milestone concerns, when one applies (see docs/file-formats.md).
    public var amount: Money?
    /// Extra facts, e.g. `M0->M1` for a bucket change.
    public var detail: String

    public init(caseKey: CaseKey, episode: Int, loanID: String, kind: MilestoneKind, dueOn: Day, actedOn: Day,
                amount: Money?, detail: String = "") {
        self.caseKey = caseKey
        self.episode = episode
        self.loanID = loanID
        self.kind = kind
        self.dueOn = dueOn
        self.actedOn = actedOn
        self.amount = amount
        self.detail = detail
    }

    public var caseID: String { caseKey.caseID(episode: episode) }

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
        let chars = Array(detail)
        guard chars.count >= 2 else { return nil }
        for i in 0..<(chars.count - 1) where chars[i] == "-" && chars[i + 1] == ">" {
            return String(chars[(i + 2)...])
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
    /// Per loan: the night each per-loan milestone was acted on.
    public var loanMilestones: [String: [MilestoneKind: Day]]

    public init(episode: Int, openedOn: Day, settledOn: Day? = nil, bucket: String = BucketScheme.current,
                loanMilestones: [String: [MilestoneKind: Day]] = [:]) {
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

        public init() {}

        public mutating func apply(_ action: Action) {
            // Changed in place through the index: copying a history out and back would copy its
            // milestone dictionaries on every action.
            let index: Dictionary<CaseKey, CaseHistory>.Index
            if let existing = histories.index(forKey: action.caseKey), histories.values[existing].episode >= action.episode {
                guard histories.values[existing].episode == action.episode else { return }
                index = existing
            } else {
                guard action.kind == .caseOpened else { return } // orphan rows cannot start a case
                histories[action.caseKey] = CaseHistory(episode: action.episode, openedOn: action.actedOn)
                index = histories.index(forKey: action.caseKey)!
            }
            switch action.kind {
            case .caseOpened: histories.values[index].openedOn = action.actedOn
            case .settled: histories.values[index].settledOn = action.actedOn
            case .bucketChanged:
                if let to = Action.bucketChangeTarget(action.detail) { histories.values[index].bucket = to }
            default: histories.values[index].loanMilestones[action.loanID, default: [:]][action.kind] = action.actedOn
            }
        }
    }
}
