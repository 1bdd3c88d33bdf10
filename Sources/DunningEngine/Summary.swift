import DunningCore
import Foundation

/// The night in numbers: written as `summary.json` and printed as a table. Aggregates only,
/// never a customer identifier.
public struct Summary: Codable, Sendable, Equatable {
    public var asOf: String
    public var strategyName: String
    public var strategyHash: String
    public var committed: Bool
    /// Nights between the previous committed run and this one that were never run.
    public var missedNights: Int
    public var inputRows: [String: Int]
    public var rejectedRows: Int
    public var heldCases: Int
    public var openCases: Int
    public var stages: [String: Int]
    public var buckets: [String: Int]
    public var segments: [String: Int]
    /// Open cases per segment experiment and variant (segments without an experiment absent).
    public var variants: [String: [String: Int]] = [:]
    public var actions: [String: Int]
    public var creditReportsAwaitingNotice: Int
    /// Totals per currency (amounts in different currencies are never added together).
    public var amountOverdue: [String: String]
    public var penaltyAccrued: [String: String]
    /// Wall-clock milliseconds per phase: the one part of the outputs that differs between runs.
    public var timingsMs: [String: Int]
    /// Tonight's contact plan in numbers.
    public var contacts: ContactFigures
    /// How cases were split between groups and members; absent when the strategy allocates nothing.
    public var allocation: AllocationSummary?
    /// Milestones recorded tonight as acted on by the previous system (`dunning init
    /// --adopt-before`), per kind; absent when none. `actions` counts the others.
    public var adopted: [String: Int]?
    /// What tonight's extract held against the open book, and the manifest checked.
    public var extract: ExtractFigures?
    /// Missed nights accepted with `--accept-missed-nights`; absent when none were.
    public var acceptedMissedNights: Int?
    /// Warnings that did not stop the night (a night outside an optional holiday calendar).
    public var warnings: [String]?

    enum CodingKeys: String, CodingKey {
        case asOf = "as_of", strategyName = "strategy_name", strategyHash = "strategy_sha256", committed
        case missedNights = "missed_nights", inputRows = "input_rows", rejectedRows = "rejected_rows"
        case heldCases = "held_cases", openCases = "open_cases", stages, buckets, segments, variants, actions
        case creditReportsAwaitingNotice = "credit_reports_awaiting_notice"
        case amountOverdue = "amount_overdue", penaltyAccrued = "penalty_accrued", timingsMs = "timings_ms"
        case contacts, allocation, adopted, extract, acceptedMissedNights = "accepted_missed_nights", warnings
    }

