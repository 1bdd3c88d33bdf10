import DunningCore

/// Deterministic synthetic portfolios for benchmarks and demos: the same seed and size always
/// give byte-identical files. Most loans are current or early in arrears, with a long tail past M12.
/// One to three loans a customer, 3 to 24 monthly instalments a loan, listed as billed.
public struct PortfolioGenerator {
    public var customers: Int
    public var seed: UInt64
    public var asOf: Day
    public var products = ["cash_loan", "ecommerce"]

    public init(customers: Int, seed: UInt64, asOf: Day) {
        self.customers = customers
        self.seed = seed
        self.asOf = asOf
    }

    /// Days after the as-of date up to which scheduled instalments are listed.
    public static let billingLookahead = 31

    /// The files `generate` writes.
    public static let files = ["customers.csv", "ledger.csv", "events.csv", "agents.csv"]

    /// Streams the files' rows through `write(file, bytes)` in chunks.
    public func generate(write: (String, [UInt8]) throws -> Void) rethrows {
        var rng = SplitMix64(state: seed)
        var customersCSV = CSVWriter(header: ["customer_id", "score", "timezone", "emergency_contacts"])
        var ledgerCSV = CSVWriter(header: ["loan_id", "customer_id", "product", "instalment", "due_date", "amount_due", "amount_paid"])
        var eventsCSV = CSVWriter(header: ["at", "customer_id", "type", "value"])
        let zones = ["", "", "", "Asia/Shanghai", "Asia/Urumqi", "Asia/Shanghai|Asia/Urumqi"]
        var loanNumber = 0
        for c in 0..<customers {
            let customerID = "C" + pad(c + 1, 8)
            let score = rng.below(10) == 0 ? "" : String(rng.below(1001))
            customersCSV.append([customerID, score, zones[rng.below(zones.count)], String(rng.below(4))])
            for _ in 0..<(1 + rng.below(3)) {
                loanNumber += 1
                let loanID = "L" + pad(loanNumber, 9)
                let product = products[rng.below(products.count)]
                let terms = 3 + rng.below(22)
                let start = asOf - rng.below(720)
                let principalPerTerm = Int64(5_000 + rng.below(200_000))
                // Behaviour: 70% pay on time, the rest stop paying at some instalment (a long tail).
                let roll = rng.below(100)
                let stopsAt: Int
                if roll < 70 { stopsAt = terms + 1 } else if roll < 90 { stopsAt = 1 + rng.below(max(1, terms)) } else { stopsAt = 1 }
                for k in 1...terms {
                    let due = start.addingMonths(k)
                    // The ledger as billed: instalments due so far and the next bill, not the
                    // whole schedule (1M customers: about 18M rows, as the yardstick).
                    if due > asOf + Self.billingLookahead { break }
                    let amount = Money(minorUnits: principalPerTerm)
                    var paid = Money.zero
                    if due < asOf, k < stopsAt { paid = amount }
                    else if due < asOf, k == stopsAt, rng.below(4) == 0 { paid = Money(minorUnits: principalPerTerm / 2) }
                    ledgerCSV.append([loanID, customerID, product, String(k), due.description, amount.description, paid.description])
                }
            }
            if rng.below(20) == 0 {
                let day = asOf - 1
                eventsCSV.append(["\(day)T10:\(pad(rng.below(60), 2)):00+08:00", customerID, "call_attempt", ""])
            }
            if ledgerCSV.bytes.count > 1 << 22 {
                try write("ledger.csv", ledgerCSV.bytes)
                ledgerCSV = CSVWriter(header: [])
                ledgerCSV.resetToEmpty()
            }
        }
        try write("customers.csv", customersCSV.bytes)
        try write("ledger.csv", ledgerCSV.bytes)
        try write("events.csv", eventsCSV.bytes)
        try write("agents.csv", roster().bytes)
    }

    /// A roster for strategies/default.yaml's groups: one agent per 500 customers (2,000 for a
    /// million), a tenth of them part-timers, a tenth of the M1-M2 team senior, two agencies.
    func roster() -> CSVWriter {
        var csv = CSVWriter(header: ["agent_id", "group", "capacity", "active", "weight", "skills", "calls_per_day"])
        let agents = max(5, customers / 500)
        let groups = [("m0_cash", 35), ("m0_ecommerce", 35), ("m1_m2", 30)]
        var number = 0
        for (group, percent) in groups {
            let count = max(1, agents * percent / 100)
            for k in 0..<count {
                number += 1
                let senior = group == "m1_m2" && k % 10 == 0
                csv.append(["A" + pad(number, 5), group, "5000", "true", k % 10 == 9 ? "0.5" : "1", senior ? "senior" : "", "200"])
            }
        }
        csv.append(["A" + pad(number + 1, 5), "m0_other", "5000", "true", "1", "", "200"])
        csv.append(["AG_EAST", "m3_agencies", "1000000", "true", "", "", ""])
        csv.append(["AG_WEST", "m3_agencies", "1000000", "true", "", "", ""])
        return csv
    }
}
