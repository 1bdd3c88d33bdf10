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

    public init(directory: String, strategy: Strategy, asOf: Day) {
        self.directory = directory
        self.strategy = strategy
        self.asOf = asOf
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

    public func load() throws(InputError) -> Inputs {
        var inputs = Inputs()
        var rejectedCustomers: [String: Int] = [:]
        try loadCustomers(into: &inputs, rejected: &rejectedCustomers)
        try loadLedger(into: &inputs, rejectedCustomers: rejectedCustomers)
        let eventsPath = path("events.csv")
        if FileManager.default.fileExists(atPath: eventsPath) { try loadEvents(into: &inputs) }
        if let allocation = strategy.allocation {
            let needed = allocation.groups.contains(where: \.hasMembers)
            if needed || FileManager.default.fileExists(atPath: path("agents.csv")) {
                try loadAgents(into: &inputs, allocation: allocation)
            }
        }
        inputs.problems.sort()
        return inputs
    }

    // MARK: customers.csv

    private func loadCustomers(into inputs: inout Inputs, rejected: inout [String: Int]) throws(InputError) {
        guard var table = try open("customers.csv", required: Self.customerColumns) else { return }
        var zoneCache: [String: Bool] = [:]
        var firstLine: [String: Int] = [:]
        table.forEachRow { row in
            guard let id = row.identifier("customer_id") else { return }
            if let earlier = firstLine[id] {
                row.error("customer_id", "customer \(id) is listed twice (first at line \(earlier))")
                rejected[id] = row.line
                return
            }
            firstLine[id] = row.line
            let score = row.isEmpty("score") ? nil : row.integer("score", in: 0...1000)
            var zone: String?
            if row.isEmpty("timezone") == false, let text = row.identifier("timezone") {
                let candidates = text.split(separator: "|").map(String.init)
                for candidate in candidates {
                    let known = zoneCache[candidate] ?? (TimeZone(identifier: candidate) != nil && (candidate.contains("/") || candidate == "UTC"))
                    zoneCache[candidate] = known
                    if !known { row.error("timezone", "unknown IANA time zone '\(candidate)'") }
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
    }

    // MARK: ledger.csv

    private struct LoanDraft {
        var customerID: String
        var product: String
        var currency: String
        var firstLine: Int
        var instalments: [Instalment] = []
        var numbers: [Int: Int] = [:] // instalment number -> line
    }

    private func loadLedger(into inputs: inout Inputs, rejectedCustomers: [String: Int]) throws(InputError) {
        guard var table = try open("ledger.csv", required: Self.ledgerColumns) else { return }
        let hasCurrency = table.has("currency")
        var drafts: [String: LoanDraft] = [:]
        var badLoans: [String: Diagnostic] = [:]
        var unattributable: [Diagnostic] = []
        let customers = inputs.customers
        let strategy = self.strategy
        table.forEachRow { row in
            let loanID = row.identifier("loan_id")
            let customerID = row.identifier("customer_id")
            var product: String?
            if let p = row.identifier("product") {
                if ProductCode.isValid(p) { product = p } else {
                    row.error("product", "product code '\(p)' may use only letters, digits, '_', '-' and '.'")
                }
            }
            let number = row.integer("instalment", in: 1...10_000)
            let due = row.day("due_date")
            let amountDue = row.money("amount_due")
            let amountPaid = row.money("amount_paid")
            var currency = strategy.currency
            if hasCurrency, !row.isEmpty("currency") {
                let code = String(decoding: row.bytes("currency"), as: UTF8.self)
                if code.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) { currency = code } else {
                    row.error("currency", "currency '\(code.prefix(20))' is not an ISO 4217 code such as CNY")
                }
            }
            if let amountDue, let amountPaid, amountPaid > amountDue + strategy.paidTolerance {
                row.error("amount_paid", "amount_paid \(amountPaid) exceeds amount_due \(amountDue) by more than the tolerance \(strategy.paidTolerance)")
            }
            if let customerID, customers[customerID] == nil {
                if let line = rejectedCustomers[customerID] {
                    row.error("customer_id", "customer \(customerID) was rejected in customers.csv (line \(line))")
                } else {
                    row.error("customer_id", "customer \(customerID) is not in customers.csv")
                }
            }
            guard let loanID else {
                unattributable += row.problems
                return
            }
            // Recorded last, so that the consistency checks below count too.
            defer { if !row.isValid, badLoans[loanID] == nil { badLoans[loanID] = row.problems[0] } }
            var draft: LoanDraft
            if let existing = drafts[loanID] {
                draft = existing
                if let customerID, customerID != draft.customerID {
                    row.error("customer_id", "loan \(loanID) belongs to customer \(draft.customerID) at line \(draft.firstLine)")
                }
                if let product, product != draft.product {
                    row.error("product", "loan \(loanID) has product \(draft.product) at line \(draft.firstLine)")
                }
                if currency != draft.currency {
                    row.error(hasCurrency ? "currency" : "loan_id", "loan \(loanID) is in \(draft.currency) at line \(draft.firstLine)")
                }
                if let number, let earlier = draft.numbers[number] {
                    row.error("instalment", "duplicate instalment \(number) of loan \(loanID) (first at line \(earlier))")
                }
            } else if let customerID, let product {
                draft = LoanDraft(customerID: customerID, product: product, currency: currency, firstLine: row.line)
            } else {
                return // no valid key yet: a later row may name it; otherwise unattributable below
            }
            if row.isValid, let number, let due, let amountDue, let amountPaid {
                draft.numbers[number] = row.line
                draft.instalments.append(Instalment(number: number, due: due, amountDue: amountDue, amountPaid: amountPaid))
            }
            drafts[loanID] = draft
        }
        inputs.rowCounts["ledger.csv"] = table.rowCount
        inputs.problems += table.diagnostics
        // A bad loan whose rows never named a valid customer and product cannot be held by key.
        unattributable += badLoans.filter { drafts[$0.key] == nil }.map(\.value)
        inputs.unattributableRows = (unattributable + table.unreadableRows).sorted()

        // One currency per case: amounts of a case are summed.
        var caseCurrency: [CaseKey: (String, String)] = [:]
        for loanID in drafts.keys.sorted() {
            guard let draft = drafts[loanID] else { continue }
            let key = CaseKey(customerID: draft.customerID, product: draft.product)
            var bad = badLoans[loanID] != nil
            if let (currency, other) = caseCurrency[key], currency != draft.currency {
                inputs.problems.append(Diagnostic(file: table.displayName, line: draft.firstLine, column: 1,
                                                  message: "loan \(loanID) is in \(draft.currency) but loan \(other) of the same case is in \(currency)"))
                bad = true
            } else if caseCurrency[key] == nil {
                caseCurrency[key] = (draft.currency, loanID)
            }
            if bad {
                // A loan with any bad row is held whole: a missing instalment could fake a cure.
                inputs.heldCases.insert(key)
                continue
            }
            inputs.loansByCase[key, default: []].append(
                Loan(id: loanID, customerID: draft.customerID, product: draft.product, currency: draft.currency,
                     instalments: draft.instalments))
        }
        for key in inputs.heldCases { inputs.loansByCase[key] = nil }
    }

    // MARK: events.csv

    private func loadEvents(into inputs: inout Inputs) throws(InputError) {
        guard var table = try open("events.csv", required: Self.eventColumns) else { return }
        let customers = inputs.customers
        let asOf = self.asOf
        var events: [Event] = []
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
            if let customerID, customers[customerID] == nil {
                row.error("customer_id", "customer \(customerID) is not in customers.csv")
            }
            var kind: Event.Kind?
            if let text = row.identifier("type") {
                kind = Event.Kind(rawValue: text)
                if kind == nil { row.error("type", "unknown event type '\(text.prefix(40))'") }
            }
            let value = String(decoding: row.bytes("value"), as: UTF8.self)
            if kind == .ptp, Day(iso: value) == nil {
                row.error("value", "a ptp event needs the promised date as its value (YYYY-MM-DD)")
            }
            guard row.isValid, let atText, let parsed, let customerID, let kind else { return }
            events.append(Event(at: atText, epochSeconds: parsed.epochSeconds, localDay: parsed.localDay,
                                customerID: customerID, kind: kind, value: value))
        }
        inputs.events = events.sorted { ($0.customerID, $0.epochSeconds, $0.kind.rawValue, $0.value) < ($1.customerID, $1.epochSeconds, $1.kind.rawValue, $1.value) }
        inputs.rowCounts["events.csv"] = table.rowCount
        inputs.problems += table.diagnostics
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
