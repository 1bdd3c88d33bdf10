@testable import DunningCore
import Testing

/// The contact window, in every candidate zone, narrowed by strategy, channel, segment and
/// excluded bands; the step's preferred band.
@Suite("Contact planner: window and preferred band")
struct ContactWindowRuleTests {
    static let zones: [String?] = [
        "America/New_York", "Asia/Shanghai|Asia/Urumqi", "Asia/Kathmandu", nil, "America/St_Johns",
        "Asia/Urumqi|Asia/Shanghai", "Australia/Lord_Howe", "Pacific/Chatham",
    ]

    /// 40 customers over zones with DST changes, odd offsets and two candidates; three steps each.
    func portfolio(_ asOf: String) -> ContactScenario {
        var s = ContactScenario([C.sms(), C.call(band: C.band("09:00-11:00")), C.ivr()])
        s.clock = SystemClock()
        s.defaultZone = "Asia/Shanghai"
        s.asOf = C.day(asOf)
        s.policy.excluded = [C.band("12:00-13:00")]
        s.segments = [SegmentRule(name: "narrow", products: ["narrow"], treatment: "t", window: C.band("10:00-18:00")),
                      SegmentRule(name: "everyone", treatment: "t")]
        for i in 0..<40 {
            let narrow = i % 5 == 0
            s.addCase(String(format: "C%02d", i), product: narrow ? "narrow" : "cash", segment: narrow ? "narrow" : "everyone",
                      zone: Self.zones[i % Self.zones.count])
        }
        return s
    }

    @Test(arguments: ["2026-03-08", "2026-11-01", "2026-04-05", "2026-07-01"])
    func noContactOutsideTheWindowInAnyCandidateZone(asOf: String) {
        let s = portfolio(asOf)
        let plan = s.plan()
        #expect(plan.deferrals.isEmpty, "\(plan.held)")
        #expect(plan.contacts.count == 120)
        for c in plan.contacts {
            let zones = ContactPlanner.zones(of: s.customers[c.customerID], default: s.defaultZone)
            let narrow = c.segment == "narrow"
            for zone in zones {
                let local = C.local(c.utcMinute, zone, s.clock)
                #expect(local.day == s.asOf, "\(c.customerID) \(zone) \(c.scheduledAt)")
                let lo = narrow ? 600 : 480, hi = narrow ? 1080 : 1260
                #expect(local.minute >= lo && local.minute < hi, "\(c.customerID) \(zone) \(c.scheduledAt)")
                #expect(!(720..<780).contains(local.minute), "lunch: \(c.customerID) \(zone) \(c.scheduledAt)")
            }
            #expect(c.scheduledAt == LocalWindow.iso8601(utcMinute: c.utcMinute, zone: zones[0], clock: s.clock))
            #expect(c.localDay == s.asOf)
        }
    }

    @Test func newYorkContactsCarryTheDaylightOffset() {
        let spring = portfolio("2026-03-08").plan().contacts.filter { $0.customerID == "C00" }
        #expect(spring.count == 3)
        #expect(spring.allSatisfy { $0.scheduledAt.hasPrefix("2026-03-08T") && $0.scheduledAt.hasSuffix("-04:00") })
        let autumn = portfolio("2026-11-01").plan().contacts.filter { $0.customerID == "C08" }
        #expect(autumn.count == 3)
        #expect(autumn.allSatisfy { $0.scheduledAt.hasPrefix("2026-11-01T") && $0.scheduledAt.hasSuffix("-05:00") })
    }

    @Test func preferredBandIsUsedWhenItFits() {
        let s = portfolio("2026-07-01")
        let calls = s.plan().contacts.filter { $0.channel == .call }
        #expect(calls.count == 40)
        for c in calls {
            let zones = ContactPlanner.zones(of: s.customers[c.customerID], default: s.defaultZone)
            let local = C.local(c.utcMinute, zones[0], s.clock)
            if c.segment == "narrow" {
                // 09:00-11:00 narrowed by the segment's 10:00-18:00.
                if zones.count == 1 { #expect((600..<660).contains(local.minute), "\(c.scheduledAt)") }
            } else if zones.count == 1 {
                #expect((540..<660).contains(local.minute), "\(c.customerID) \(c.scheduledAt)")
            }
        }
    }

    /// When the preferred band leaves nothing inside the window, the whole window is used.
    @Test func preferredBandOutsideTheWindowFallsBackToTheWindow() {
        var s = ContactScenario([C.call(band: C.band("09:00-11:00"))])
        s.policy.channels[.call] = ChannelRules(window: C.band("14:00-20:00"), perDay: 3, per7Days: 7, quietDaysAfterConversation: 7)
        for i in 0..<10 { s.addCase("C\(i)") }
        let plan = s.plan()
        #expect(plan.contacts.count == 10)
        for c in plan.contacts { #expect((840..<1200).contains(C.local(c.utcMinute, "Z/UTC", s.clock).minute), "\(c.scheduledAt)") }
    }

    /// Channel and segment windows that do not meet leave no time: held by the window rule.
    @Test func disjointNarrowingHoldsTheContact() {
        var s = ContactScenario([C.sms(valid: 1), C.call("late-call", .list([10]), valid: 3)])
        s.policy.channels[.sms] = ChannelRules(window: C.band("09:00-10:00"), perDay: 2, per7Days: 7)
        s.policy.channels[.call] = ChannelRules(window: C.band("08:00-09:00"), perDay: 3, per7Days: 7, quietDaysAfterConversation: 7)
        s.segments = [SegmentRule(name: "everyone", treatment: "t", window: C.band("14:00-20:00"))]
        s.addCase()
        let plan = s.plan()
        #expect(plan.contacts.isEmpty)
        #expect(plan.held.sorted() == ["C1 late-call@D+10 window deferred", "C1 sms@D+10 window dropped"])
        #expect(plan.deferrals.first { $0.stepKey == "late-call" }?.retryUntil == s.asOf + 2)
    }

    /// Two candidate zones whose windows never overlap: no contact at all.
    @Test func candidateZonesWithoutCommonTime() {
        var s = ContactScenario([C.sms()])
        s.clock = TableClock.fixed(["Z/UTC": 0, "Z/P8": 480, "Z/M5": -300])
        s.addCase(zone: "Z/P8|Z/M5")
        #expect(s.plan().held == ["C1 sms@D+10 window dropped"])
    }

    /// A strategy-wide window narrows every channel; excluded bands cut it.
    @Test func strategyWindowAndExclusions() {
        var s = ContactScenario([C.sms(), C.ivr(), C.call()])
        s.policy.window = C.band("10:00-16:00")
        s.policy.excluded = [C.band("11:00-15:00")]
        for i in 0..<20 { s.addCase("C\(i)") }
        let plan = s.plan()
        #expect(plan.contacts.count == 60)
        for c in plan.contacts {
            let m = C.local(c.utcMinute, "Z/UTC", s.clock).minute
            #expect((600..<660).contains(m) || (900..<960).contains(m), "\(c.scheduledAt)")
        }
    }
}
