import DunningCore
import DunningIO
import DunningStore

extension NightlyRun {
    /// The audit trail tonight adds: the strategy version, and the cases whose decision inputs
    /// (stage, bucket, earliest unpaid due date, amount, score, segment, variant) changed since
    /// the last run before tonight.
    func audit(strategy: Strategy, asOf: Day, store: StateStore, inputs: Inputs, decision: NightDecision) throws -> AuditRecord {
        let prior = try store.decisions(before: asOf)
        var changed: [(Int, DecisionRecord)] = []
        for (i, c) in decision.cases.enumerated() {
            let record = DecisionRecord(c, asOf: asOf, score: inputs.customers[c.key.customerID]?.score)
            if prior[c.caseID] != record { changed.append((i, record)) }
        }
        return AuditRecord(strategyName: strategy.name, strategyHash: strategy.contentHash,
                           source: strategy.source ?? StrategySource(yaml: []), decisions: changed)
    }
}
