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
        for e in stored + inputs.events where seen.insert("\(e.customerID)|\(e.at)|\(e.kind.rawValue)|\(e.value)").inserted {
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
        var callsPerDay: [String: Int] = [:]
        for agent in inputs.agents { if let limit = agent.callsPerDay { callsPerDay[agent.id] = limit } }
        return planner.plan(.init(cases: decision.cases, actions: decision.actions, prior: prior,
                                  customers: inputs.customers, events: events, priorContacts: priorContacts,
                                  assignments: allocation?.outcome.assignments ?? [], agentCallsPerDay: callsPerDay,
                                  unreadEvents: inputs.customersWithUnreadEvents))
    }
}
