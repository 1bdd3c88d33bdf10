import DunningCore
import Foundation

/// Tonight's validated inputs, and every row that was refused with its reason.
public struct Inputs: Sendable {
    public var loansByCase: [CaseKey: [Loan]] = [:]
    public var customers: [String: Customer] = [:]
    public var events: [Event] = []
    /// Data rows read per file name.
    public var rowCounts: [String: Int] = [:]
    /// Every bad row, sorted by file, line and column.
    public var problems: [Diagnostic] = []
    /// Cases with a rejected ledger row: left exactly as recorded tonight.
    public var heldCases: Set<CaseKey> = []
    /// Bad ledger rows that cannot be tied to a case (no loan id, unreadable row, a loan with no
    /// valid key anywhere). Skipping them could make a case look paid, so they are never skipped.
    public var unattributableRows: [Diagnostic] = []
    /// Customers with a rejected `events.csv` row (with `--skip-bad-rows`): what the row said is
    /// unknown, and it may have been a stop request or a death, so they get no contact tonight.
    public var customersWithUnreadEvents: Set<String> = []
    /// Bad `events.csv` rows whose customer cannot be known (the row cannot be split into fields,
    /// or its `customer_id` is not a valid identifier): skipping one could contact someone who
    /// asked to stop, so they are never skipped.
    public var unattributableEventRows: [Diagnostic] = []
    /// Customers whose rows in `customers.csv` were rejected: listed in the file, not loaded.
    public var rejectedCustomerIDs: Set<String> = []
    /// Tonight's roster of agents and agencies (`agents.csv`), sorted by ID.
    public var agents: [Agent] = []
    /// Problems in `agents.csv`: never skipped, since a skipped member would lose its cases.
    public var rosterProblems: [Diagnostic] = []

    /// Distinct rows with at least one problem (a row with two bad fields counts once).
    public var rejectedRowCount: Int {
        Set(problems.map { "\($0.file):\($0.line)" }).count
    }

    public init() {}
}

/// Why the inputs could not be read at all (as opposed to bad rows).
public enum InputError: Error, Sendable {
    case missingFile(Diagnostic)
    case unreadable([Diagnostic])
}

/// Reads `customers.csv`, `ledger.csv` and `events.csv` from an input directory.
public struct InputLoader {
    public let directory: String
    public let strategy: Strategy
    public let asOf: Day
    /// Threads that read the ledger: one per core by default (tests vary it to check that every
    /// split reads the same as one thread).
    public var workers: Int
    /// The smallest ledger chunk a thread takes (tests and the fuzzer make it tiny to split small
    /// files: every split must read as one thread does).
    public var minimumChunkBytes = LedgerLoader.defaultMinimumChunkBytes

    public init(directory: String, strategy: Strategy, asOf: Day, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.directory = directory
        self.strategy = strategy
        self.asOf = asOf
        self.workers = workers
    }

    public static let ledgerColumns = ["loan_id", "customer_id", "product", "instalment", "due_date", "amount_due", "amount_paid"]
    public static let customerColumns = ["customer_id", "score"]
    public static let eventColumns = ["at", "customer_id", "type", "value"]
    public static let agentColumns = ["agent_id", "group", "capacity", "active"]

    private func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    private func open(_ name: String, required: [String]) throws(InputError) -> CSVTable? {
        do {
            return try CSVTable(path: path(name), displayName: path(name), required: required)
        } catch {
            if error.missingFile { throw .missingFile(error.diagnostics[0]) }
            throw .unreadable(error.diagnostics)
        }
    }

    /// The input files `load` reads, in the order it reads them: customers and ledger always,
    /// events when present, the roster when the strategy has member groups or the file is there.
    public var filesToRead: [String] {
        var names = ["customers.csv", "ledger.csv"]
        if FileManager.default.fileExists(atPath: path("events.csv")) { names.append("events.csv") }
        if let allocation = strategy.allocation,
           allocation.groups.contains(where: \.hasMembers) || FileManager.default.fileExists(atPath: path("agents.csv")) {
            names.append("agents.csv")
        }
        return names
    }

