import DunningCore
import Foundation
import Yams

/// Turns a YAML tree into a `Strategy`, checking types, keys, ranges and cross-field rules.
/// Keeps going after a problem so that one pass reports everything.
struct StrategyBuilder {
    var reader: YAMLReader
    let hash: String
    /// Files the strategy names (the holiday calendar) are read relative to this directory.
    let baseDirectory: String
    /// Bytes of the files the strategy read besides itself: they are part of its version.
    var calendarBytes: [UInt8] = []
    /// The files it read, by the name the strategy gives them (part of its source).
    var readFiles: [String: [UInt8]] = [:]
    /// Files to read instead of the file system (a strategy replayed from the store).
    var storedFiles: [String: [UInt8]]?

    static let topKeys = ["name", "description", "business_time_zone", "customer_time_zone", "currency",
                          "paid_tolerance", "stages", "penalty", "buckets", "segments", "contact", "templates",
                          "notices", "treatments", "allocation", "safety"]

    init(reader: YAMLReader, hash: String, baseDirectory: String) {
        self.reader = reader
        self.hash = hash
        self.baseDirectory = baseDirectory
    }

    mutating func build(_ root: Node) -> Strategy? {
        guard let entries = reader.mapping(root, in: "the strategy", allowed: Self.topKeys) else { return nil }
        let fields = Self.values(entries)

        let name = required("name", fields, root).flatMap { reader.string($0, "name") }
        if let description = fields["description"] { _ = reader.string(description, "description") }
        let businessZone = required("business_time_zone", fields, root).flatMap { timeZone($0, "business_time_zone") }
        let customerZone = fields["customer_time_zone"].flatMap { timeZone($0, "customer_time_zone") } ?? businessZone
        let currency = required("currency", fields, root).flatMap { currencyCode($0) }
        let tolerance = fields["paid_tolerance"].flatMap { money($0, "paid_tolerance") } ?? StrategyDefaults.paidTolerance
        let stages = fields["stages"].map { stageSchedule($0) } ?? StrategyDefaults.stages
        let penalty = penaltyRule(fields["penalty"])
        let buckets = fields["buckets"].map { bucketScheme($0, stages: stages) } ?? BucketScheme(StrategyDefaults.buckets)
        let contact = contactPolicy(fields)
        let segments = required("segments", fields, root).map { segmentRules($0, buckets: buckets, treatments: contact.treatments) } ?? []
        let allocation = fields["allocation"].flatMap {
            allocationPolicy($0, buckets: buckets, segments: segments, treatments: contact.treatments)
        }
        if allocation != nil { checkMessagesNeedNoAgent(fields, contact: contact) }
        let safety = safetyPolicy(fields["safety"])

        guard let name, let businessZone, let customerZone, let currency, let penalty else { return nil }
        let version = calendarBytes.isEmpty ? hash : SHA256.hex(Array(hash.utf8) + calendarBytes)
        var strategy = Strategy(name: name, contentHash: version, businessTimeZone: businessZone,
                                defaultCustomerTimeZone: customerZone, currency: currency, stages: stages, penalty: penalty,
                                paidTolerance: tolerance, buckets: buckets, segments: segments, contact: contact,
                                allocation: allocation)
        strategy.safety = safety
        return strategy
    }

    /// Value nodes by key; a key given twice keeps its first value (YAML reports the duplicate).
    static func values(_ entries: [(String, Node, Node)]) -> [String: Node] {
        Dictionary(entries.map { ($0.0, $0.2) }, uniquingKeysWith: { first, _ in first })
    }

    mutating func required(_ key: String, _ fields: [String: Node], _ parent: Node) -> Node? {
        if let field = fields[key] { return field }
        reader.error(at: parent, "missing required key '\(key)'")
        return nil
    }

    // MARK: Scalars

    private mutating func timeZone(_ node: Node, _ what: String) -> String? {
        guard let id = reader.string(node, what) else { return nil }
        guard TimeZone(identifier: id) != nil, id.contains("/") || id == "UTC" else {
            reader.error(at: node, "\(what): unknown IANA time zone '\(id)' (e.g. Asia/Shanghai, America/New_York)")
            return nil
        }
        return id
    }

