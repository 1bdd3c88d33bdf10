import DunningCore
import Yams

/// Builds the `allocation` section: collector groups, their conditions, kinds, balancing rules,
/// agency shares, rebalance limits, skills and treatment overrides. Checks that every bucket has a
/// group and that no group is hidden behind an earlier one.
extension StrategyBuilder {
    static let allocationKeys = ["rebalance_limit", "groups"]
    static let groupKeys = ["name", "kind", "products", "buckets", "segments", "balance", "shares", "rebalance_limit",
                            "treatment", "skills"]

    mutating func allocationPolicy(_ node: Node, buckets: BucketScheme, segments: [SegmentRule],
                                   treatments: [String: Treatment]) -> AllocationPolicy? {
        guard let entries = reader.mapping(node, in: "allocation", allowed: Self.allocationKeys) else { return nil }
        let fields = Self.values(entries)
        let defaultLimit = fields["rebalance_limit"].flatMap { rebalanceLimit($0, "allocation.rebalance_limit") }
            ?? AllocationPolicy.defaultRebalanceLimit
        guard let groupsNode = required("groups", fields, node), let items = reader.sequence(groupsNode, "allocation.groups") else {
            return nil
        }
        if items.isEmpty { reader.error(at: groupsNode, "allocation.groups must list at least one group") }
        let context = GroupContext(buckets: [BucketScheme.current] + buckets.buckets.map(\.name),
                                   segments: segments.map(\.name), treatments: treatments, defaultLimit: defaultLimit)
        var groups: [(AllocationGroup, Node)] = []
        var names: [String: Node] = [:]
        for item in items {
            guard let group = allocationGroup(item, context) else { continue }
            if let earlier = names[group.name] {
                reader.error(at: item, "allocation group name '\(group.name)' is used twice (first at line \(earlier.mark?.line ?? 0))")
            }
            names[group.name] = names[group.name] ?? item
            for (other, otherNode) in groups where Self.covers(other, group) {
                reader.error(at: item, "allocation group '\(group.name)' can never receive a case: group '\(other.name)' (line \(otherNode.mark?.line ?? 0)) takes all of its cases first")
                break
            }
            groups.append((group, item))
        }
        if !items.isEmpty {
            for bucket in context.buckets where !groups.contains(where: { $0.0.buckets?.contains(bucket) ?? true }) {
                reader.error(at: groupsNode, "no allocation group serves bucket \(bucket): every open case needs a group; add one (a robot group for cases nobody calls)")
            }
        }
        let mark = groupsNode.mark
        return AllocationPolicy(groups: groups.map(\.0),
                                anchor: SourceAnchor(file: reader.file, line: mark?.line ?? 1, column: mark?.column ?? 1))
    }

    struct GroupContext {
        var buckets: [String]
        var segments: [String]
        var treatments: [String: Treatment]
        var defaultLimit: RebalanceLimit
    }

    /// Whether `earlier` serves every case `later` could serve (first match wins).
    static func covers(_ earlier: AllocationGroup, _ later: AllocationGroup) -> Bool {
        func superset(_ a: [String]?, _ b: [String]?) -> Bool {
            guard let a else { return true }
            guard let b else { return false }
            return Set(b).isSubset(of: a)
        }
        return superset(earlier.buckets, later.buckets) && superset(earlier.products, later.products)
            && superset(earlier.segments, later.segments)
    }

