/// A validated collection strategy: the analysts' YAML file after every check has passed.
///
/// Only `DunningStrategy` builds these from files; the core trusts the invariants documented on
/// each field (buckets contiguous, stage days ordered, a catch-all segment last).
public struct Strategy: Sendable {
    public var name: String
    /// Lowercase hex SHA-256 of the strategy file's bytes: which version decided.
    public var contentHash: String
    /// IANA zone whose calendar defines "today" and every DPD.
    public var businessTimeZone: String
    /// IANA zone assumed for a customer whose `timezone` is empty.
    public var defaultCustomerTimeZone: String
    /// ISO 4217 code assumed for a ledger row without `currency`.
    public var currency: String
    public var stages: StageSchedule
    public var penalty: PenaltyRule
    /// A ledger row with `amount_paid - amount_due` above this is a data error (overpayment noise
    /// below it is accepted and treated as paid).
    public var paidTolerance: Money
    public var buckets: BucketScheme
    public var segments: [SegmentRule]
    /// Treatments, notices, windows, caps and capacity: how and when customers are contacted.
    public var contact: ContactPolicy
    /// Collector groups and how cases are split between their members; nil = no allocation
    /// (cases carry no group and agent calls no agent).
    public var allocation: AllocationPolicy?
    /// What a night refuses without an explicit yes (manifest, missing cases, missed nights).
    public var safety = SafetyPolicy()
    /// The bytes it was read from, kept in the state store so that a past night can be explained
    /// with the exact strategy that decided it.
    public var source: StrategySource?

    public init(name: String, contentHash: String, businessTimeZone: String, defaultCustomerTimeZone: String,
                currency: String, stages: StageSchedule, penalty: PenaltyRule, paidTolerance: Money,
                buckets: BucketScheme, segments: [SegmentRule], contact: ContactPolicy = ContactPolicy(),
                allocation: AllocationPolicy? = nil) {
        self.name = name
        self.contentHash = contentHash
        self.businessTimeZone = businessTimeZone
        self.defaultCustomerTimeZone = defaultCustomerTimeZone
        self.currency = currency
        self.stages = stages
        self.penalty = penalty
        self.paidTolerance = paidTolerance
        self.buckets = buckets
        self.segments = segments
        self.contact = contact
        self.allocation = allocation
    }
}

/// A strategy file's bytes and the files it read (the holiday calendar), by the name it gives them.
public struct StrategySource: Sendable, Equatable {
    public var yaml: [UInt8]
    public var files: [String: [UInt8]]

    public init(yaml: [UInt8], files: [String: [UInt8]] = [:]) {
        self.yaml = yaml
        self.files = files
    }
}

/// When each stage starts, in days past due (negative before the due date) or months.
public struct StageSchedule: Sendable, Equatable {
    /// Case opens (pre-collection reminder) at this DPD; at most 0.
    public var preCollection: Int = -2
    /// Penalty interest accrues from this DPD on; at least 1.
    public var penalty: Int = 2
    /// The borrower is told about credit reporting at this DPD.
    public var creditNotice: Int = 5
    /// Negative information is reported at this DPD, if the notice went out early enough.
    public var creditReport: Int = 8
    /// Whole days that must separate the notice actually issued from the report.
    public var creditNoticeLeadDays: Int = 1
    /// Referral to litigation this many calendar months after the due date (clamped to month end).
    public var litigationMonths: Int = 12

    public init() {}
}

/// Penalty interest: a daily rate on each overdue instalment's outstanding amount, capped.
public struct PenaltyRule: Sendable, Equatable {
    public var dailyRate: Rate
    /// The penalty of a loan never exceeds this fraction of the loan's overdue amount; nil = no cap.
    public var capRatio: Rate?
    public var rounding: RoundingRule

    public init(dailyRate: Rate, capRatio: Rate?, rounding: RoundingRule) {
        self.dailyRate = dailyRate
        self.capRatio = capRatio
        self.rounding = rounding
    }
}

/// One delinquency bucket: DPD from `minDPD` through `maxDPD` (nil = no upper bound).
public struct Bucket: Sendable, Equatable {
    public var name: String
    public var minDPD: Int
    public var maxDPD: Int?

