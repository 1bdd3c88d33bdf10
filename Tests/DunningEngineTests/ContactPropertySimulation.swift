import DunningCore
import DunningEngine
import DunningIO
import Foundation

/// A seeded multi-night simulation for the contact-plan property tests: a generated portfolio,
/// nights run one after another through the engine, and each night's events made from the
/// previous plan's outcomes plus random customer events (complaints, disputes, stops, resumes,
/// deaths, bankruptcies, promises to pay). A missed night and a holiday are included.
struct ContactSimulation {
    static let strategyYAML = """
        name: property-sim
        business_time_zone: Asia/Shanghai
        customer_time_zone: Asia/Shanghai
        currency: CNY
        segments:
          - {name: early, buckets: [current, M0], treatment: busy}
          - {name: late, treatment: busy, window: "10:00-19:00"}
        templates:
          SMS_A: {channel: sms, class: reminder}
          SMS_N: {channel: sms, class: notice}
          CALL_A: {channel: call, class: collection}
          IVR_A: {channel: ivr, class: reminder}
          TP_A: {channel: call, class: third_party}
          PTP_R: {channel: sms, class: reminder}
          LET_N: {channel: letter, class: notice}
        notices:
          pre_collection: {channel: sms, template: SMS_A}
          credit_notice: {channel: sms, template: SMS_N}
          litigation: {channel: letter, template: LET_N}
        treatments:
          busy:
            - {channel: sms, template: SMS_A, from: D-2, every: 1, valid_days: 3}
            - {channel: call, template: CALL_A, from: D+1, every: 1, band: "09:00-11:00", priority: 70, valid_days: 2}
            - {id: second_call, channel: call, template: CALL_A, from: D+3, every: 1, band: "18:00-20:00", priority: 60}
            - {channel: ivr, template: IVR_A, from: D+1, every: 1, priority: 20, valid_days: 2}
            - {id: tp, channel: call, target: emergency_contact, template: TP_A, from: D+4, every: 1, priority: 30}
          soft:
            - {channel: sms, template: SMS_A, from: D+1, every: 4}
        contact:
          exclude: ["12:00-13:30"]
          holidays: [2026-03-12]
          per_customer_per_day: 4
          channels:
            sms: {per_day: 2, per_7_days: 6, window: "09:00-20:00", daily_capacity: 400}
            call: {per_day: 2, per_7_days: 7, hourly_capacity: 40}
            ivr: {per_day: 1, per_7_days: 3, daily_capacity: 150}
          emergency_contact: {after_failed_attempts: 4, over_days: 2}
          complaint: {pause_days: 3, then: soft, gentle_days: 5}
          promise_to_pay:
            max_days: 6
            reminder: {channel: sms, template: PTP_R}
        """

    static let zones = ["", "", "Asia/Shanghai", "Asia/Shanghai|Asia/Urumqi", "America/New_York", "Europe/London",
                        "Asia/Kathmandu", "America/New_York|America/Chicago", "Australia/Lord_Howe"]
    static let firstNight = Day(iso: "2026-03-02")!
    /// 2026-03-02 .. 2026-03-15 without 2026-03-10 (a missed night); New York changes to
    /// daylight time on 2026-03-08.
    static let nights: [Day] = (0..<14).map { firstNight + $0 }.filter { $0 != Day(iso: "2026-03-10")! }

    struct Customer {
        var id: String
        var zone: String
        var emergencyContacts: Int
        var loans: [(product: String, firstDue: Day)]
        var paysOn: Day?
    }

    var rng: SplitMix64
    var customers: [Customer] = []
    /// Every event handed to the engine, per customer, with the night whose input carried it.
    var events: [String: [(event: Event, night: Day)]] = [:]
    /// Every planned contact, per night.
    var plans: [Day: [[String]]] = [:]
    let work: String

    init(seed: UInt64, customers count: Int) {
        rng = SplitMix64(state: seed)
        work = TestSupport.temporaryDirectory()
        for i in 0..<count {
            var loans = [(product: "cash", firstDue: Self.firstNight - 40 + rng.below(50))]
            if rng.below(10) < 3 { loans.append((product: "card", firstDue: Self.firstNight - 20 + rng.below(30))) }
            let paysOn: Day? = rng.below(5) == 0 ? Self.firstNight + rng.below(14) : nil
            customers.append(Customer(id: "P" + pad(i + 1, 5), zone: Self.zones[rng.below(Self.zones.count)],
                                      emergencyContacts: rng.below(3), loans: loans, paysOn: paysOn))
        }
    }