    public func load() throws(InputError) -> Inputs {
        var inputs = Inputs()
        var rejectedCustomers: [String: Int] = [:]
        let files = filesToRead
        try loadCustomers(into: &inputs, rejected: &rejectedCustomers)
        inputs.rejectedCustomerIDs = Set(rejectedCustomers.keys)
        try loadLedger(into: &inputs, rejectedCustomers: rejectedCustomers)
        if files.contains("events.csv") { try loadEvents(into: &inputs, rejectedCustomers: rejectedCustomers) }
        if let allocation = strategy.allocation, files.contains("agents.csv") {
            try loadAgents(into: &inputs, allocation: allocation)
        }
        inputs.problems.sort()
        return inputs
    }

    // MARK: customers.csv

    private func loadCustomers(into inputs: inout Inputs, rejected: inout [String: Int]) throws(InputError) {
        guard var table = try open("customers.csv", required: Self.customerColumns) else { return }
        var zoneCache: [String: Bool] = [:]
        /// Rows naming a customer already seen: (line, column, ID); the first row's line is looked
        /// up afterwards, so the common case keeps one dictionary, not two.
        var repeats: [(line: Int, column: Int, id: String)] = []
        table.forEachRow { row in
            guard let id = row.identifier("customer_id") else { return }
            if inputs.customers[id] != nil || rejected[id] != nil {
                let (line, column) = row.location("customer_id")
                repeats.append((line, column, id))
                rejected[id] = row.line
                return
            }
            let score = row.isEmpty("score") ? nil : row.integer("score", in: 0...1000)
            var zone: String?
            if row.isEmpty("timezone") == false, let text = row.identifier("timezone") {
                if let known = zoneCache[text] {
                    if !known { reportZones(text, row: &row) }
                } else {
                    zoneCache[text] = reportZones(text, row: &row)
                }
                zone = text
            }
            let contacts = row.isEmpty("emergency_contacts") ? 0 : row.integer("emergency_contacts", in: 0...99)
            guard row.isValid else { rejected[id] = row.line; return }
            inputs.customers[id] = Customer(id: id, score: score, timeZone: zone, emergencyContacts: contacts ?? 0)
        }
        // A customer listed twice is rejected in both places: which row is right is unknown.
        for id in rejected.keys { inputs.customers[id] = nil }
        inputs.rowCounts["customers.csv"] = table.rowCount
        inputs.problems += table.diagnostics
        if !repeats.isEmpty {
            let first = table.firstLines(of: Set(repeats.map(\.id)), column: "customer_id")
            for r in repeats {
                inputs.problems.append(Diagnostic(file: table.displayName, line: r.line, column: r.column,
                                                  message: "customer \(r.id) is listed twice (first at line \(first[r.id] ?? 0))"))
            }
        }
    }

    /// Reports every unknown zone of a `|`-separated list; true when all are known.
    @discardableResult
    private func reportZones(_ text: String, row: inout CSVTable.Row) -> Bool {
        // `|`, `A||B`, `A|`: an empty place in the list would leave the customer with no zone.
        let candidates = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        if candidates.contains(where: \.isEmpty) {
            row.error("timezone", "timezone '\(text.prefix(80))' has an empty place in its list of zones: separate zones with a single | (e.g. Asia/Shanghai|Asia/Urumqi)")
            return false
        }
        var allKnown = true
        for candidate in candidates {
            let known = TimeZone(identifier: candidate) != nil && (candidate.contains("/") || candidate == "UTC")
            if !known { row.error("timezone", "unknown IANA time zone '\(candidate)'"); allKnown = false }
        }
        return allKnown
    }

    // MARK: ledger.csv

