import DunningCore

/// What a committed run records about itself.
public struct RunRecord: Sendable {
    public var runDate: Day
    public var strategyName: String
    public var strategyHash: String
    public var engineVersion: String
    public var committedAt: String
    public var openCases: Int
    public var actions: Int
    public var rejectedRows: Int
    public var summaryJSON: String
    /// Open cases missing from the extract that the operator accepted tonight (`--accept-missing`).
    public var acceptedMissing: Int?
    /// Missed nights the operator accepted tonight (`--accept-missed-nights`).
    public var acceptedMissedNights: Int?
    /// SHA-256 of the extract's `manifest.json`, when the night checked one.
    public var manifestSHA256: String?

    public init(runDate: Day, strategyName: String, strategyHash: String, engineVersion: String, committedAt: String,
                openCases: Int, actions: Int, rejectedRows: Int, summaryJSON: String) {
        self.runDate = runDate
        self.strategyName = strategyName
        self.strategyHash = strategyHash
        self.engineVersion = engineVersion
        self.committedAt = committedAt
        self.openCases = openCases
        self.actions = actions
        self.rejectedRows = rejectedRows
        self.summaryJSON = summaryJSON
    }
}

/// Tonight's allocation as the store records it.
public struct AllocationRecord: Sendable {
    /// One per case of the commit, in the same order.
    public var assignments: [Assignment]
    /// Positions (in `assignments`) whose group or member changed: the only ones logged.
    public var changed: [Int]
    public var loads: [MemberLoad]

    public init(assignments: [Assignment], changed: [Int], loads: [MemberLoad]) {
        self.assignments = assignments
        self.changed = changed
        self.loads = loads
    }
}