    var strategyPath: String { work + "/strategy.yaml" }
    var store: String { work + "/store.sqlite" }

    /// Runs every night; returns the output directory per night.
    mutating func run() throws {
        try Self.strategyYAML.write(toFile: strategyPath, atomically: true, encoding: .utf8)
        try TestSupport.initStore(store)
        var previous: Day?
        for night in Self.nights {
            let input = work + "/in/\(night)"
            try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
            try writeCustomers(input)
            try writeLedger(input, night: night)
            try writeEvents(input, night: night, previous: previous)
            let out = work + "/out/\(night)"
            _ = try NightlyRun(options: RunOptions(asOf: night, strategyPath: strategyPath, inputDirectory: input,
                                               storePath: store, outputDirectory: out),
                           logger: TestSupport.quietLogger).execute()
            plans[night] = Self.rows(out + "/contacts.csv")
            previous = night
        }
    }

    static func rows(_ path: String) -> [[String]] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    private func writeCustomers(_ dir: String) throws {
        var csv = "customer_id,score,timezone,emergency_contacts\n"
        for c in customers { csv += "\(c.id),500,\(c.zone),\(c.emergencyContacts)\n" }
        try csv.write(toFile: dir + "/customers.csv", atomically: true, encoding: .utf8)
    }

    private func writeLedger(_ dir: String, night: Day) throws {
        var csv = "loan_id,customer_id,product,instalment,due_date,amount_due,amount_paid\n"
        for c in customers {
            for loan in c.loans {
                for k in 0..<6 {
                    let due = loan.firstDue.addingMonths(k)
                    let paid = c.paysOn.map { night > $0 && due < $0 } ?? false
                    csv += "L\(c.id)\(loan.product),\(c.id),\(loan.product),\(k + 1),\(due),1000.00,\(paid ? "1000.00" : "0.00")\n"
                }
            }
        }
        try csv.write(toFile: dir + "/ledger.csv", atomically: true, encoding: .utf8)
    }

    /// Outcomes of the previous night's plan, plus random customer events on the previous day.
    private mutating func writeEvents(_ dir: String, night: Day, previous: Day?) throws {
        var lines: [(String, String, String, String)] = []
        if let previous, let plan = plans[previous] {
            for row in plan {
                let (customer, channel, target, at) = (row[1], row[3], row[4], row[5])
                guard rng.below(10) < 8 else { continue } // some outcomes never come back
                let type: String
                switch (channel, target) {
                case ("call", "emergency_contact"): type = "third_party_call"
                case ("call", _): type = rng.below(6) == 0 ? "call_connected" : "call_attempt"
                case ("ivr", _): type = rng.below(8) == 0 ? "ivr_connected" : "ivr_attempt"
                case ("sms", _): type = "sms_sent"
                default: continue
                }
                lines.append((at, customer, type, ""))
            }
        }
        let day = night - 1
        for c in customers where rng.below(40) == 0 {
            let kinds = ["complaint", "dispute", "stop_collection", "resume_collection", "resume_collection", "ptp", "ptp",
                         "ptp", "cease_communication", "deceased", "bankruptcy"]
            let kind = kinds[rng.below(kinds.count)]
            let value = kind == "ptp" ? (day + 1 + rng.below(8)).description : ""
            lines.append(("\(day)T\(pad(9 + rng.below(10), 2)):\(pad(rng.below(60), 2)):00+08:00", c.id, kind, value))
        }
        var csv = "at,customer_id,type,value\n"
        for (at, customer, type, value) in lines {
            csv += "\(at),\(customer),\(type),\(value)\n"
            guard let parsed = Timestamp.parse(at), let kind = EventKind(rawValue: type) else { continue }
            events[customer, default: []].append((Event(at: at, epochSeconds: parsed.epochSeconds, localDay: parsed.localDay,
                                                        customerID: customer, kind: kind, value: value), night))
        }
        try csv.write(toFile: dir + "/events.csv", atomically: true, encoding: .utf8)
    }
}