    private func loadLedger(into inputs: inout Inputs, rejectedCustomers: [String: Int]) throws(InputError) {
        guard let table = try open("ledger.csv", required: Self.ledgerColumns) else { return }
        // Decisions look at instalments due up to tonight, or a little after it when a stage starts
        // before the due date (pre-collection at D-2).
        let stages = strategy.stages
        let horizon = asOf + max(0, -stages.preCollection, -stages.penalty)
        let result = LedgerLoader(table: table, customers: inputs.customers, rejectedCustomers: rejectedCustomers,
                                  defaultCurrency: strategy.currency, paidTolerance: strategy.paidTolerance,
                                  horizon: horizon, workers: workers, minimumChunkBytes: minimumChunkBytes).load()
        inputs.loansByCase = result.loansByCase
        inputs.heldCases = result.heldCases
        inputs.rowCounts["ledger.csv"] = result.rowCount
        inputs.problems += result.problems
        inputs.unattributableRows = result.unattributable
    }

    // MARK: events.csv

    private func loadEvents(into inputs: inout Inputs, rejectedCustomers: [String: Int]) throws(InputError) {
        guard var table = try open("events.csv", required: Self.eventColumns) else { return }
        let customers = inputs.customers
        let asOf = self.asOf
        var events: [Event] = []
        var unread: Set<String> = []
        var unattributable: [Diagnostic] = []
        table.forEachRow { row in
            let atText = row.identifier("at")
            let parsed = atText.flatMap(Timestamp.parse)
            if atText != nil, parsed == nil {
                row.error("at", "at '\(atText!.prefix(40))' is not an ISO 8601 timestamp with offset, e.g. 2026-11-21T14:03:00+08:00")
            }
            if let parsed, parsed.localDay > asOf {
                row.error("at", "event dated \(parsed.localDay) is after the as-of date \(asOf)")
            }
            let customerID = row.identifier("customer_id")
            // A customer whose own row was rejected still exists: its events (a stop request, a
            // death) are kept and stored, so that a later night, with the row fixed, has them.
            if let customerID, customers[customerID] == nil, rejectedCustomers[customerID] == nil {
                row.error("customer_id", "customer \(customerID) is not in customers.csv")
            }
            var kind: Event.Kind?
            if let text = row.identifier("type") {
                kind = Event.Kind(rawValue: text)
                if kind == nil { row.error("type", "unknown event type '\(text.prefix(40))'") }
            }
            // Only a promise's date is read from `value`. Any other value is dropped unread: it is
            // free text (a collector's note may name people or numbers) that nothing needs, so it
            // never reaches the store, and its size cannot grow it.
            var value = ""
            if kind == .ptp {
                let promised = Day.parse(row.bytes("value"))
                if let promised { value = promised.description } else {
                    row.error("value", "a ptp event needs the promised date as its value (YYYY-MM-DD)")
                }
            }
            if !row.isValid {
                if let customerID {
                    // A customer not in customers.csv (or rejected there) has no contact tonight anyway.
                    if customers[customerID] != nil { unread.insert(customerID) }
                } else {
                    unattributable.append(row.problems[0])
                }
            }
            guard row.isValid, let atText, let parsed, let customerID, let kind else { return }
            events.append(Event(at: atText, epochSeconds: parsed.epochSeconds, localDay: parsed.localDay,
                                customerID: customerID, kind: kind, value: value))
        }
        inputs.events = events.sorted { ($0.customerID, $0.epochSeconds, $0.kind.rawValue, $0.value) < ($1.customerID, $1.epochSeconds, $1.kind.rawValue, $1.value) }
        inputs.rowCounts["events.csv"] = table.rowCount
        inputs.problems += table.diagnostics
        inputs.customersWithUnreadEvents = unread
        inputs.unattributableEventRows = (table.unreadableRows + unattributable).sorted()
    }
}

// MARK: agents.csv

