/// Who works a group's cases.
public enum GroupKind: String, Sendable, CaseIterable {
    /// Human collectors listed in `agents.csv`: cases are split between them.
    case agents
    /// An IVR robot: the group's cases get automated treatment only; nobody calls them.
    case robot
    /// Outside collection agencies: cases are split by target shares of the overdue amount.
    case agency
}

/// How a group splits its cases between its members.
public enum BalanceRule: String, Sendable, CaseIterable {
    /// An even split by headcount (weighted), refined by overdue amount: the seeds' rule.
    case countAndAmount = "count_and_amount"
    /// By overdue amount alone (target shares of amount; the agency rule).
    case amount
    /// By headcount (weighted) alone.
    case count
}

/// How many kept cases a group may move in one night to even out loads.
public enum RebalanceLimit: Sendable, Equatable, CustomStringConvertible {
    case cases(Int)
    /// A percentage of the group's open cases tonight, rounded down.
    case percent(Int)

    public func cases(ofGroupSize size: Int) -> Int {
        switch self {
        case .cases(let n): return n
        case .percent(let p): return size * p / 100
        }
    }

    public var description: String {
        switch self {
        case .cases(let n): return String(n)
        case .percent(let p): return "\(p)%"
        }
    }
}

/// A collector group of the strategy: which cases it serves and how it splits them.
public struct AllocationGroup: Sendable, Equatable {
    public var name: String
    public var kind: GroupKind
    /// Conditions on the case, all of which must hold; nil = any.
    public var products: [String]?
    public var buckets: [String]?
    public var segments: [String]?
    public var balance: BalanceRule
    /// Agency groups: target share of the overdue amount per agency, in percent (sum 100).
    public var shares: [String: Int]
    public var rebalanceLimit: RebalanceLimit
    /// A treatment that replaces the segment's for the group's cases (robot groups: IVR only).
    public var treatment: String?
    /// Segment -> skill: the group's cases of that segment go only to agents with the skill.
    public var skills: [String: String]

    public init(name: String, kind: GroupKind = .agents, products: [String]? = nil, buckets: [String]? = nil,
                segments: [String]? = nil, balance: BalanceRule? = nil, shares: [String: Int] = [:],
                rebalanceLimit: RebalanceLimit = AllocationPolicy.defaultRebalanceLimit, treatment: String? = nil,
                skills: [String: String] = [:]) {
        self.name = name
        self.kind = kind
        self.products = products
        self.buckets = buckets
        self.segments = segments
        self.balance = balance ?? (kind == .agency ? .amount : .countAndAmount)
        self.shares = shares
        self.rebalanceLimit = rebalanceLimit
        self.treatment = treatment
        self.skills = skills
    }

    public func serves(bucket: String, product: String, segment: String) -> Bool {
        if let buckets, !buckets.contains(bucket) { return false }
        if let products, !products.contains(product) { return false }
        if let segments, !segments.contains(segment) { return false }
        return true
    }

    /// Robots have no members; agents and agencies come from `agents.csv`.
    public var hasMembers: Bool { kind != .robot }
}

/// Where a strategy section was written, so that run-time findings can point at it.
public struct SourceAnchor: Sendable, Equatable {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public func diagnostic(_ message: String) -> Diagnostic {
        Diagnostic(file: file, line: line, column: column, message: message)
    }
}

/// The strategy's `allocation` section: the groups, first match wins.
public struct AllocationPolicy: Sendable, Equatable {
    public static let defaultRebalanceLimit = RebalanceLimit.percent(5)

    public var groups: [AllocationGroup]
    /// The `groups` list in the strategy file.
    public var anchor: SourceAnchor

    public init(groups: [AllocationGroup], anchor: SourceAnchor) {
        self.groups = groups
        self.anchor = anchor
    }

    /// Index of the first group serving the case, if any.
    public func groupIndex(bucket: String, product: String, segment: String) -> Int? {
        groups.firstIndex { $0.serves(bucket: bucket, product: product, segment: segment) }
    }
}

