import DunningCore

/// Every default a strategy file may leave out, in one place (docs/strategy.md lists the same values).
public enum StrategyDefaults {
    public static let stages = StageSchedule()
    public static let dailyPenaltyRate = Rate(decimal: "0.0005")!
    public static let penaltyRounding = RoundingRule.halfUp
    public static let paidTolerance = Money.zero
    /// The seeds' convention: M0 = 1-30 DPD, M1 = 31-60, M2 = 61-90, M3+ = 91 and over.
    public static let buckets = [
        Bucket(name: "M0", minDPD: 1, maxDPD: 30),
        Bucket(name: "M1", minDPD: 31, maxDPD: 60),
        Bucket(name: "M2", minDPD: 61, maxDPD: 90),
        Bucket(name: "M3+", minDPD: 91, maxDPD: nil),
    ]
    /// Largest strategy file accepted; real strategies are a few kilobytes.
    public static let maxFileBytes = 1 << 20
}
