import DunningCore
import DunningIO
import DunningStore

/// Tonight's allocation, with what the store must log.
struct NightAllocation {
    var outcome: CaseAllocator.Outcome
    /// Cases (positions in the night's cases) whose group or member changed.
    var changed: [Int]

    var record: AllocationRecord {
        AllocationRecord(assignments: outcome.assignments, changed: changed, loads: outcome.loads)
    }

    /// Fills each member's planned agent calls from the contact plan.
    mutating func countPlannedCalls(_ contacts: [PlannedContact]) {
        var calls: [String: Int] = [:]
        for c in contacts where c.channel == .call && !c.agentID.isEmpty { calls[c.agentID, default: 0] += 1 }
        for i in outcome.loads.indices where !outcome.loads[i].agentID.isEmpty {
            outcome.loads[i].plannedCalls = calls[outcome.loads[i].agentID] ?? 0
        }
    }
}

extension NightlyRun {
    /// Allocates tonight's open cases, continuing from the assignments the store recorded.
    /// Nil when the strategy allocates nothing.
    func allocate(strategy: Strategy, asOf: Day, store: StateStore?, inputs: Inputs, decision: NightDecision,
                  events: [String: [Event]]) throws(RunError) -> NightAllocation? {
        guard let policy = strategy.allocation else { return nil }
        let prior: [String: PriorAssignment]
        do { prior = try store?.assignments(before: asOf) ?? [:] } catch {
            throw .io("cannot read the assignments from the state store \(options.storePath): \(error)")
        }
        var stopped: Set<String> = []
        for (customer, list) in events where Event.stopCollectionInForce(list) { stopped.insert(customer) }
        let input = CaseAllocator.Input(cases: decision.cases, agents: inputs.agents, prior: prior, stoppedCustomers: stopped,
                                        currency: strategy.currency)
        switch CaseAllocator(policy: policy).allocate(input) {
        case .failure(let failure):
            throw .config(failure.diagnostics)
        case .success(let outcome):
            let changed = decision.cases.indices.filter { outcome.assignments[$0].changes(prior[decision.cases[$0].caseID]) }
            logger.info("allocated", metadata: ["groups": "\(outcome.groups.count)", "changed": "\(changed.count)"])
            return NightAllocation(outcome: outcome, changed: changed)
        }
    }
}
