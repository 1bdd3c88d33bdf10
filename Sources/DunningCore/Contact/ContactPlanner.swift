/// The nightly contact plan: open cases, history and events in; contacts and deferrals out.
///
/// Compliant by construction: every candidate passes, in this order, suppression, holidays,
/// promises to pay, the emergency-contact rules, the contact window in every candidate zone and
/// the frequency caps before it is planned; then channel capacity, then a time slot. Whatever
/// fails is recorded with the rule that held it back.
public struct ContactPlanner: Sendable {
    public let strategy: Strategy
    public let asOf: Day
    /// The last committed night before this one, to report occurrences lost in missed nights.
    public let previousRun: Day?
    public let clock: any ZoneClock
    /// Threads that plan customers side by side; the plan is the same for any number.
    public var workers = 1
    /// The store's adoption date (`dunning init --adopt-before`): milestones that took effect
    /// before it were the previous system's, which sent their notices. Nil for a new book.
    public var adoptedBefore: Day?
    /// The first UTC minute (since 1970) a contact may be planned for: when the run started. A
    /// night run late (a missed night run the next day) plans nothing for minutes already gone;
    /// what it owed waits for the first night that can still send it. Nil: no such bound (a
    /// simulation, `--allow-any-date`, uses the night itself).
    public var notBefore: Int64?
    /// Segment rules by name (cases carry the name; their treatment and window live on the rule).
    private let segmentRules: [String: SegmentRule]
    /// Treatments that allocation groups put in place of their cases' segment treatment.
    private let groupTreatments: [String: String]

