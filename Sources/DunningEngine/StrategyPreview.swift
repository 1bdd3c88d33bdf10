import DunningCore
import Foundation
import Logging

/// `dunning preview`: tonight's job run twice without committing, with the strategy in force and
/// with a candidate, and what would change between them.
public struct StrategyPreview {
    public let options: RunOptions
    public let baselinePath: String
    public let logger: Logger

    /// `options.strategyPath` is the candidate; the store is only read.
    public init(options: RunOptions, baselinePath: String, logger: Logger) {
        var options = options
        options.dryRun = true
        options.outputDirectory = nil
        options.collectDetail = true
        self.options = options
        self.baselinePath = baselinePath
        self.logger = logger
    }

    public func execute() throws(RunError) -> PreviewReport {
        var baselineOptions = options
        baselineOptions.strategyPath = baselinePath
        let baseline = try NightlyRun(options: baselineOptions, logger: logger).execute()
        var candidateOptions = options
        // Both runs decide the same night, whatever today is in either strategy's time zone.
        candidateOptions.asOf = options.asOf ?? Day(iso: baseline.summary.asOf)
        let candidate = try NightlyRun(options: candidateOptions, logger: logger).execute()
        guard let b = baseline.detail, let c = candidate.detail else {
            throw .internalError("the dry runs handed back no detail")
        }
        return PreviewReport.compare(baseline: (baseline.summary, b), candidate: (candidate.summary, c))
    }
}

/// What a candidate strategy would change tonight against the strategy in force: counts per
/// section side by side, and the cases that would change segment or group. Written as a table or
/// as JSON (`--json`); aggregates and case counts only, never a customer.
public struct PreviewReport: Codable, Sendable, Equatable {
    public struct Strategy: Codable, Sendable, Equatable {
        public var name: String
        public var sha256: String
    }

    /// One counted thing in both runs.
    public struct Row: Codable, Sendable, Equatable {
        public var key: String
        public var baseline: Int
        public var candidate: Int
        public var change: Int

        public init(key: String, baseline: Int, candidate: Int, change: Int) {
            self.key = key
            self.baseline = baseline
            self.candidate = candidate
            self.change = change
        }
    }

    /// Cases that would be decided differently: `from` under the strategy in force, `to` under the candidate.
    public struct Move: Codable, Sendable, Equatable {
        public var from: String
        public var to: String
        public var cases: Int

        public init(from: String, to: String, cases: Int) {
            self.from = from
            self.to = to
            self.cases = cases
        }
    }

    public struct Section: Codable, Sendable, Equatable {
        public var name: String
        public var title: String
        public var rows: [Row]
        /// Rows equal in both runs that are left out (long sections list only what changes).
        public var unchangedOmitted: Int

        enum CodingKeys: String, CodingKey { case name, title, rows, unchangedOmitted = "unchanged_omitted" }
    }

    /// An amount in both runs (per currency), as decimal text.
    public struct AmountRow: Codable, Sendable, Equatable {
        public var key: String
        public var baseline: String
        public var candidate: String
        public var change: String
    }

    public var asOf: String
    public var baseline: Strategy
    public var candidate: Strategy
    public var openCases: Row
    public var sections: [Section]
    /// Overdue amount and penalty accrued per currency.
    public var amounts: [AmountRow]
    public var segmentMoves: [Move]
    public var groupMoves: [Move]
    public var variantMoves: [Move]

    enum CodingKeys: String, CodingKey {
        case asOf = "as_of", baseline, candidate, openCases = "open_cases", sections, amounts
        case segmentMoves = "segment_moves", groupMoves = "group_moves", variantMoves = "variant_moves"
    }

    /// Whether the candidate changes nothing that the report counts.
    public var isUnchanged: Bool {
        openCases.change == 0 && sections.allSatisfy { $0.rows.allSatisfy { $0.change == 0 } }
            && amounts.allSatisfy { $0.baseline == $0.candidate }
            && segmentMoves.isEmpty && groupMoves.isEmpty && variantMoves.isEmpty
    }

