import DunningCore
import DunningEngine
import DunningIO
import Foundation
import Testing

/// Properties of the contact plan over a generated portfolio and a two-week history with
/// random outcomes and customer events, checked independently of the planner's own code: no
/// contact outside the window in any of the customer's zones, no cap exceeded on any rolling
/// window across nights, no contact of a suppressed customer, emergency contacts only under
/// their rules, capacities respected.
@Suite struct ContactPropertyTests {
    struct Contact {
        var night: Day
        var customer: String
        var channel: String
        var target: String
        var epoch: Int64
        var template: String
        var segment: String
        var reason: String
        var required: Bool { reason.hasPrefix("notice:credit_notice") || reason.hasPrefix("notice:litigation") }
        var isTreatment: Bool { !reason.hasPrefix("notice:") && !reason.hasPrefix("ptp_reminder") }
    }

    static func zones(_ c: ContactSimulation.Customer) -> [TimeZone] {
        (c.zone.isEmpty ? "Asia/Shanghai" : c.zone).split(separator: "|").map { TimeZone(identifier: String($0))! }
    }

    static func localDay(_ epoch: Int64, _ zone: TimeZone) -> Day {
        let local = epoch + Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(epoch))))
        return Day(number: Int32((local - (local % 86_400 + 86_400) % 86_400) / 86_400))
    }

    static func minuteOfDay(_ epoch: Int64, _ zone: TimeZone) -> Int {
        let local = epoch + Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(epoch))))
        return Int((local % 86_400 + 86_400) % 86_400 / 60)
    }

    @Test(arguments: [UInt64(7), 20_261_123])
    func plansHonourEveryHardRule(seed: UInt64) throws {
        var sim = ContactSimulation(seed: seed, customers: 300)
        try sim.run()
        let customers = Dictionary(uniqueKeysWithValues: sim.customers.map { ($0.id, $0) })
        var contacts: [Contact] = []
        for (night, rows) in sim.plans {
            for r in rows {
                let epoch = try #require(Timestamp.parse(r[5])?.epochSeconds, "\(r)")
                contacts.append(Contact(night: night, customer: r[1], channel: r[3], target: r[4], epoch: epoch,
                                        template: r[6], segment: r[8], reason: r[10]))
                #expect(r[0] == night.description)
            }
        }

        // Not vacuous: the rules below were exercised.
        #expect(contacts.count > 1000)
        #expect(contacts.contains { $0.target == "emergency_contact" })
        #expect(contacts.contains { $0.channel == "call" } && contacts.contains { $0.channel == "ivr" })
        var held: Set<String> = []
        for night in ContactSimulation.nights {
            for r in ContactSimulation.rows(sim.work + "/out/\(night)/deferred.csv") { held.insert(r[9]) }
        }
        for reason in ["cap_channel_day", "cap_channel_7_days", "call_quiet_period", "promise_to_pay", "holiday",
                       "suppressed_complaint", "capacity", "emergency_contact_rules", "missed_night"] {
            #expect(held.contains(reason), "no contact was ever held by \(reason)")
        }

        // New York's change to daylight time falls inside the simulated fortnight.
        let newYork = Set(sim.customers.filter { $0.zone == "America/New_York" }.map(\.id))
        let offsets = Set(sim.plans.values.joined().filter { newYork.contains($0[1]) }.map { String($0[5].suffix(6)) })
        #expect(offsets == ["-05:00", "-04:00"])

        // 1. Window: 08:00-21:00 (narrowed by channel and segment, minus lunch) on the run date
        //    in every candidate zone.
        for c in contacts {
            let customer = try #require(customers[c.customer])
            var lo = 8 * 60, hi = 21 * 60
            if c.channel == "sms" { lo = max(lo, 9 * 60); hi = min(hi, 20 * 60) }
            if c.segment == "late" { lo = max(lo, 10 * 60); hi = min(hi, 19 * 60) }
            for zone in Self.zones(customer) {
                let m = Self.minuteOfDay(c.epoch, zone)
                #expect(Self.localDay(c.epoch, zone) == c.night, "\(c) in \(zone.identifier)")
                #expect(m >= lo && m < hi, "\(c) at minute \(m) in \(zone.identifier)")
                #expect(!(m >= 12 * 60 && m < 13 * 60 + 30), "\(c) during lunch in \(zone.identifier)")
            }
        }

        // 2. Caps on every day and every rolling 7-day window, counting per channel and local
        //    day (first zone) the larger of what was planned and what was reported.
        var planned: [String: [Day: Int]] = [:], reported: [String: [Day: Int]] = [:]
        var thirdParty: [String: [Day: Int]] = [:]
        for c in contacts {
            let first = Self.zones(customers[c.customer]!)[0]
            if c.target == "emergency_contact" {
                thirdParty[c.customer, default: [:]][Self.localDay(c.epoch, first), default: 0] += 1
            } else {
                planned["\(c.customer)|\(c.channel)", default: [:]][Self.localDay(c.epoch, first), default: 0] += 1
            }
        }
        for (customer, list) in sim.events {
            let first = Self.zones(customers[customer]!)[0]
            for (e, _) in list {
                guard let channel = e.kind.attemptChannel else { continue }
                reported["\(customer)|\(channel.rawValue)", default: [:]][Self.localDay(e.epochSeconds, first), default: 0] += 1
            }
        }
        let caps: [String: (day: Int, week: Int)] = ["sms": (2, 6), "call": (2, 7), "ivr": (1, 3), "letter": (1, 2)]
        let firstDay = ContactSimulation.nights.first! - 7, lastDay = ContactSimulation.nights.last!
        func used(_ key: String, _ day: Day) -> Int { max(planned[key]?[day] ?? 0, reported[key]?[day] ?? 0) }
        for customer in sim.customers {
            var day = firstDay
            while day <= lastDay {
                var all = thirdParty[customer.id]?[day] ?? 0
                for (channel, cap) in caps {
                    let key = "\(customer.id)|\(channel)"
                    all += used(key, day)
                    #expect(used(key, day) <= cap.day, "\(key) on \(day)")
                    let week = (0..<7).reduce(0) { $0 + used(key, day - $1) }
                    #expect(week <= cap.week, "\(key) in the 7 days to \(day): \(week)")
                }
                #expect(all <= 4, "\(customer.id) all channels on \(day): \(all)")
                #expect((thirdParty[customer.id]?[day] ?? 0) <= 1, "\(customer.id) third parties on \(day)")
                day = day + 1
            }
        }

        // 3. Suppression, promises, quiet periods and emergency contacts, from the events known
        //    at each night (the ones its input or an earlier input carried).
        for c in contacts {
            let customer = customers[c.customer]!
            let first = Self.zones(customer)[0]
            let known = (sim.events[c.customer] ?? []).filter { $0.night <= c.night }.map(\.event)
                .sorted { ($0.epochSeconds, $0.kind.rawValue) < ($1.epochSeconds, $1.kind.rawValue) }
            var deceased = false, stopped = false, complaint: Day?, promise: (Day, Day)?, lastReached: Day?
            var failed: [Day] = []
            for e in known {
                let day = Self.localDay(e.epochSeconds, first)
                switch e.kind {
                case .deceased, .bankruptcy: deceased = true
                case .stopCollection, .dispute, .ceaseCommunication: stopped = true
                case .resumeCollection: stopped = false
                case .complaint: complaint = day
                case .ptp: promise = (day, min(Day(iso: e.value)!, day + 6))
                case .callAttempt, .ivrAttempt: failed.append(day)
                default: break
                }
                if e.kind.reachedDebtor { lastReached = day; failed = [] }
            }
            #expect(!deceased, "contact with a deceased or bankrupt customer: \(c)")
            if !c.required {
                #expect(!stopped, "contact while stopped, disputed or ceased: \(c)")
                if let complaint { #expect(c.night - complaint >= 3, "contact during a complaint's pause: \(c)") }
            }
            if c.isTreatment, ["call", "ivr"].contains(c.channel), let (made, promised) = promise {
                #expect(!(made <= c.night && c.night <= promised), "voice contact during a promise to pay: \(c)")
            }
            if c.channel == "call", c.target == "debtor" {
                let conversation = known.contains { $0.kind == .callConnected
                    && (0..<7).contains(c.night - Self.localDay($0.epochSeconds, first)) }
                #expect(!conversation, "call within 7 days of a conversation: \(c)")
            }
            if c.target == "emergency_contact" {
                #expect(customer.emergencyContacts >= 1, "\(c)")
                #expect(c.template == "TP_A", "a third party heard a debtor template: \(c)")
                #expect(lastReached.map { c.night - $0 >= 7 } ?? true, "third party while the debtor was reached: \(c)")
                #expect(failed.count >= 4 && Set(failed).count >= 2, "third party too early: \(c) after \(failed)")
            } else {
                #expect(c.template != "TP_A", "\(c)")
            }
        }

        // 4. Capacities: daily per channel (required notices aside), hourly for calls.
        for night in ContactSimulation.nights {
            let tonight = contacts.filter { $0.night == night && !$0.required }
            #expect(tonight.filter { $0.channel == "sms" }.count <= 400)
            #expect(tonight.filter { $0.channel == "ivr" }.count <= 150)
            var perHour: [Int64: Int] = [:]
            for c in tonight where c.channel == "call" { perHour[c.epoch / 3600, default: 0] += 1 }
            #expect(perHour.values.allSatisfy { $0 <= 40 }, "\(night) call hours \(perHour.values.max() ?? 0)")
        }
    }
}
