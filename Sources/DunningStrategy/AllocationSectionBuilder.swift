import DunningCore
import Yams

/// Builds the `allocation` section: collector groups, their conditions, kinds, balancing rules,
/// agency shares, rebalance limits, skills and treatment overrides. Checks that every bucket (and
/// every segment its cases can fall into) has a group, that no group is hidden behind an earlier
/// one, and that no agency has a share in two groups.
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
        guard let groupsNode = fields["groups"] else {
            reader.error(at: node, "missing required key 'groups' in allocation: list the collector groups (first match wins)")
            return nil
        }
        guard let items = reader.sequence(groupsNode, "allocation.groups") else { return nil }
        if items.isEmpty { reader.error(at: groupsNode, "allocation.groups must list at least one group") }
        var context = GroupContext(buckets: [BucketScheme.current] + buckets.buckets.map(\.name),
                                   segments: segments.map(\.name), treatments: treatments, defaultLimit: defaultLimit)
        var groups: [(AllocationGroup, Node)] = []
        var names: [String: Node] = [:]
        for item in items {
            guard let group = allocationGroup(item, &context) else { continue }
            if let earlier = names[group.name] {
                reader.error(at: item, "allocation group name '\(group.name)' is used twice (first at line \(earlier.mark?.line ?? 0))")
            }
            names[group.name] = names[group.name] ?? item
            // A group with an empty list matches nothing; that is reported already.
            let matchesNothing = [group.buckets, group.products, group.segments].contains { $0?.isEmpty == true }
            for (other, otherNode) in groups where !matchesNothing && Self.covers(other, group) {
                reader.error(at: item, "allocation group '\(group.name)' can never receive a case: group '\(other.name)' (line \(otherNode.mark?.line ?? 0)) takes all of its cases first")
                break
            }
            groups.append((group, item))
        }
        if !items.isEmpty { checkCoverage(groups.map(\.0), at: groupsNode, buckets: context.buckets, segments: segments) }
        let mark = groupsNode.mark
        return AllocationPolicy(groups: groups.map(\.0),
                                anchor: SourceAnchor(file: reader.file, line: mark?.line ?? 1, column: mark?.column ?? 1))
    }

    /// Every open case needs a group: every bucket, and every segment a case of that bucket can
    /// fall into, must be served by some group (products are open-ended and checked at run time).
    private mutating func checkCoverage(_ groups: [AllocationGroup], at node: Node, buckets: [String], segments: [SegmentRule]) {
        for bucket in buckets {
            let serving = groups.filter { $0.buckets?.contains(bucket) ?? true }
            let what = bucket == BucketScheme.current ? "bucket current (cases not yet overdue: pre-collection)" : "bucket \(bucket)"
            guard !serving.isEmpty else {
                reader.error(at: node, "no allocation group serves \(what): every open case needs a group; add one (a robot group for cases nobody calls)")
                continue
            }
            for segment in Self.reachableSegments(bucket, segments)
            where !serving.contains(where: { $0.segments?.contains(segment) ?? true }) {
                reader.error(at: node, "no allocation group serves segment '\(segment)' in \(what): every open case needs a group; add one, or widen one's segments")
            }
        }
    }

    /// The segments a case of `bucket` can get: first match wins, so the list stops at the first
    /// segment that takes every case of the bucket.
    static func reachableSegments(_ bucket: String, _ segments: [SegmentRule]) -> [String] {
        var result: [String] = []
        for rule in segments {
            if let buckets = rule.buckets, !buckets.contains(bucket) { continue }
            result.append(rule.name)
            if rule.score == nil, rule.minAmount == nil, rule.maxAmount == nil, rule.products == nil { break }
        }
        return result
    }

    struct GroupContext {
        var buckets: [String]
        var segments: [String]
        var treatments: [String: Treatment]
        var defaultLimit: RebalanceLimit
        /// Agency -> the group (and its line) whose shares name it first.
        var agencyGroups: [String: (group: String, line: Int)] = [:]
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

    private mutating func allocationGroup(_ item: Node, _ context: inout GroupContext) -> AllocationGroup? {
        guard let entries = reader.mapping(item, in: "an allocation group", allowed: Self.groupKeys) else { return nil }
        let fields = Self.values(entries)
        guard let nameNode = fields["name"] else {
            reader.error(at: item, "missing required key 'name' in an allocation group")
            return nil
        }
        guard let name = reader.string(nameNode, "allocation group name") else { return nil }
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
        if let node = fields["buckets"] { group.buckets = bucketList(node, what, known: context.buckets) }
        if let node = fields["products"] { group.products = productList(node, what) }
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
        if let node = fields["rebalance_limit"] {
            if kind == .robot {
                reader.error(at: node, "\(what): a robot group has no members to rebalance between; remove rebalance_limit")
            } else if let limit = rebalanceLimit(node, "\(what) rebalance_limit") {
                group.rebalanceLimit = limit
            }
        }
        if let node = fields["shares"] {
            if kind == .agency { group.shares = shares(node, what, group: name, context: &context) } else {
                let members = kind == .robot ? "a robot group has no members to share its cases" : "agents are weighted in agents.csv"
                reader.error(at: node, "\(what): shares are for agency groups (kind: agency); \(members)")
            }
        } else if kind == .agency {
            reader.error(at: item, "\(what): an agency group needs shares, e.g. shares: {AGENCY_A: 60, AGENCY_B: 40}")
        }
        if let node = fields["treatment"], let treatment = reader.string(node, "\(what) treatment") {
            if let steps = context.treatments[treatment]?.steps {
                if kind == .robot, let call = steps.first(where: { $0.channel == .call }) {
                    reader.error(at: node, "\(what): a robot group's treatment may not have agent calls (nobody calls its cases), but treatment '\(treatment)' has call step \(call.id)")
                }
                group.treatment = treatment
            } else {
                reader.error(at: node, "\(what): unknown treatment '\(treatment)'\(known(context.treatments.keys))")
            }
        }
        if let node = fields["skills"] {
            if kind == .agents { group.skills = skills(node, what, segments: context.segments) } else {
                reader.error(at: node, "\(what): skills route cases to agents with the skill; \(kind == .robot ? "a robot group" : "an agency group") has no agents (skills are for kind: agents)")
            }
        }
        return group
    }

    /// `200` cases or `5%` of the group's cases.
    private mutating func rebalanceLimit(_ node: Node, _ what: String) -> RebalanceLimit? {
        let rule = "must be a number of cases from 0 to 10000000 (e.g. 200) or a percentage of the group's cases from 0% to 100% (e.g. 5%)"
        guard let text = node.scalar?.string else {
            reader.error(at: node, "\(what) \(rule)")
            return nil
        }
        let isDigits = { (s: Substring) in !s.isEmpty && s.count <= 9 && s.allSatisfy { $0.isASCII && $0.isNumber } }
        if text.hasSuffix("%"), isDigits(text.dropLast()), let p = Int(text.dropLast()), (0...100).contains(p) { return .percent(p) }
        if isDigits(text[...]), let n = Int(text), (0...10_000_000).contains(n) { return .cases(n) }
        reader.error(at: node, "\(what) \(rule), not '\(text)'")
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
    /// An agency belongs to one group: `agents.csv` lists it once, in one group.
    private mutating func shares(_ node: Node, _ what: String, group: String, context: inout GroupContext) -> [String: Int] {
        var result: [String: Int] = [:]
        let entries = namedEntries(node, "\(what) shares")
        guard let written = node.mapping?.count else { return result }
        for (agency, keyNode, value) in entries {
            if let earlier = context.agencyGroups[agency], earlier.group != group {
                reader.error(at: keyNode, "\(what): agency \(agency) already has a share in group '\(earlier.group)' (line \(earlier.line)); an agency belongs to one group, as agents.csv lists it once")
            } else if context.agencyGroups[agency] == nil {
                context.agencyGroups[agency] = (group, keyNode.mark?.line ?? 0)
            }
            if let percent = reader.int(value, "\(what): the share of agency \(agency) (in percent)", in: 1...100) { result[agency] = percent }
        }
        let total = result.values.reduce(0, +)
        if written == 0 {
            reader.error(at: node, "\(what): shares must name at least one agency")
        } else if result.count == written, total != 100 {
            reader.error(at: node, "\(what): shares add up to \(total)%, not 100%")
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

    /// With allocation, robot-group and unassigned cases have no agent, so an agent call could
    /// never carry a stage notice or a promise reminder to them: those must use another channel.
    mutating func checkMessagesNeedNoAgent(_ fields: [String: Node], contact: ContactPolicy) {
        let advice = "with allocation, a case in a robot group or left unassigned has no agent to call it; send it by sms, ivr, letter, email or push"
        if case .mapping(let notices)? = fields["notices"] {
            for (key, value) in notices {
                guard let name = key.scalar?.string, let kind = NoticeKind(rawValue: name),
                      contact.notices[kind]?.channel == .call else { continue }
                reader.error(at: value, "notices.\(name) goes by agent call: \(advice)")
            }
        }
        if contact.promise.reminder?.channel == .call, case .mapping(let section)? = fields["contact"],
           case .mapping(let promise)? = section["promise_to_pay"], let reminder = promise["reminder"] {
            reader.error(at: reminder, "contact.promise_to_pay.reminder goes by agent call: \(advice)")
        }
    }
}