extension InputLoader {
    /// Reads a roster file on its own (`dunning validate --agents`): `name` inside `directory`.
    /// `inputs.agents`, `rowCounts` and `rosterProblems` are filled; nothing else.
    public func loadRoster(named name: String) throws(InputError) -> Inputs {
        var inputs = Inputs()
        if let allocation = strategy.allocation { try loadAgents(into: &inputs, allocation: allocation, file: name) }
        return inputs
    }

    private func loadAgents(into inputs: inout Inputs, allocation: AllocationPolicy, file: String = "agents.csv") throws(InputError) {
        guard var table = try open(file, required: Self.agentColumns) else { return }
        let groups = Dictionary(allocation.groups.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let memberGroups = allocation.groups.filter(\.hasMembers).map(\.name)
        var firstLine: [String: Int] = [:]
        /// The group each ID's first row names, and every (ID, group) pair a row names, valid or not.
        var firstGroup: [String: String] = [:]
        var listed: Set<[String]> = []
        var agents: [Agent] = []
        table.forEachRow { row in
            let id = row.identifier("agent_id")
            if let id, let earlier = firstLine[id] {
                row.error("agent_id", "agent \(id) is listed twice (first at line \(earlier))")
            } else if let id {
                firstLine[id] = row.line
            }
            var group: AllocationGroup?
            if let name = row.identifier("group") {
                if let id {
                    listed.insert([id, name])
                    if firstGroup[id] == nil { firstGroup[id] = name }
                }
                group = groups[name]
                if group == nil {
                    let known = memberGroups.isEmpty ? "it has no agents or agency groups" : "known: \(memberGroups.joined(separator: ", "))"
                    row.error("group", "group '\(name.prefix(40))' is not an allocation group of the strategy (\(known))")
                } else if group?.kind == .robot {
                    row.error("group", "group '\(name)' is a robot group: it has no members (agents.csv lists agents and agencies)")
                    group = nil
                }
            }
            let capacity = row.integer("capacity", in: 0...1_000_000)
            let active = row.flag("active")
            let weight = row.isEmpty("weight") ? 1000 : row.milli("weight", in: 1...100_000)
            let callsPerDay = row.isEmpty("calls_per_day") ? nil : row.integer("calls_per_day", in: 0...10_000)
            var skills: [String] = []
            if !row.isEmpty("skills"), let text = row.identifier("skills") {
                skills = text.split(separator: "|").map(String.init)
                if let bad = skills.first(where: { !ProductCode.isValid($0) }) {
                    row.error("skills", "skill '\(bad.prefix(40))' may use only letters, digits, '_', '-' and '.' (separate skills with |)")
                }
            }
            if let id, let group, group.kind == .agency, group.shares[id] == nil {
                row.error("agent_id", "agency \(id) has no share in group '\(group.name)' (shares: \(group.shares.keys.sorted().joined(separator: ", ")))")
            }
            guard row.isValid, let id, let group, let capacity, let active, let weight else { return }
            agents.append(Agent(id: id, group: group.name, capacity: capacity, active: active, weightMilli: weight,
                                skills: skills, callsPerDay: callsPerDay))
        }
        var problems = table.diagnostics
        for group in allocation.groups where group.kind == .agency {
            // A row of the agency in its group, even a bad one (reported already), lists it.
            for agency in group.shares.keys.sorted() where !listed.contains([agency, group.name]) {
                let message: String
                if let other = firstGroup[agency], let line = firstLine[agency] {
                    message = "agency \(agency) has a share in group '\(group.name)' but is listed in group '\(other.prefix(40))' (line \(line)); list it in group '\(group.name)' (active false to pause it)"
                } else {
                    message = "agency \(agency) has a share in group '\(group.name)' but is not listed; add it (active false to pause it)"
                }
                problems.append(Diagnostic(file: table.displayName, line: 1, column: 1, message: message))
            }
        }
        inputs.agents = agents.sorted { $0.id < $1.id }
        inputs.rowCounts["agents.csv"] = table.rowCount
        inputs.problems += problems
        inputs.rosterProblems = problems.sorted()
    }
}