    public init(strategy: Strategy, asOf: Day, previousRun: Day?, clock: any ZoneClock) {
        self.strategy = strategy
        self.asOf = asOf
        self.previousRun = previousRun
        self.clock = clock
        segmentRules = Dictionary(strategy.segments.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var overrides: [String: String] = [:]
        for g in strategy.allocation?.groups ?? [] { if let t = g.treatment { overrides[g.name] = t } }
        groupTreatments = overrides
    }

    /// Everything the plan needs about one night.
    public struct NightInput: Sendable {
        public var cases: [CaseState]
        /// Milestones acted on tonight.
        public var actions: [Action]
        /// Recorded history per case (earlier nights).
        public var prior: [CaseKey: CaseHistory]
        public var customers: [String: Customer]
        /// Events per customer: every recorded one that matters plus tonight's.
        public var events: [String: [Event]]
        /// What earlier nights planned, per customer (at least the last 7 days).
        public var priorContacts: [String: [PriorContact]]
        /// Tonight's assignment of each case (same order as `cases`); empty when the strategy
        /// allocates nothing. Agent calls go to the case's member; without one they are held.
        public var assignments: [Assignment]
        /// Agent calls each member can make tonight, for members with a limit.
        public var agentCallsPerDay: [String: Int]
        /// Customers with an event row rejected tonight: what it said is unknown (a stop request,
        /// a death?), so everything is held for them tonight, required notices included.
        public var unreadEvents: Set<String>
        /// The rows the last night held back `deferred`: those tonight does not carry on get a
        /// closing row (`DeferralClosing`).
        public var previousDeferrals: [Deferral] = []

        public init(cases: [CaseState], actions: [Action], prior: [CaseKey: CaseHistory], customers: [String: Customer],
                    events: [String: [Event]], priorContacts: [String: [PriorContact]], assignments: [Assignment] = [],
                    agentCallsPerDay: [String: Int] = [:], unreadEvents: Set<String> = []) {
            self.unreadEvents = unreadEvents
            self.cases = cases
            self.actions = actions
            self.prior = prior
            self.customers = customers
            self.events = events
            self.priorContacts = priorContacts
            self.assignments = assignments
            self.agentCallsPerDay = agentCallsPerDay
        }
    }

    /// A step occurrence that wants to go out tonight.
    ///
    /// A class: a night has millions of candidates, sorted and passed from stage to stage, and a
    /// reference moves with one retain where this many fields would take a dozen. Each candidate
    /// belongs to one customer's planning, then to `schedule`, never to two at once.
    final class Candidate {
        /// The case, shared by all its candidates (a copy of the state in each took 150 bytes).
        let planCase: PlanCase
        var state: CaseState { planCase.state }
        /// The member that works the case; empty when it has none.
        let agentID: String
        let channel: Channel
        let target: ContactTarget
        let template: String
        let band: TimeBand?
        let priority: Int
        let required: Bool
        let stepKey: String
        let reason: String
        let occurrence: Day
        let lastValidDay: Day
        let isTreatment: Bool
        /// Position of the customer in tonight's sorted order: outputs are grouped by it.
        var customerOrder = 0
        var hash: UInt64 = 0
        var window = WindowCache.Window(allowed: .empty, preferred: nil)
        var zones: [String] = []

        init(case planCase: PlanCase, agentID: String, channel: Channel, target: ContactTarget, template: String, band: TimeBand?,
             priority: Int, required: Bool, stepKey: String, reason: String, occurrence: Day, lastValidDay: Day,
             isTreatment: Bool) {
            self.planCase = planCase
            self.agentID = agentID
            self.channel = channel
            self.target = target
            self.template = template
            self.band = band
            self.priority = priority
            self.required = required
            self.stepKey = stepKey
            self.reason = reason
            self.occurrence = occurrence
            self.lastValidDay = lastValidDay
            self.isTreatment = isTreatment
        }
    }

    public func plan(_ input: NightInput) -> ContactPlan {
        // Rows are kept per customer (in customer order) so that the final order needs only
        // small sorts within each customer. Each stage's scaffolding is let go as soon as the
        // next has what it needs: at a million customers the candidates, the actions by case
        // and the per-customer rows each take hundreds of megabytes.
        var plan = Buckets()
        do {
            let admitted = planCustomers(input, into: &plan)
            schedule(admitted, agentCallsPerDay: input.agentCallsPerDay, plan: &plan)
        } // the candidates are freed here, before the sorts
        // Each customer's rows in their final order, sorted in place, customers side by side.
        Self.sortEach(&plan.contacts, workers: workers) {
            ($0.caseID, $0.utcMinute, $0.channel.rawValue, $0.reason) < ($1.caseID, $1.utcMinute, $1.channel.rawValue, $1.reason)
        }
        Self.sortEach(&plan.deferrals, workers: workers) {
            ($0.caseID, $0.occurrence, $0.stepKey, $0.channel.rawValue) < ($1.caseID, $1.occurrence, $1.stepKey, $1.channel.rawValue)
        }
        // Moved out customer by customer, each customer's array freed as it goes.
        var result = ContactPlan()
        result.contacts.reserveCapacity(plan.contacts.reduce(0) { $0 + $1.count })
        result.deferrals.reserveCapacity(plan.deferrals.reduce(0) { $0 + $1.count })
        for i in plan.contacts.indices {
            result.contacts += plan.contacts[i]
            plan.contacts[i] = []
            result.deferrals += plan.deferrals[i]
            plan.deferrals[i] = []
        }
        // Global: a held occurrence of last night that no customer's plan carried on ends here.
        if !input.previousDeferrals.isEmpty {
            var open: Set<String>?
            let closing = DeferralClosing.rows(previous: input.previousDeferrals, tonight: result, isOpen: { id in
                if open == nil { open = Set(input.cases.map(\.caseID)) }
                return open!.contains(id)
            }, asOf: asOf)
            result.deferrals = DeferralClosing.merged(result.deferrals, closing)
        }
        return result
    }

    /// Plans every customer on its own (on `workers` threads): what the rules held back goes into
    /// `plan`, and the candidates admitted so far, which only capacity can still hold, come back.
    private func planCustomers(_ input: NightInput, into plan: inout Buckets) -> [Candidate] {
        let actionsByCase = NoticeActions(input.actions)
        // One switch: assignments given means the night was allocated (NightlyRun passes them
        // exactly when the strategy has an allocation section).
        let allocated = !input.assignments.isEmpty
        precondition(!allocated || input.assignments.count == input.cases.count, "one assignment per case")
        // The night's cases come sorted by key (NightPlanner); sort only when a caller's are not.
        let sorted = zip(input.cases, input.cases.dropFirst()).allSatisfy { !($1.key < $0.key) }
        let positions = sorted ? Array(input.cases.indices) : input.cases.indices.sorted { input.cases[$0].key < input.cases[$1].key }
        let cases = positions.map { i in PlanCase(state: input.cases[i], assignment: allocated ? input.assignments[i] : nil) }
        var customerStarts: [Int] = []
        var start = 0
        while start < cases.count {
            customerStarts.append(start)
            var end = start + 1
            while end < cases.count, cases[end].state.key.customerID == cases[start].state.key.customerID { end += 1 }
            start = end
        }
        customerStarts.append(cases.count)
        // Customers are planned independently; only capacity (`schedule`) looks across them.
        var parts = Parallel.map(count: customerStarts.count - 1, workers: workers, minimumPerPart: 2048) { range in
            var part = (plan: Buckets(), windows: WindowCache(notBefore: notBefore), admitted: [Candidate]())
            for g in range {
                part.plan.startCustomer()
                planCustomer(Array(cases[customerStarts[g]..<customerStarts[g + 1]]), input: input, actions: actionsByCase,
                             windows: &part.windows, admitted: &part.admitted, plan: &part.plan)
            }
            return part
        }
        var admitted: [Candidate] = []
        for k in parts.indices {
            let offset = plan.contacts.count
            plan.contacts += parts[k].plan.contacts
            plan.deferrals += parts[k].plan.deferrals
            for candidate in parts[k].admitted { candidate.customerOrder += offset }
            admitted += parts[k].admitted
            parts[k] = (Buckets(), WindowCache(notBefore: notBefore), [])
        }
        return admitted
    }

    /// Sorts every inner array in place, the outer array split over `workers` threads.
    private static func sortEach<T>(_ rows: inout [[T]], workers: Int, by less: (T, T) -> Bool) {
        rows.withUnsafeMutableBufferPointer { buffer in
            // Each part sorts only its own inner arrays.
            nonisolated(unsafe) let rows = buffer
            _ = Parallel.map(count: rows.count, workers: workers, minimumPerPart: 4096) { range in
                for i in range { rows[i].sort(by: less) }
            }
        }
    }

    /// A case with tonight's assignment (nil when the strategy allocates nothing).
    /// A reference: every candidate of the case points at it.
    final class PlanCase {
        let state: CaseState
        let assignment: Assignment?
        init(state: CaseState, assignment: Assignment?) {
            self.state = state
            self.assignment = assignment
        }
    }

    /// Tonight's rows per customer, in customer order.
    struct Buckets {
        var contacts: [[PlannedContact]] = []
        var deferrals: [[Deferral]] = []
        var current: Int { contacts.count - 1 }
        mutating func startCustomer() {
            contacts.append([])
            deferrals.append([])
        }
        mutating func hold(_ deferral: Deferral, customer: Int) { deferrals[customer].append(deferral) }
    }

    // MARK: One customer

    private func planCustomer(_ cases: [PlanCase], input: NightInput, actions: NoticeActions,
                              windows: inout WindowCache,
                              admitted: inout [Candidate], plan: inout Buckets) {
        let policy = strategy.contact
        let customerID = cases[0].state.key.customerID
        let customer = input.customers[customerID]
        let zones = Self.zones(of: customer, default: strategy.defaultCustomerTimeZone)
        let clock = self.clock
        var state = CustomerContactState(
            asOf: asOf, events: input.events[customerID] ?? [], prior: input.priorContacts[customerID] ?? [],
            promiseMaxDays: policy.promise.maxDays,
            localDay: { LocalWindow.localDay(epochSeconds: $0, zone: zones[0], clock: clock) })
        state.unreadEvent = input.unreadEvents.contains(customerID)

        var candidates: [Candidate] = []
        for c in cases {
            let agent = c.assignment?.agentID ?? ""
            candidates += notices(for: c, agent: agent, actions: actions.of(c.state.key), prior: input.prior[c.state.key],
                                  state: state, plan: &plan)
            candidates += treatmentSteps(for: c, agent: agent, group: c.assignment?.group, state: state, plan: &plan)
        }
        if let reminder = policy.promise.reminder, let promise = state.promise, promise.promised == asOf,
           promise.made < asOf, let first = cases.first,
           !state.wasServed(caseID: first.state.caseID, stepKey: "ptp_reminder", occurrence: asOf) {
            candidates.append(Candidate(case: first, agentID: first.assignment?.agentID ?? "", channel: reminder.channel, target: .debtor, template: reminder.template,
                                        band: nil, priority: 90, required: false, stepKey: "ptp_reminder",
                                        reason: "ptp_reminder@\(asOf)", occurrence: asOf, lastValidDay: asOf,
                                        isTreatment: false))
        }
        for i in candidates.indices {
            candidates[i].hash = Self.hash(customerID, candidates[i].state.caseID, candidates[i].stepKey, asOf)
        }
        candidates.sort {
            ($0.required ? 0 : 1, -$0.priority, $0.state.caseID, $0.stepKey, $0.hash)
                < ($1.required ? 0 : 1, -$1.priority, $1.state.caseID, $1.stepKey, $1.hash)
        }

        let allocated = cases[0].assignment != nil
        var tonight: [Channel: Int] = [:]
        var thirdPartyTonight = 0
        for candidate in candidates {
            func hold(_ reason: HoldReason) { plan.hold(deferral(candidate, reason), customer: plan.current) }
            if let reason = state.suppression(required: candidate.required, complaintPauseDays: policy.complaint.pauseDays) {
                hold(reason); continue
            }
            if !candidate.required, policy.holidays.contains(asOf) { hold(.holiday); continue }
            if candidate.isTreatment, state.promiseActive, policy.promise.holdsChannels.contains(candidate.channel) {
                hold(.promiseToPay); continue
            }
            if candidate.target == .emergencyContact {
                if (customer?.emergencyContacts ?? 0) < 1 { hold(.noEmergencyContact); continue }
                let rule = policy.emergency
                let reachedRecently = state.lastReachedDay.map { asOf - $0 < rule.notWithinDaysOfReach } ?? false
                if reachedRecently || state.failedAttempts < rule.afterFailedAttempts
                    || state.failedAttemptDays.count < rule.overDays
                    || state.thirdPartyUsed(on: asOf) + thirdPartyTonight >= rule.perDay {
                    hold(.emergencyContactRules); continue
                }
            }
            // An agent call needs an agent: robot groups and unassigned cases get none.
            if allocated, candidate.channel == .call, candidate.agentID.isEmpty { hold(.noAgent); continue }
            let window = windows.minutes(bands: bands(for: candidate), zones: zones, day: asOf, clock: clock)
            if window.passed { hold(.timePassed); continue }
            if window.allowed.isEmpty { hold(.window); continue }
            if candidate.target == .debtor {
                let rules = policy.rules(candidate.channel)
                let today = state.used(candidate.channel, on: asOf) + tonight[candidate.channel, default: 0]
                if today >= rules.perDay { hold(.capChannelDay); continue }
                var week = today
                for back in 1...6 { week += state.used(candidate.channel, on: asOf - back) }
                if week >= rules.per7Days { hold(.capChannel7Days); continue }
                // A prerecorded (IVR) call is a telephone call too: both wait after a conversation.
                if candidate.channel.isVoice, state.inCallQuietPeriod(days: policy.rules(.call).quietDaysAfterConversation) {
                    hold(.callQuietPeriod); continue
                }
            }
            var allChannels = state.thirdPartyUsed(on: asOf) + thirdPartyTonight
            for channel in Channel.allCases {
                allChannels += state.used(channel, on: asOf) + tonight[channel, default: 0]
            }
            if allChannels >= policy.perCustomerPerDay { hold(.capCustomerDay); continue }

            candidate.window = window
            candidate.zones = zones
            candidate.customerOrder = plan.current
            if candidate.target == .emergencyContact { thirdPartyTonight += 1 } else { tonight[candidate.channel, default: 0] += 1 }
            admitted.append(candidate)
        }
    }

    /// Stage notices: one per notice kind and night its milestone was acted on, within validity.
    private func notices(for planCase: PlanCase, agent: String, actions: [Action], prior: CaseHistory?,
                         state: CustomerContactState, plan: inout Buckets) -> [Candidate] {
        let c = planCase.state
        var result: [Candidate] = []
        let history = prior.flatMap { $0.episode == c.episode ? $0 : nil }
        for kind in NoticeKind.allCases {
            guard let rule = strategy.contact.notices[kind] else { continue }
            var days: Set<Day> = []
            for a in actions where a.episode == c.episode && a.kind == kind.milestone {
                days.insert(a.effectiveOn)
            }
            if let history {
                if kind == .preCollection {
                    days.insert(history.openedOn)
                } else {
                    for milestones in history.loanMilestones.values { if let d = milestones[kind.milestone] { days.insert(d) } }
                }
            }
            // An adopted milestone took effect before the adoption date: its notice went out
            // from the previous system, never from this one.
            for day in days.sorted() where day <= asOf && asOf - day < rule.validDays && !(adoptedBefore.map { day < $0 } ?? false) {
                let key = "notice:\(kind.rawValue)"
                if state.wasServed(caseID: c.caseID, stepKey: key, occurrence: day) { continue }
                let candidate = Candidate(case: planCase, agentID: agent, channel: rule.channel, target: .debtor, template: rule.template, band: nil,
                                        priority: 100, required: rule.required, stepKey: key,
                                        reason: "\(key)@\(day)", occurrence: day,
                                        lastValidDay: day + rule.validDays - 1, isTreatment: false)
                // The D-2 reminder only makes sense while the due date is still ahead: not at all
                // for a case first seen past due, and dropped (reported once, the first night
                // past due) when it waited past the due date.
                if kind == .preCollection, c.dpd > 0 {
                    if let previousRun, day <= previousRun, c.dpd - (asOf - previousRun) <= 0 {
                        plan.hold(deferral(candidate, .tooLate, final: true), customer: plan.current)
                    }
                    continue
                }
                result.append(candidate)
            }
        }
        return result
    }

    /// Treatment steps due tonight, or still valid from earlier nights and not yet served.
    private func treatmentSteps(for planCase: PlanCase, agent: String, group: String?, state: CustomerContactState,
                                plan: inout Buckets) -> [Candidate] {
        let c = planCase.state
        let policy = strategy.contact
        let treatmentName = state.isGentle(policy.complaint) ? policy.complaint.treatmentAfter
            : group.flatMap { groupTreatments[$0] } ?? variantTreatment(c) ?? segmentRules[c.segment]?.treatment
        guard let name = treatmentName, let treatment = policy.treatments[name] else { return [] }
        let missed = previousRun.map { min(31, max(0, asOf - $0 - 1)) } ?? 0
        var result: [Candidate] = []
        for step in treatment.steps {
            // `every: N` spaces the case's contacts of the step by N days whatever its DPD does
            // (a payment or a reversal moves the DPD, and with it the occurrences): counted from
            // the night the last one was planned for, as it was sent then. An occurrence that the
            // spacing holds back opens on the first night it allows, with its whole validity from
            // there: a case once contacted a night late is not left on its last valid nights.
            let spacing = step.days.spacing
            let opensOn = spacing > 1 ? state.lastPlanned(caseID: c.caseID, stepKey: step.id).map { $0 + spacing } : nil
            if let opensOn, asOf < opensOn { continue }
            // Back over the occurrences still valid: those the spacing held back since the last
            // contact too, while their validity from `opensOn` lasts.
            var lookback = step.validDays + missed
            if let opensOn, asOf - opensOn < step.validDays { lookback = max(lookback, asOf - opensOn + spacing) }
            var newest: Candidate?
            var reportedSeen = false
            for back in 0..<lookback {
                let dpd = c.dpd - back
                guard step.days.contains(dpd) else { continue }
                let occurrence = asOf - back
                // The newest occurrence the previous run saw was the one it tried (or served); any
                // older one was already settled then.
                let atOrBeforePrevious = previousRun.map { occurrence <= $0 } ?? false
                let newestAtPreviousRun = atOrBeforePrevious && !reportedSeen
                if atOrBeforePrevious { reportedSeen = true }
                if state.wasServed(caseID: c.caseID, stepKey: step.id, occurrence: occurrence) { continue }
                let candidate = Candidate(case: planCase, agentID: agent, channel: step.channel, target: step.target, template: step.template,
                                          band: step.band, priority: step.priority, required: false, stepKey: step.id,
                                          reason: "\(step.id)@D\(dpd < 0 ? "" : "+")\(dpd)", occurrence: occurrence,
                                          lastValidDay: max(occurrence, opensOn ?? occurrence) + step.validDays - 1, isTreatment: true)
                if candidate.lastValidDay < asOf {
                    // Fell due and expired on nights that never ran.
                    if let previousRun, occurrence > previousRun {
                        plan.hold(deferral(candidate, .missedNight), customer: plan.current)
                    }
                    continue
                }
                if newest == nil { newest = candidate; continue }
                // Reported once: on the night a newer occurrence first replaces it. Older ones
                // that were already replaced on an earlier night, or that no run ever saw (before
                // the first night), are not reported again.
                guard let previousRun, let newestDay = newest?.occurrence, newestDay > previousRun else { continue }
                if occurrence > previousRun || newestAtPreviousRun {
                    plan.hold(deferral(candidate, .superseded, final: true), customer: plan.current)
                }
            }
            if let newest { result.append(newest) }
        }
        return result
    }

    /// The treatment of the case's experiment variant, if its segment splits its customers.
    private func variantTreatment(_ c: CaseState) -> String? {
        guard !c.variant.isEmpty, let experiment = segmentRules[c.segment]?.experiment else { return nil }
        return experiment.variants.first { $0.name == c.variant }?.treatment
    }

    /// The local bands a candidate may use: the legal window narrowed by strategy, channel and
    /// segment, minus excluded bands; the step's preferred band when it leaves anything.
    private func bands(for candidate: Candidate) -> WindowCache.Key.Bands {
        let policy = strategy.contact
        var window = TimeBand.legal.intersection(policy.window)
        if let w = policy.rules(candidate.channel).window { window = window.intersection(w) }
        if let w = segmentRules[candidate.state.segment]?.window {
            window = window.intersection(w)
        }
        let allowed = TimeBand.subtract(policy.excluded, from: [window])
        let preferred = candidate.band.map { band in TimeBand.subtract(policy.excluded, from: [window.intersection(band)]) }
        return .init(allowed: allowed, preferred: preferred)
    }

    private func deferral(_ c: Candidate, _ reason: HoldReason, final: Bool = false) -> Deferral {
        let dropped = final || c.lastValidDay <= asOf
        return Deferral(customerID: c.state.key.customerID, caseID: c.state.caseID, channel: c.channel, target: c.target,
                        template: c.template, segment: c.state.segment, priority: c.priority, reason: c.reason,
                        stepKey: c.stepKey, occurrence: c.occurrence, heldBy: reason,
                        outcome: dropped ? .dropped : .deferred, retryUntil: dropped ? nil : c.lastValidDay,
                        required: c.required)
    }

    // MARK: Capacity and time slots

    /// Applies each channel's daily and hourly capacity portfolio-wide (required notices always
    /// pass and still use capacity), then gives each contact a minute inside its window.
    private func schedule(_ admitted: [Candidate], agentCallsPerDay: [String: Int], plan: inout Buckets) {
        // Sort small keys, not the candidates themselves. Ties of the 64-bit hash fall back to
        // the customer order, then the position within the customer: still deterministic.
        // (required first, then higher priority) as one integer: priorities are at most 100.
        let keys = admitted.map { (rank: ($0.required ? 0 : 1_000) - $0.priority, hash: $0.hash) }
        let order = admitted.indices.sorted { a, b in
            (keys[a].rank, keys[a].hash, a) < (keys[b].rank, keys[b].hash, b)
        }.lazy.map { admitted[$0] }
        var perChannel: [Channel: Int] = [:]
        var perHour: [Channel: [Int64: Int]] = [:]
        var perAgent: [String: Int] = [:]
        for candidate in order {
            let rules = strategy.contact.rules(candidate.channel)
            let used = perChannel[candidate.channel, default: 0]
            if !candidate.required, let cap = rules.dailyCapacity, used >= cap {
                plan.hold(deferral(candidate, .capacity), customer: candidate.customerOrder); continue
            }
            let isAgentCall = candidate.channel == .call && !candidate.agentID.isEmpty
            if isAgentCall, !candidate.required, let limit = agentCallsPerDay[candidate.agentID],
               perAgent[candidate.agentID, default: 0] >= limit {
                plan.hold(deferral(candidate, .agentCapacity), customer: candidate.customerOrder); continue
            }
            // The preferred band first, then anywhere in the window; a required notice takes a
            // minute even when every hour is full.
            let hours = perHour[candidate.channel]
            let hasRoom: (Int64) -> Bool = { minute in
                guard let hourly = rules.hourlyCapacity else { return true }
                return hours?[minute / 60, default: 0] ?? 0 < hourly
            }
            let first = candidate.window.preferred ?? candidate.window.allowed
            var minute = Self.slot(in: first, hash: candidate.hash, hourHasRoom: hasRoom)
            if minute == nil, candidate.window.preferred != nil {
                minute = Self.slot(in: candidate.window.allowed, hash: candidate.hash, hourHasRoom: hasRoom)
            }
            if minute == nil, candidate.required {
                minute = Self.slot(in: first, hash: candidate.hash) { _ in true }
            }
            guard let minute else { plan.hold(deferral(candidate, .capacity), customer: candidate.customerOrder); continue }
            perChannel[candidate.channel, default: 0] += 1
            perHour[candidate.channel, default: [:]][minute / 60, default: 0] += 1
            if isAgentCall { perAgent[candidate.agentID, default: 0] += 1 }
            let c = candidate.state
            plan.contacts[candidate.customerOrder].append(PlannedContact(
                customerID: c.key.customerID, caseID: c.caseID, channel: candidate.channel, target: candidate.target,
                utcMinute: minute, scheduledAt: LocalWindow.iso8601(utcMinute: minute, zone: candidate.zones[0], clock: clock),
                localDay: asOf, template: candidate.template, agentID: candidate.channel == .call ? candidate.agentID : "",
                segment: c.segment, variant: c.variant, priority: candidate.priority,
                reason: candidate.reason, stepKey: candidate.stepKey, occurrence: candidate.occurrence,
                required: candidate.required))
        }
    }

    /// A minute of `set` chosen by `hash`, so contacts spread evenly over the window; when that
    /// minute's hour is full, a minute of the next hour with room (wrapping around).
    static func slot(in set: MinuteSet, hash: UInt64, hourHasRoom: (Int64) -> Bool) -> Int64? {
        let count = set.count
        guard count > 0 else { return nil }
        let chosen = set.minute(at: Int64(hash % UInt64(count)))
        if hourHasRoom(chosen) { return chosen }
        var hours: [Range<Int64>] = []
        for interval in set.intervals {
            var m = interval.lowerBound
            while m < interval.upperBound {
                let end = min(interval.upperBound, (m / 60 + 1) * 60)
                hours.append(m..<end)
                m = end
            }
        }
        guard let first = hours.firstIndex(where: { $0.contains(chosen) }) else { return nil }
        for k in 1..<max(1, hours.count) {
            let hour = hours[(first + k) % hours.count]
            if hourHasRoom(hour.lowerBound) { return hour.lowerBound + Int64((hash >> 32) % UInt64(hour.count)) }
        }
        return nil
    }

    // MARK: Helpers

    /// The customer's candidate zones: `Asia/Shanghai|Asia/Urumqi`, or the strategy's default.
    /// The customer's candidate zones, never empty: the loader refuses a list with an empty
    /// place, and the default zone stands in should one ever get through.
    public static func zones(of customer: Customer?, default zone: String) -> [String] {
        guard let text = customer?.timeZone, !text.isEmpty else { return [zone] }
        let zones = text.split(separator: "|").map(String.init)
        return zones.isEmpty ? [zone] : zones
    }

    /// Stable across runs and platforms (`StableHash`).
    static func hash(_ customer: String, _ caseID: String, _ step: String, _ day: Day) -> UInt64 {
        StableHash.of(customer, caseID, step, day.description)
    }
}
