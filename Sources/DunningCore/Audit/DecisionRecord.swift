/// What decided a case's stage, bucket, segment and variant on a night: the audit trail that
/// `dunning explain` reads. The store logs a record only when one of its values changes, so the
/// record in force on a night is the latest one on or before it.
public struct DecisionRecord: Sendable, Equatable {
    public var stage: Stage
    public var bucket: String
    /// Due date of the earliest unpaid instalment: DPD on a night is the night minus this.
    public var dueOn: Day
    public var amountOverdue: Money
    /// The collection score the customer had (nil: unscored).
    public var score: Int?
    public var segment: String
    public var variant: String

    public init(stage: Stage, bucket: String, dueOn: Day, amountOverdue: Money, score: Int?, segment: String, variant: String) {
        self.stage = stage
        self.bucket = bucket
        self.dueOn = dueOn
        self.amountOverdue = amountOverdue
        self.score = score
        self.segment = segment
        self.variant = variant
    }

    public init(_ state: CaseState, asOf: Day, score: Int?) {
        self.init(stage: state.stage, bucket: state.bucket, dueOn: asOf - state.dpd, amountOverdue: state.amountOverdue,
                  score: score, segment: state.segment, variant: state.variant)
    }
}