    static func compare(baseline: (Summary, NightDetail), candidate: (Summary, NightDetail)) -> PreviewReport {
        let (bs, b) = baseline, (cs, c) = candidate
        func section(_ name: String, _ title: String, _ x: [String: Int], _ y: [String: Int],
                     onlyChanges: Bool = false, order: [String] = []) -> Section {
            let keys = Set(x.keys).union(y.keys)
            let ordered = order.filter(keys.contains) + keys.subtracting(order).sorted()
            var rows = ordered.map { Row(key: $0, baseline: x[$0] ?? 0, candidate: y[$0] ?? 0, change: (y[$0] ?? 0) - (x[$0] ?? 0)) }
            var omitted = 0
            if onlyChanges {
                omitted = rows.filter { $0.change == 0 }.count
                rows = rows.filter { $0.change != 0 }
            }
            return Section(name: name, title: title, rows: rows, unchangedOmitted: omitted)
        }
        func count<T>(_ items: [T], _ key: (T) -> String?) -> [String: Int] {
            var result: [String: Int] = [:]
            for item in items { if let k = key(item) { result[k, default: 0] += 1 } }
            return result
        }
        func loads(_ d: NightDetail, _ value: (MemberLoad) -> Int) -> [String: Int] {
            var result: [String: Int] = [:]
            for l in d.loads where !l.agentID.isEmpty { result["\(l.group)/\(l.agentID)"] = value(l) }
            return result
        }
        func hours(_ d: NightDetail) -> [String: Int] {
            count(d.contacts) { "\($0.channel.rawValue) \(String($0.scheduledAt.dropFirst(11).prefix(2)))" }
        }
        let channelOrder = Channel.allCases.map(\.rawValue)
        let sections = [
            section("segments", "cases per segment", bs.segments, cs.segments),
            section("variants", "cases per experiment variant", count(b.cases) { $0.variant.isEmpty ? nil : "\($0.segment)/\($0.variant)" },
                    count(c.cases) { $0.variant.isEmpty ? nil : "\($0.segment)/\($0.variant)" }),
            section("buckets", "cases per bucket", bs.buckets, cs.buckets, order: [BucketScheme.current]),
            section("stages", "cases per stage", bs.stages, cs.stages, order: Stage.allCases.map(\.rawValue)),
            section("actions", "stage actions (milestones)", bs.actions, cs.actions, order: MilestoneKind.allCases.map(\.rawValue)),
            section("contacts", "contacts per channel", bs.contacts.planned, cs.contacts.planned, order: channelOrder),
            section("contact_hours", "contacts per channel and local hour", hours(b), hours(c)),
            section("held_back", "held back, per rule", bs.contacts.held, cs.contacts.held, order: HoldReason.allCases.map(\.rawValue)),
            section("groups", "cases per allocation group", groupCases(bs), groupCases(cs)),
            section("agent_cases", "cases per agent (changed only)", loads(b) { $0.cases }, loads(c) { $0.cases }, onlyChanges: true),
            section("agent_calls", "planned calls per agent (changed only)", loads(b) { $0.plannedCalls }, loads(c) { $0.plannedCalls },
                    onlyChanges: true),
        ]
        return PreviewReport(
            asOf: cs.asOf, baseline: Strategy(name: bs.strategyName, sha256: bs.strategyHash),
            candidate: Strategy(name: cs.strategyName, sha256: cs.strategyHash),
            openCases: Row(key: "open cases", baseline: bs.openCases, candidate: cs.openCases, change: cs.openCases - bs.openCases),
            sections: sections, amounts: amounts(bs, cs),
            segmentMoves: moves(b, c) { d, i in d.cases[i].segment },
            groupMoves: moves(b, c) { d, i in d.assignments.map { $0[i].group } ?? "" },
            variantMoves: moves(b, c) { d, i in d.cases[i].variant.isEmpty ? "" : "\(d.cases[i].segment)/\(d.cases[i].variant)" })
    }