    private mutating func allocationGroup(_ item: Node, _ context: GroupContext) -> AllocationGroup? {
        guard let entries = reader.mapping(item, in: "an allocation group", allowed: Self.groupKeys) else { return nil }
        let fields = Self.values(entries)
        guard let name = required("name", fields, item).flatMap({ reader.string($0, "allocation group name") }) else { return nil }
        if !ProductCode.isValid(name) {
            reader.error(at: fields["name"], "allocation group name '\(name)' may use only letters, digits, '_', '-' and '.'")
        }
        let what = "allocation group '\(name)'"
        var kind = GroupKind.agents
        if let node = fields["kind"], let text = reader.string(node, "\(what) kind") {
            if let k = GroupKind(rawValue: text) { kind = k } else {
                reader.error(at: node, "\(what): unknown kind '\(text)' (known: \(GroupKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        var group = AllocationGroup(name: name, kind: kind, rebalanceLimit: context.defaultLimit)
        for key in ["buckets", "products", "segments"] {
            if let node = fields[key], case .sequence(let list) = node, list.isEmpty {
                reader.error(at: node, "\(what): an empty \(key) list matches nothing; remove the key to serve every \(key.dropLast())")
            }
        }
        if let node = fields["buckets"], let list = reader.words(node, "\(what) buckets") {
            for bucket in list where !context.buckets.contains(bucket) {
                reader.error(at: node, "\(what): unknown bucket '\(bucket)' (known: \(context.buckets.joined(separator: ", ")))")
            }
            group.buckets = list
        }
        if let node = fields["products"], let list = reader.words(node, "\(what) products") {
            for product in list where !ProductCode.isValid(product) {
                reader.error(at: node, "\(what): product code '\(product)' may use only letters, digits, '_', '-' and '.'")
            }
            group.products = list
        }
        if let node = fields["segments"], let list = reader.words(node, "\(what) segments") {
            for segment in list where !context.segments.contains(segment) {
                reader.error(at: node, "\(what): unknown segment '\(segment)' (known: \(context.segments.joined(separator: ", ")))")
            }
            group.segments = list
        }
        if let node = fields["balance"], let text = reader.string(node, "\(what) balance") {
            if kind == .robot {
                reader.error(at: node, "\(what): a robot group has no members to balance; remove balance")
            } else if let rule = BalanceRule(rawValue: text) {
                group.balance = rule
            } else {
                reader.error(at: node, "\(what): unknown balance '\(text)' (known: \(BalanceRule.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        if let node = fields["rebalance_limit"], let limit = rebalanceLimit(node, "\(what) rebalance_limit") {
            group.rebalanceLimit = limit
        }
        if let node = fields["shares"] {
            if kind == .agency { group.shares = shares(node, what) } else {
                reader.error(at: node, "\(what): shares are for agency groups (kind: agency); agents are weighted in agents.csv")
            }
        } else if kind == .agency {
            reader.error(at: item, "\(what): an agency group needs shares, e.g. shares: {AGENCY_A: 60, AGENCY_B: 40}")
        }
        if let node = fields["treatment"], let treatment = reader.string(node, "\(what) treatment") {
            if let steps = context.treatments[treatment]?.steps {
                if kind == .robot, let call = steps.first(where: { $0.channel == .call }) {
                    reader.error(at: node, "\(what): a robot group's treatment may not have agent calls, but '\(treatment)' has step \(call.id)")
                }
                group.treatment = treatment
            } else {
                reader.error(at: node, "\(what): unknown treatment '\(treatment)'\(known(context.treatments.keys))")
            }
        }
        if let node = fields["skills"] {
            if kind == .agents { group.skills = skills(node, what, segments: context.segments) } else {
                reader.error(at: node, "\(what): skills route cases to agents; \(kind.rawValue) groups have none")
            }
        }
        return group
    }

    /// `200` cases or `5%` of the group's cases.
    private mutating func rebalanceLimit(_ node: Node, _ what: String) -> RebalanceLimit? {
        let text = node.scalar?.string ?? ""
        if text.hasSuffix("%"), let p = Int(text.dropLast()), (0...100).contains(p) { return .percent(p) }
        if let n = Int(text), (0...10_000_000).contains(n) { return .cases(n) }
        reader.error(at: node, "\(what) must be a number of cases (e.g. 200) or a percentage of the group's cases (e.g. 5%), not '\(text)'")
        return nil
    }

    /// Entries of a mapping whose keys are names the analyst chose (agencies, segments).
    private mutating func namedEntries(_ node: Node, _ what: String) -> [(String, Node, Node)] {
        guard case .mapping(let mapping) = node else {
            reader.error(at: node, "\(what) must be a mapping (name: value lines)")
            return []
        }
        var result: [(String, Node, Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string, ProductCode.isValid(key) else {
                reader.error(at: keyNode, "\(what): names may use only letters, digits, '_', '-' and '.'")
                continue
            }
            result.append((key, keyNode, value))
        }
        return result
    }

    /// `{AGENCY_A: 60, AGENCY_B: 40}`: whole percentages adding up to 100.
    private mutating func shares(_ node: Node, _ what: String) -> [String: Int] {
        var result: [String: Int] = [:]
        let entries = namedEntries(node, "\(what) shares")
        for (agency, _, value) in entries {
            if let percent = reader.int(value, "\(what) share of \(agency)", in: 1...100) { result[agency] = percent }
        }
        let total = result.values.reduce(0, +)
        if entries.isEmpty {
            reader.error(at: node, "\(what): shares must name at least one agency")
        } else if result.count == entries.count, total != 100 {
            reader.error(at: node, "\(what): shares add up to \(total), not 100")
        }
        return result
    }

    /// `{late_large: senior}`: cases of the segment go only to agents with the skill.
    private mutating func skills(_ node: Node, _ what: String, segments: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for (segment, keyNode, value) in namedEntries(node, "\(what) skills") {
            if !segments.contains(segment) {
                reader.error(at: keyNode, "\(what) skills: unknown segment '\(segment)' (known: \(segments.joined(separator: ", ")))")
            }
            guard let skill = reader.string(value, "\(what) skill for \(segment)") else { continue }
            if ProductCode.isValid(skill) { result[segment] = skill } else {
                reader.error(at: value, "\(what) skill '\(skill)' may use only letters, digits, '_', '-' and '.'")
            }
        }
        return result
    }
}