/// A member of a group as `agents.csv` lists it tonight: a collector, or an agency.
public struct Agent: Sendable, Equatable {
    public var id: String
    public var group: String
    /// The most open cases the member may hold.
    public var capacity: Int
    public var active: Bool
    /// Share of the group's work relative to a full-timer, in thousandths (1000 = 1.0).
    public var weightMilli: Int
    public var skills: [String]
    /// Agent calls the member can make in a day; nil = no limit.
    public var callsPerDay: Int?

    public init(id: String, group: String, capacity: Int, active: Bool = true, weightMilli: Int = 1000,
                skills: [String] = [], callsPerDay: Int? = nil) {
        self.id = id
        self.group = group
        self.capacity = capacity
        self.active = active
        self.weightMilli = weightMilli
        self.skills = skills
        self.callsPerDay = callsPerDay
    }
}

/// A case's assignment as the last committed night before tonight left it.
public struct PriorAssignment: Sendable, Equatable {
    public var group: String
    /// Empty when the case had no member (robot group, or unassigned).
    public var agentID: String
    /// The bucket the case was in when it got this assignment.
    public var bucket: String

    public init(group: String, agentID: String, bucket: String) {
        self.group = group
        self.agentID = agentID
        self.bucket = bucket
    }
}

/// What happened to a case's assignment tonight.
public enum AssignmentKind: String, Sendable, CaseIterable {
    /// First assignment: a new case, or one that had no member before.
    case new
    /// Same group and member as last night.
    case kept
    /// Same group, another member: the old one left, is inactive or over capacity, or a rebalance.
    case moved
    /// Another group (its bucket or the strategy moved it): taken back and reassigned.
    case recycled
    /// In a group, but no member could take it tonight.
    case unassigned
}

/// Why an assignment is what it is (the `assignment_reason` column).
public enum AssignmentReason: String, Sendable, CaseIterable {
    case none = ""
    /// `new`: the case was unassigned last night.
    case previouslyUnassigned = "previously_unassigned"
    /// `moved`: the member is inactive tonight.
    case agentInactive = "agent_inactive"
    /// `moved`: the member is no longer in the group's roster.
    case agentLeft = "agent_left"
    /// `moved`: the member holds more cases than its capacity.
    case overCapacity = "over_capacity"
    /// `moved`: moved to even out loads, within the group's rebalance limit.
    case rebalance
    /// `moved`: the case needs a skill its member does not have.
    case skill
    /// `recycled`: the case's bucket changed since it was assigned.
    case bucketChanged = "bucket_changed"
    /// `recycled`: the strategy's groups (or the case's product or segment) sent it elsewhere.
    case groupChanged = "group_changed"
    /// `kept`: stop-collection is in force; the member keeps it, out of the day's work.
    case stopCollection = "stop_collection"
    /// `unassigned`: every active member is at capacity.
    case capacityFull = "capacity_full"
    /// `unassigned`: the group has no active member tonight.
    case noActiveAgent = "no_active_agent"
    /// `unassigned`: no active member has the skill the case needs.
    case noSkilledAgent = "no_skilled_agent"
}

/// One case's assignment tonight: the `group`, `agent_id`, `assignment` and
/// `assignment_reason` columns of `cases.csv`.
public struct Assignment: Sendable, Equatable {
    public var group: String
    public var agentID: String
    public var kind: AssignmentKind
    public var reason: AssignmentReason

    public init(group: String, agentID: String, kind: AssignmentKind, reason: AssignmentReason = .none) {
        self.group = group
        self.agentID = agentID
        self.kind = kind
        self.reason = reason
    }

    /// Whether the store must record a change (it keeps a log of changes, not nightly copies).
    public func changes(_ prior: PriorAssignment?) -> Bool {
        guard let prior else { return true }
        return prior.group != group || prior.agentID != agentID
    }
}