    /// Overdue and penalty per currency in both runs.
    private static func amounts(_ b: Summary, _ c: Summary) -> [AmountRow] {
        var rows: [AmountRow] = []
        for (label, x, y) in [("overdue", b.amountOverdue, c.amountOverdue), ("penalty accrued", b.penaltyAccrued, c.penaltyAccrued)] {
            for currency in Set(x.keys).union(y.keys).sorted() {
                let before = x[currency].flatMap { try? Money.parse($0).get() } ?? .zero
                let after = y[currency].flatMap { try? Money.parse($0).get() } ?? .zero
                let delta = Money(minorUnits: after.minorUnits - before.minorUnits)
                rows.append(AmountRow(key: "\(label) \(currency)", baseline: before.description, candidate: after.description,
                                      change: (delta.minorUnits > 0 ? "+" : "") + delta.description))
            }
        }
        return rows
    }

    private static func groupCases(_ s: Summary) -> [String: Int] {
        (s.allocation?.groups ?? [:]).mapValues(\.cases)
    }

    /// Cases present in both runs whose value differs, counted per (before, after).
    private static func moves(_ b: NightDetail, _ c: NightDetail, _ value: (NightDetail, Int) -> String) -> [Move] {
        var index: [String: Int] = [:]
        for (i, x) in b.cases.enumerated() { index[x.caseID] = i }
        var counts: [String: Int] = [:]
        for (j, y) in c.cases.enumerated() {
            guard let i = index[y.caseID] else { continue }
            let before = value(b, i), after = value(c, j)
            if before != after { counts["\(before)\u{0}\(after)", default: 0] += 1 }
        }
        return counts.map { key, n in
            let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
            return Move(from: parts[0].isEmpty ? "-" : parts[0], to: parts[1].isEmpty ? "-" : parts[1], cases: n)
        }.sorted { ($0.cases, $1.from, $1.to) > ($1.cases, $0.from, $0.to) }
    }

    /// An aligned table for the terminal.
    public func table() -> String {
        var lines = ["dunning preview \(asOf)  baseline \(baseline.name) (\(baseline.sha256.prefix(12)))  candidate \(candidate.name) (\(candidate.sha256.prefix(12)))",
                     "  dry runs: nothing committed, no output written" + (isUnchanged ? "; the candidate changes nothing counted here" : "")]
        let width = max(34, (sections.flatMap(\.rows).map(\.key) + [openCases.key]).map { $0.count + 4 }.max() ?? 0)
        // Value columns wide enough for the longest amount.
        let longest = amounts.flatMap { [$0.baseline, $0.candidate, $0.change] }.map(\.count).max() ?? 0
        let column = max(9, longest + 2)
        func cells(_ label: String, _ a: String, _ b: String, _ d: String) -> String {
            label.padding(toLength: width, withPad: " ", startingAt: 0) + pad(a, max(10, column)) + pad(b, max(11, column)) + pad(d, column)
        }
        func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        func signed(_ n: Int) -> String { n > 0 ? "+\(n)" : String(n) }
        lines.append("")
        lines.append(cells("", "baseline", "candidate", "change"))
        lines.append(cells("  " + openCases.key, String(openCases.baseline), String(openCases.candidate), signed(openCases.change)))
        for s in sections where !s.rows.isEmpty || s.unchangedOmitted > 0 {
            lines.append("  " + s.title)
            for r in s.rows { lines.append(cells("    " + r.key, String(r.baseline), String(r.candidate), signed(r.change))) }
            if s.unchangedOmitted > 0 { lines.append("    (\(s.unchangedOmitted) unchanged)") }
        }
        if !amounts.isEmpty {
            lines.append("  amounts")
            for a in amounts { lines.append(cells("    " + a.key, a.baseline, a.candidate, a.change)) }
        }
        for (title, list) in [("cases changing segment", segmentMoves), ("cases changing group", groupMoves),
                              ("cases changing variant", variantMoves)] where !list.isEmpty {
            lines.append("  " + title)
            for m in list { lines.append(cells("    \(m.from) -> \(m.to)", "", String(m.cases), "")) }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