    private mutating func currencyCode(_ node: Node) -> String? {
        guard let code = reader.string(node, "currency") else { return nil }
        guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            reader.error(at: node, "currency must be an ISO 4217 code such as CNY or USD, not '\(code)'")
            return nil
        }
        return code
    }

    private mutating func money(_ node: Node, _ what: String) -> Money? {
        guard let text = reader.string(node, what) else { return nil }
        switch Money.parse(text) {
        case .success(let value): return value
        case .failure(let error):
            reader.error(at: node, "\(what): \(error)")
            return nil
        }
    }

    private mutating func rate(_ node: Node, _ what: String) -> Rate? {
        guard let text = reader.string(node, what), let value = Rate(decimal: text) else {
            reader.error(at: node, "\(what) must be a decimal such as 0.0005 (no sign, no exponent, at most 9 decimals)")
            return nil
        }
        return value
    }

    /// `D-2`, `D+8`, `D0`, or a plain integer.
    mutating func dayOffset(_ node: Node, _ what: String) -> Int? {
        guard let text = node.scalar?.string else {
            reader.error(at: node, "\(what) must be a day such as D-2 or D+8")
            return nil
        }
        let upper = text.uppercased()
        let number = Int(text) ?? (upper.hasPrefix("D") ? Int(upper.dropFirst()) : nil)
        if let value = number, (-366...3660).contains(value) { return value }
        reader.error(at: node, "\(what) must be a day from D-366 to D+3660 such as D-2 or D+8, not '\(text)'")
        return nil
    }

    // MARK: Sections

    private mutating func stageSchedule(_ node: Node) -> StageSchedule {
        var stages = StrategyDefaults.stages
        let allowed = ["pre_collection", "penalty", "credit_notice", "credit_report", "credit_notice_lead_days", "litigation"]
        guard let entries = reader.mapping(node, in: "stages", allowed: allowed) else { return stages }
        var positions: [String: Node] = [:]
        for (key, keyNode, value) in entries {
            positions[key] = keyNode
            switch key {
            case "pre_collection": dayOffset(value, "stages.pre_collection").map { stages.preCollection = $0 }
            case "penalty": dayOffset(value, "stages.penalty").map { stages.penalty = $0 }
            case "credit_notice": dayOffset(value, "stages.credit_notice").map { stages.creditNotice = $0 }
            case "credit_report": dayOffset(value, "stages.credit_report").map { stages.creditReport = $0 }
            case "credit_notice_lead_days":
                reader.int(value, "stages.credit_notice_lead_days", in: 1...60).map { stages.creditNoticeLeadDays = $0 }
            case "litigation":
                let text = value.scalar?.string.uppercased() ?? ""
                if text.hasPrefix("M"), let months = Int(text.dropFirst()), (1...120).contains(months) {
                    stages.litigationMonths = months
                } else {
                    reader.error(at: value, "stages.litigation must be a month count such as M12 (M1 to M120)")
                }
            default: break
            }
        }
        let at = { (key: String) in positions[key] ?? node }
        if stages.preCollection > 0 {
            reader.error(at: at("pre_collection"), "stages.pre_collection (D\(signed(stages.preCollection))) must be on or before the due date (D0 or earlier)")
        }
        if stages.penalty < 1 {
            reader.error(at: at("penalty"), "stages.penalty (D\(signed(stages.penalty))) must be after the due date (D+1 or later)")
        }
        if stages.creditNotice < stages.preCollection {
            reader.error(at: at("credit_notice"), "stages out of order: credit_notice (D\(signed(stages.creditNotice))) comes before pre_collection (D\(signed(stages.preCollection)))")
        }
        if stages.creditNotice + stages.creditNoticeLeadDays > stages.creditReport {
            reader.error(at: at("credit_report"), "stages out of order: credit_report (D\(signed(stages.creditReport))) must be at least \(stages.creditNoticeLeadDays) day(s) after credit_notice (D\(signed(stages.creditNotice)))")
        }
        if stages.creditReport < 1 {
            reader.error(at: at("credit_report"), "stages.credit_report must be after the due date (D+1 or later)")
        }
        // M1 is at least 28 days; litigation must not overtake credit reporting.
        if stages.litigationMonths * 28 <= stages.creditReport {
            reader.error(at: at("litigation"), "stages out of order: litigation (M\(stages.litigationMonths)) comes before credit_report (D\(signed(stages.creditReport)))")
        }
        return stages
    }

    private mutating func penaltyRule(_ node: Node?) -> PenaltyRule? {
        var rule = PenaltyRule(dailyRate: StrategyDefaults.dailyPenaltyRate, capRatio: nil, rounding: StrategyDefaults.penaltyRounding)
        guard let node else { return rule }
        guard let entries = reader.mapping(node, in: "penalty", allowed: ["daily_rate", "cap_ratio", "rounding"]) else { return nil }
        for (key, _, value) in entries {
            switch key {
            case "daily_rate":
                if let r = rate(value, "penalty.daily_rate") {
                    if r.nanos > Rate.scale / 100 {
                        reader.error(at: value, "penalty.daily_rate \(r) is above 1% a day; write 0.0005 for 0.05% a day")
                    }
                    rule.dailyRate = r
                }
            case "cap_ratio": rule.capRatio = rate(value, "penalty.cap_ratio")
            case "rounding":
                let text = value.scalar?.string ?? ""
                if let r = RoundingRule(rawValue: text) { rule.rounding = r } else {
                    reader.error(at: value, "penalty.rounding must be one of \(RoundingRule.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            default: break
            }
        }
        return rule
    }

    private mutating func bucketScheme(_ node: Node, stages: StageSchedule) -> BucketScheme {
        guard let items = reader.sequence(node, "buckets") else { return BucketScheme(StrategyDefaults.buckets) }
        var buckets: [(Bucket, Node)] = []
        for item in items {
            guard let entries = reader.mapping(item, in: "a bucket", allowed: ["name", "from", "to"]) else { continue }
            let fields = Self.values(entries)
            let name = required("name", fields, item).flatMap { reader.string($0, "bucket name") }
            let from = required("from", fields, item).flatMap { reader.int($0, "bucket from", in: -366...36600) }
            let to = fields["to"].flatMap { reader.int($0, "bucket to", in: -366...36600) }
            guard let name, let from else { continue }
            if name.contains("->") || name.contains(",") {
                reader.error(at: item, "bucket name '\(name)' may not contain '->' or ','")
            }
            if name == BucketScheme.current {
                reader.error(at: item, "bucket name '\(BucketScheme.current)' is reserved for cases below the first bucket")
            }
            if let to, to < from { reader.error(at: fields["to"], "bucket \(name): 'to' (\(to)) is below 'from' (\(from))") }
            buckets.append((Bucket(name: name, minDPD: from, maxDPD: to), item))
        }
        guard !buckets.isEmpty else {
            reader.error(at: node, "buckets must list at least one bucket")
            return BucketScheme(StrategyDefaults.buckets)
        }
        var seen: Set<String> = []
        for (bucket, item) in buckets where !seen.insert(bucket.name).inserted {
            reader.error(at: item, "bucket name '\(bucket.name)' is used twice")
        }
        if let first = buckets.first, first.0.minDPD > 1 {
            reader.error(at: first.1, "the first bucket must start at DPD 1 or earlier (it starts at \(first.0.minDPD)), or overdue cases would have no bucket")
        }
        for (i, (bucket, item)) in buckets.enumerated() {
            if i + 1 < buckets.count {
                let next = buckets[i + 1].0
                guard let to = bucket.maxDPD else {
                    reader.error(at: item, "bucket \(bucket.name) has no 'to' but is not the last bucket")
                    continue
                }
                if next.minDPD > to + 1 {
                    reader.error(at: buckets[i + 1].1, "gap between buckets: \(bucket.name) ends at \(to) but \(next.name) starts at \(next.minDPD)")
                } else if next.minDPD <= to {
                    reader.error(at: buckets[i + 1].1, "overlapping buckets: \(next.name) starts at \(next.minDPD) but \(bucket.name) runs to \(to)")
                }
            } else if bucket.maxDPD != nil {
                reader.error(at: item, "the last bucket (\(bucket.name)) must have no 'to', so that every DPD has a bucket")
            }
        }
        return BucketScheme(buckets.map(\.0))
    }

    private mutating func segmentRules(_ node: Node, buckets: BucketScheme, treatments: [String: Treatment]) -> [SegmentRule] {
        guard let items = reader.sequence(node, "segments") else { return [] }
        var rules: [SegmentRule] = []
        var names: Set<String> = []
        var catchAll: Node?
        let allowed = ["name", "buckets", "score", "amount", "products", "treatment", "window", "experiment"]
        var experiments: [String: Node] = [:]
        let knownBuckets = [BucketScheme.current] + buckets.buckets.map(\.name)
        for item in items {
            guard let entries = reader.mapping(item, in: "a segment", allowed: allowed) else { continue }
            let fields = Self.values(entries)
            guard let name = required("name", fields, item).flatMap({ reader.string($0, "segment name") }) else { continue }
            if !names.insert(name).inserted { reader.error(at: item, "segment name '\(name)' is used twice") }
            if let earlier = catchAll {
                reader.error(at: item, "segment '\(name)' can never match: the catch-all at line \(earlier.mark?.line ?? 0) takes every case first")
            }
            var rule = SegmentRule(name: name)
            // A rule that states any condition is not a catch-all, even while a condition is invalid.
            let hasConditions = fields.keys.contains { !["name", "treatment", "window", "experiment"].contains($0) }
            if let node = fields["treatment"], let treatment = reader.string(node, "segment treatment") {
                if treatments[treatment] == nil {
                    reader.error(at: node, "segment '\(name)': unknown treatment '\(treatment)'\(known(treatments.keys))")
                }
                rule.treatment = treatment
            }
            if let node = fields["window"] { rule.window = window(node, "segment '\(name)' window") }
            if let node = fields["experiment"] {
                if fields["treatment"] != nil {
                    reader.error(at: node, "segment '\(name)': an experiment names each variant's treatment; remove the segment's treatment")
                }
                rule.experiment = experiment(node, segment: name, treatments: treatments)
                if let e = rule.experiment {
                    if let earlier = experiments[e.name] {
                        reader.error(at: node, "experiment name '\(e.name)' is used twice (first at line \(earlier.mark?.line ?? 0)): each experiment splits customers on its own")
                    }
                    experiments[e.name] = experiments[e.name] ?? node
                }
            }
            for key in ["buckets", "products"] {
                if let node = fields[key], case .sequence(let list) = node, list.isEmpty {
                    reader.error(at: node, "segment '\(name)': an empty \(key) list matches nothing; remove the key to match every \(key == "buckets" ? "bucket" : "product")")
                }
            }
            if let node = fields["buckets"] { rule.buckets = bucketList(node, "segment '\(name)'", known: knownBuckets) }
            if let node = fields["products"] { rule.products = productList(node, "segment '\(name)'") }
            if let node = fields["score"] { rule.score = scoreCondition(node, segment: name) }
            if let node = fields["amount"] {
                if case .mapping(let m) = node, m.isEmpty {
                    reader.error(at: node, "segment '\(name)': amount needs min, max or both")
                }
                if let entries = reader.mapping(node, in: "segment amount", allowed: ["min", "max"]) {
                    for (key, _, value) in entries {
                        if key == "min" { rule.minAmount = money(value, "segment amount min") }
                        if key == "max" { rule.maxAmount = money(value, "segment amount max") }
                    }
                    if let lo = rule.minAmount, let hi = rule.maxAmount, lo > hi {
                        reader.error(at: node, "segment '\(name)': amount min \(lo) is above max \(hi)")
                    }
                }
            }
            if !hasConditions, catchAll == nil { catchAll = item }
            rules.append(rule)
        }
        if catchAll == nil {
            reader.error(at: node, "segments have no catch-all: add a last segment with only a name, so that every case gets a segment")
        }
        return rules
    }

    /// A `buckets` condition: a word or list of known bucket names (`owner` names the segment or group).
    mutating func bucketList(_ node: Node, _ owner: String, known: [String]) -> [String]? {
        guard let list = reader.words(node, "\(owner) buckets") else { return nil }
        for bucket in list where !known.contains(bucket) {
            reader.error(at: node, "\(owner): unknown bucket '\(bucket)' (known: \(known.joined(separator: ", ")))")
        }
        return list
    }

    /// A `products` condition: a word or list of valid product codes.
    mutating func productList(_ node: Node, _ owner: String) -> [String]? {
        guard let list = reader.words(node, "\(owner) products") else { return nil }
        for product in list where !ProductCode.isValid(product) {
            reader.error(at: node, "\(owner): product code '\(product)' may use only letters, digits, '_', '-' and '.'")
        }
        return list
    }

    private mutating func scoreCondition(_ node: Node, segment: String) -> SegmentRule.ScoreCondition? {
        if node.scalar?.string == "unscored" { return .unscored }
        guard let entries = reader.mapping(node, in: "segment score (or the word unscored)", allowed: ["min", "max"]) else { return nil }
        var lo = 0, hi = 1000
        for (key, _, value) in entries {
            guard let v = reader.int(value, "score \(key)", in: 0...1000) else { continue }
            if key == "min" { lo = v } else { hi = v }
        }
        if lo > hi {
            reader.error(at: node, "segment '\(segment)': score min \(lo) is above max \(hi)")
            return nil
        }
        return .range(min: lo, max: hi)
    }

    func signed(_ day: Int) -> String { day < 0 ? "\(day)" : "+\(day)" }
}