    public init(name: String, minDPD: Int, maxDPD: Int?) {
        self.name = name
        self.minDPD = minDPD
        self.maxDPD = maxDPD
    }
}

/// Contiguous buckets, ascending, the last one open-ended. DPD below the first bucket is
/// `BucketScheme.current`.
public struct BucketScheme: Sendable, Equatable {
    /// The bucket name of a case not yet in any configured bucket (pre-collection days).
    public static let current = "current"
    public let buckets: [Bucket]

    public init(_ buckets: [Bucket]) { self.buckets = buckets }

    /// Position in the ladder: -1 for `current`, else the index of the bucket.
    public func index(forDPD dpd: Int) -> Int {
        var result = -1
        for (i, bucket) in buckets.enumerated() where dpd >= bucket.minDPD { result = i }
        return result
    }

    public func name(atIndex index: Int) -> String { index < 0 ? BucketScheme.current : buckets[index].name }

    public func index(ofName name: String) -> Int? {
        name == BucketScheme.current ? -1 : buckets.firstIndex { $0.name == name }
    }

    public func name(forDPD dpd: Int) -> String { name(atIndex: index(forDPD: dpd)) }
}

/// One segmentation rule; every condition that is present must hold. A rule with none is a catch-all.
public struct SegmentRule: Sendable, Equatable {
    public enum ScoreCondition: Sendable, Equatable {
        /// Customers without a score.
        case unscored
        /// Scored customers with `min <= score <= max`.
        case range(min: Int, max: Int)
    }

    public var name: String
    public var buckets: [String]?
    public var score: ScoreCondition?
    /// Bounds on the case's overdue amount, inclusive.
    public var minAmount: Money?
    public var maxAmount: Money?
    public var products: [String]?
    /// The treatment its cases follow; nil = stage notices only.
    public var treatment: String?
    /// Narrows the contact window for its cases.
    public var window: TimeBand?
    /// A champion/challenger split: its customers follow their variant's treatment instead.
    public var experiment: Experiment?

    public init(name: String, buckets: [String]? = nil, score: ScoreCondition? = nil,
                minAmount: Money? = nil, maxAmount: Money? = nil, products: [String]? = nil,
                treatment: String? = nil, window: TimeBand? = nil, experiment: Experiment? = nil) {
        self.name = name
        self.buckets = buckets
        self.score = score
        self.minAmount = minAmount
        self.maxAmount = maxAmount
        self.products = products
        self.treatment = treatment
        self.window = window
        self.experiment = experiment
    }

    /// The variant a customer of this segment is in tonight (nil without an experiment).
    public func variant(customerID: String) -> Experiment.Variant? {
        experiment.map { $0.variants[$0.variantIndex(customerID: customerID)] }
    }

    public var isCatchAll: Bool {
        buckets == nil && score == nil && minAmount == nil && maxAmount == nil && products == nil
    }

    public func matches(bucket: String, score customerScore: Int?, amountOverdue: Money, product: String) -> Bool {
        if let buckets, !buckets.contains(bucket) { return false }
        if let products, !products.contains(product) { return false }
        if let minAmount, amountOverdue < minAmount { return false }
        if let maxAmount, amountOverdue > maxAmount { return false }
        switch score {
        case nil: break
        case .unscored?: if customerScore != nil { return false }
        case let .range(lo, hi)?:
            guard let s = customerScore, s >= lo, s <= hi else { return false }
        }
        return true
    }
}

extension Strategy {
    /// The first segment whose rule matches; validation guarantees a catch-all, so never nil in practice.
    public func segment(bucket: String, score: Int?, amountOverdue: Money, product: String) -> String {
        segmentRule(bucket: bucket, score: score, amountOverdue: amountOverdue, product: product)?.name ?? "unsegmented"
    }

    public func segmentRule(bucket: String, score: Int?, amountOverdue: Money, product: String) -> SegmentRule? {
        segments.first { $0.matches(bucket: bucket, score: score, amountOverdue: amountOverdue, product: product) }
    }
}