    /// A compact, aligned table for the terminal and cron mail.
    public func table(rerun: Bool) -> String {
        func line(_ label: String, _ counts: [(String, Int)]) -> String {
            let body = counts.isEmpty ? "-" : counts.map { "\($0.0) \($0.1)" }.joined(separator: "  ")
            return "  " + label.padding(toLength: 10, withPad: " ", startingAt: 0) + body
        }
        func ordered(_ dict: [String: Int], by order: [String]) -> [(String, Int)] {
            let known = order.compactMap { key in dict[key].map { (key, $0) } }
            let rest = dict.filter { !order.contains($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            return known + rest
        }
        let state = committed ? (rerun ? "committed (re-run: replaced the night's record)" : "committed") : "dry run: nothing committed"
        var lines = ["dunning run \(asOf)  strategy \(strategyName) (\(strategyHash.prefix(12)))  \(state)"]
        lines.append(line("inputs", ordered(inputRows, by: ["ledger.csv", "customers.csv", "events.csv"]) + [("rejected", rejectedRows)]))
        if missedNights > 0 {
            lines.append(line("catch-up", [("missed nights", missedNights)]) + (acceptedMissedNights != nil ? "  (accepted)" : ""))
        }
        if let extract, let text = extract.tableText { lines.append("  extract   " + text) }
        lines.append(line("cases", [("open", openCases), ("held", heldCases)]))
        lines.append(line("stages", ordered(stages, by: Stage.allCases.map(\.rawValue))))
        lines.append(line("buckets", ordered(buckets, by: [BucketScheme.current])))
        lines.append(line("segments", ordered(segments, by: [])))
        for (segment, split) in variants.sorted(by: { $0.key < $1.key }) {
            lines.append(line("variants", ordered(split, by: []).map { ("\(segment)/\($0.0)", $0.1) }))
        }
        lines.append(line("actions", ordered(actions, by: MilestoneKind.allCases.map(\.rawValue))))
        if let adopted { lines.append(line("adopted", ordered(adopted, by: MilestoneKind.allCases.map(\.rawValue)))) }
        if creditReportsAwaitingNotice > 0 {
            lines.append(line("waiting", [("credit reports awaiting notice", creditReportsAwaitingNotice)]))
        }
        lines.append(line("contacts", ordered(contacts.planned, by: Channel.allCases.map(\.rawValue))))
        if !contacts.held.isEmpty {
            lines.append(line("held back", ordered(contacts.held, by: HoldReason.allCases.map(\.rawValue)) + [("dropped", contacts.dropped)]))
        }
        for (name, g) in (allocation?.groups ?? [:]).sorted(by: { ($0.value.order, $0.key) < ($1.value.order, $1.key) }) {
            let noun = g.kind == GroupKind.agency.rawValue ? (g.members == 1 ? "agency" : "agencies") : (g.members == 1 ? "agent" : "agents")
            let members = g.kind == GroupKind.robot.rawValue ? "robot" : "\(g.members) \(noun)"
            var text = "  group     \(name) (\(members)): cases \(g.cases)  new \(g.new)  kept \(g.kept)  moved \(g.moved)  recycled \(g.recycled)"
            if g.unassigned > 0 { text += "  unassigned \(g.unassigned)" }
            if g.kind != GroupKind.robot.rawValue, g.members > 0, g.cases > 0 {
                text += "  vs ideal:"
                if !g.casesBelowIdeal.isEmpty { text += " cases \(g.casesBelowIdeal)..\(g.casesAboveIdeal)," }
                text += " amount \(g.amountBelowIdealPercent)%..\(g.amountAboveIdealPercent)%"
            }
            lines.append(text)
        }
        for currency in amountOverdue.keys.sorted() {
            lines.append("  amounts   \(currency) overdue \(amountOverdue[currency] ?? "0.00")  penalty \(penaltyAccrued[currency] ?? "0.00")")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Tonight's extract against the book: the cases open after the last committed night, how many
/// of them the files leave out, what the operator accepted, and the manifest that was checked.
public struct ExtractFigures: Codable, Sendable, Equatable {
    public var openCases: Int
    public var missingFromLedger: Int
    public var missingCustomers: Int
    /// `--accept-missing N`: the drop accepted tonight; absent when none was.
    public var acceptedMissing: Int?
    /// SHA-256 of the `manifest.json` checked tonight; absent without one.
    public var manifestSHA256: String?

    enum CodingKeys: String, CodingKey {
        case openCases = "open_cases", missingFromLedger = "missing_from_ledger", missingCustomers = "missing_customers"
        case acceptedMissing = "accepted_missing", manifestSHA256 = "manifest_sha256"
    }

    init(_ found: ExtractCompleteness, accepted: Int?, manifest: String?) {
        openCases = found.openCases
        missingFromLedger = found.missingFromLedger
        missingCustomers = found.missingCustomers
        acceptedMissing = accepted
        manifestSHA256 = manifest
    }

    /// The table's `extract` line, when there is something to say.
    var tableText: String? {
        var parts: [String] = []
        if missingFromLedger > 0 || missingCustomers > 0 || acceptedMissing != nil {
            parts.append("missing from ledger \(missingFromLedger)  customers \(missingCustomers) (of \(openCases) open)")
        }
        if let acceptedMissing { parts.append("accepted \(acceptedMissing)") }
        if let manifestSHA256 { parts.append("manifest checked (\(manifestSHA256.prefix(12)))") }
        return parts.isEmpty ? nil : parts.joined(separator: "  ")
    }
}

/// Contacts per channel and hour, what was held back and why, and which caps were hit.
public struct ContactFigures: Codable, Sendable, Equatable {
    /// Planned contacts per channel.
    public var planned: [String: Int]
    /// Planned contacts per channel and hour of the customer's local time (`"09"`): never
    /// before 08 nor after 20.
    public var byLocalHour: [String: [String: Int]]
    /// The same per hour of the business time zone: the load on gateways and agents.
    public var byBusinessHour: [String: [String: Int]]
    /// Required notices among the planned contacts.
    public var requiredNotices: Int
    /// Held-back step occurrences per rule (`deferred.csv`).
    public var held: [String: Int]
    /// How many of those were dropped for good (validity over).
    public var dropped: Int
    /// Holds caused by frequency caps, per cap.
    public var capsHit: [String: Int]
    /// Contacts deferred because a channel's capacity was full, per channel.
    public var capacityDeferred: [String: Int]

    enum CodingKeys: String, CodingKey {
        case planned, byLocalHour = "by_local_hour", byBusinessHour = "by_business_hour", requiredNotices = "required_notices", held, dropped
        case capsHit = "caps_hit", capacityDeferred = "capacity_deferred"
    }

    /// `night`: the run's date, whose hours the clock caches (a million contacts a night).
    init(plan: ContactPlan, businessZone: String, night: Day? = nil) {
        let clock = FoundationZoneClock(names: [businessZone], around: night)
        // Hours read from ISO 8601 local times: `YYYY-MM-DDThh:...`.
        func hour(_ iso: String) -> String { String(iso.dropFirst(11).prefix(2)) }
        var planned: [String: Int] = [:], held: [String: Int] = [:]
        var byLocalHour: [String: [String: Int]] = [:], byBusinessHour: [String: [String: Int]] = [:]
        var capsHit: [String: Int] = [:], capacity: [String: Int] = [:]
        var required = 0, dropped = 0
        for c in plan.contacts {
            planned[c.channel.rawValue, default: 0] += 1
            let business = LocalWindow.iso8601(utcMinute: c.utcMinute, zone: businessZone, clock: clock)
            byBusinessHour[c.channel.rawValue, default: [:]][hour(business), default: 0] += 1
            byLocalHour[c.channel.rawValue, default: [:]][hour(c.scheduledAt), default: 0] += 1
            if c.required { required += 1 }
        }
        for d in plan.deferrals {
            held[d.heldBy.rawValue, default: 0] += 1
            if d.outcome == .dropped { dropped += 1 }
            if d.heldBy.isCap { capsHit[d.heldBy.rawValue, default: 0] += 1 }
            if d.heldBy == .capacity { capacity[d.channel.rawValue, default: 0] += 1 }
        }
        self.planned = planned
        self.byLocalHour = byLocalHour
        self.byBusinessHour = byBusinessHour
        self.requiredNotices = required
        self.held = held
        self.dropped = dropped
        self.capsHit = capsHit
        self.capacityDeferred = capacity
    }
}

/// The allocation in numbers, per group: who got what, and how even the loads are.
public struct AllocationSummary: Codable, Sendable, Equatable {
    public var groups: [String: GroupSummary]

    init(_ outcome: CaseAllocator.Outcome) {
        groups = Dictionary(uniqueKeysWithValues: outcome.groups.enumerated().map { ($1.name, GroupSummary($1, order: $0 + 1)) })
    }
}

/// One group's figures. Gaps compare each active member with its fair share (weights and
/// capacities applied): cases in cases, amount in percent of the member's ideal amount. Groups
/// balanced by amount alone have no case gaps (empty).
public struct GroupSummary: Codable, Sendable, Equatable {
    /// Position of the group in the strategy (1 = first).
    public var order: Int
    public var kind: String
    public var balance: String
    public var currency: String
    public var cases: Int
    public var amount: String
    public var members: Int
    public var new: Int
    public var kept: Int
    public var moved: Int
    public var recycled: Int
    public var unassigned: Int
    public var stopped: Int
    public var rebalanceLimit: Int
    public var rebalanced: Int
    public var casesBelowIdeal: String
    public var casesAboveIdeal: String
    public var amountBelowIdealPercent: String
    public var amountAboveIdealPercent: String

    enum CodingKeys: String, CodingKey {
        case order, kind, balance, currency, cases, amount, members, new, kept, moved, recycled, unassigned, stopped
        case rebalanceLimit = "rebalance_limit", rebalanced
        case casesBelowIdeal = "cases_below_ideal", casesAboveIdeal = "cases_above_ideal"
        case amountBelowIdealPercent = "amount_below_ideal_pct", amountAboveIdealPercent = "amount_above_ideal_pct"
    }

    init(_ g: GroupFigures, order: Int) {
        self.order = order
        kind = g.kind.rawValue
        balance = g.kind == .robot ? "" : g.balance.rawValue
        currency = g.currency
        cases = g.cases
        amount = g.amount.description
        members = g.members
        new = g.counts[.new, default: 0]
        kept = g.counts[.kept, default: 0]
        moved = g.counts[.moved, default: 0]
        recycled = g.counts[.recycled, default: 0]
        unassigned = g.counts[.unassigned, default: 0]
        stopped = g.stopped
        rebalanceLimit = g.rebalanceLimit
        rebalanced = g.rebalanced
        let byCount = g.balance != .amount && g.kind != .robot
        casesBelowIdeal = byCount ? signedHundredths(g.casesBelowIdeal) : ""
        casesAboveIdeal = byCount ? signedHundredths(g.casesAboveIdeal) : ""
        amountBelowIdealPercent = signedHundredths(g.amountBelowIdeal)
        amountAboveIdealPercent = signedHundredths(g.amountAboveIdeal)
    }
}
