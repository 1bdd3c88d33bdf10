/// Tonight's case allocation: open cases, the roster and last night's assignments in; one
/// assignment per case, member loads and balance figures out. Pure and deterministic.
///
/// Per case, the first group of the strategy that serves its bucket, product and segment takes
/// it. Inside a group, continuity comes first: a case stays with its member while the member is
/// active, under capacity and has the skill the case needs; a stopped case stays regardless.
/// Then kept cases of members above their fair share may move, at most the group's rebalance
/// limit a night. Every other case is split by the group's balancing rule (`LoadBalancer`).
public struct CaseAllocator: Sendable {
    public let policy: AllocationPolicy

    public init(policy: AllocationPolicy) { self.policy = policy }

    public struct Input: Sendable {
        public var cases: [CaseState]
        /// Tonight's roster, every group.
        public var agents: [Agent]
        /// Last night's assignment per case ID.
        public var prior: [String: PriorAssignment]
        /// Customers with stop-collection in force.
        public var stoppedCustomers: Set<String>
        /// The currency reported for a group with no case tonight (the strategy's).
        public var currency: String

        public init(cases: [CaseState], agents: [Agent], prior: [String: PriorAssignment], stoppedCustomers: Set<String>,
                    currency: String = "CNY") {
            self.cases = cases
            self.agents = agents
            self.prior = prior
            self.stoppedCustomers = stoppedCustomers
            self.currency = currency
        }
    }

    public struct Outcome: Sendable {
        /// One per input case, in input order.
        public var assignments: [Assignment]
        /// In strategy order.
        public var groups: [GroupFigures]
        /// By group (strategy order), then member ID.
        public var loads: [MemberLoad]
    }

    /// Problems that stop the run: cases no group serves, groups whose amounts cannot be balanced.
    public struct Failure: Error, Sendable {
        public var diagnostics: [Diagnostic]
    }

    public func allocate(_ input: Input) -> Result<Outcome, Failure> {
        let cases = input.cases
        var groupOf = [Int32](repeating: -1, count: cases.count)
        struct Route: Hashable { var bucket: String; var product: String; var segment: String }
        var routes: [Route: Int32] = [:]
        var unserved: [Route: (count: Int, first: String)] = [:]
        var members: [[Int]] = Array(repeating: [], count: policy.groups.count)
        for (i, c) in cases.enumerated() {
            let route = Route(bucket: c.bucket, product: c.key.product, segment: c.segment)
            let g = routes[route] ?? {
                let found = Int32(policy.groupIndex(bucket: c.bucket, product: c.key.product, segment: c.segment) ?? -1)
                routes[route] = found
                return found
            }()
            if g < 0 {
                unserved[route, default: (0, c.caseID)].count += 1
                continue
            }
            groupOf[i] = g
            members[Int(g)].append(i)
        }
        var problems: [Diagnostic] = unserved.keys.sorted { ($0.bucket, $0.product, $0.segment) < ($1.bucket, $1.product, $1.segment) }.map { r in
            let (count, first) = unserved[r]!
            return policy.anchor.diagnostic("no allocation group serves bucket \(r.bucket), product \(r.product), segment \(r.segment): \(count) open case(s), e.g. \(first); add a group for them or widen one in allocation.groups")
        }
        for (g, group) in policy.groups.enumerated() where group.hasMembers && group.balance != .count {
            let currencies = Set(members[g].map { cases[$0].currency }).sorted()
            if currencies.count > 1 {
                problems.append(policy.anchor.diagnostic("allocation group '\(group.name)' has cases in \(currencies.joined(separator: " and ")): amounts in different currencies cannot be balanced; split the group by product, or use balance: count"))
            }
        }
        guard problems.isEmpty else { return .failure(Failure(diagnostics: problems)) }

        var assignments = [Assignment](repeating: Assignment(group: "", agentID: "", kind: .unassigned), count: cases.count)
        var figures: [GroupFigures] = []
        var loads: [MemberLoad] = []
        let rosters = Dictionary(grouping: input.agents, by: \.group)
        for (g, group) in policy.groups.enumerated() {
            var work = GroupAllocation(group: group, roster: (rosters[group.name] ?? []).sorted { $0.id < $1.id },
                                       cases: cases, indices: members[g], input: input)
            work.run(into: &assignments)
            figures.append(work.figures)
            loads += work.loads
        }
        return .success(Outcome(assignments: assignments, groups: figures, loads: loads))
    }
}
