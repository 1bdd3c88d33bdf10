import DunningCore
import DunningIO
import DunningStore
import Foundation

extension NightlyRun {
    /// Days of attempt events read back, and the most of earlier plans any strategy reads
    /// (`ContactPolicy.historyDays`): caps look 7 days back, a notice at most 30 days, a deferred
    /// step at most 14 days plus at most 31 missed nights of catch-up.
    static let contactLookbackDays = 46

    /// Every recorded event that matters tonight plus tonight's, per customer, without duplicates.
    func contactEvents(asOf: Day, store: StateStore, inputs: Inputs) throws -> [String: [Event]] {
        let since = asOf - Self.contactLookbackDays
        var events: [String: [Event]] = [:]
        var seen: Set<String> = []
        let stored = try store.events(before: asOf, attemptsSince: Int64(since.number) * 86_400)
        // One event per instant, however its time was written (`10:00:00+08:00` is `02:00:00Z`).
        for e in stored + inputs.events where seen.insert("\(e.customerID)|\(e.epochSeconds)|\(e.kind.rawValue)|\(e.value)").inserted {
            events[e.customerID, default: []].append(e)
        }
        return events
    }

    func planContacts(strategy: Strategy, asOf: Day, state: StoreState, store: StateStore, inputs: Inputs,
                      decision: NightDecision, events: [String: [Event]], allocation: NightAllocation?) throws -> ContactPlan {
        let previousRun = state.previousRun, prior = state.prior
        let missed = previousRun.map { asOf - $0 - 1 } ?? 0
        let since = asOf - strategy.contact.historyDays(missedNights: missed)
        var priorContacts: [String: [PriorContact]] = [:]
        for c in try store.priorContacts(since: since, before: asOf) {
            priorContacts[c.customerID, default: []].append(c)
        }
        var zoneNames: Set<String> = [strategy.defaultCustomerTimeZone, strategy.businessTimeZone]
        for customer in inputs.customers.values {
            for zone in ContactPlanner.zones(of: customer, default: strategy.defaultCustomerTimeZone) { zoneNames.insert(zone) }
        }
        var planner = ContactPlanner(strategy: strategy, asOf: asOf, previousRun: previousRun,
                                     clock: FoundationZoneClock(names: zoneNames, around: asOf))
        planner.workers = options.workers
        planner.adoptedBefore = state.adoptedBefore
        // Nothing is planned for a minute already gone when the run started (a simulation,
        // without a clock, plans the night as if it were still ahead).
        planner.notBefore = options.now.map { Int64(($0.timeIntervalSince1970 / 60).rounded(.up)) }
        var callsPerDay: [String: Int] = [:]
        for agent in inputs.agents { if let limit = agent.callsPerDay { callsPerDay[agent.id] = limit } }
        var input = ContactPlanner.NightInput(cases: decision.cases, actions: decision.actions, prior: prior,
                                              customers: inputs.customers, events: events, priorContacts: priorContacts,
                                              assignments: allocation?.outcome.assignments ?? [], agentCallsPerDay: callsPerDay,
                                              unreadEvents: inputs.customersWithUnreadEvents)
        if let previousRun { input.previousDeferrals = try store.deferrals(heldOn: previousRun) }
        return planner.plan(input)
    }
}
