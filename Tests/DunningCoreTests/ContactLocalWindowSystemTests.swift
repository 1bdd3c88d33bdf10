@testable import DunningCore
import Testing

/// LocalWindow against the real tz database (Foundation `TimeZone`), as the engine runs it.
@Suite("Contact: LocalWindow with the system tz database")
struct ContactLocalWindowSystemTests {
    let clock = SystemClock()

    func window(_ day: String, _ zone: String, _ bands: [TimeBand] = [.legal]) -> MinuteSet {
        LocalWindow.minutes(on: C.day(day), bands: bands, zone: zone, clock: clock)
    }

    func iso(_ minute: Int64, _ zone: String) -> String { LocalWindow.iso8601(utcMinute: minute, zone: zone, clock: clock) }

    /// 2026-03-08: 02:00 EST becomes 03:00 EDT; the window is whole and at -04:00.
    @Test func newYorkSpringForward() {
        let set = window("2026-03-08", "America/New_York")
        #expect(set.count == 780)
        #expect(set.intervals.count == 1)
        #expect(iso(set.minute(at: 0), "America/New_York") == "2026-03-08T08:00:00-04:00")
        #expect(iso(set.minute(at: 779), "America/New_York") == "2026-03-08T20:59:00-04:00")
        #expect(set.minute(at: 0) == C.utcMinute(C.day("2026-03-08"), 12))
        // The day before is still standard time.
        let before = window("2026-03-07", "America/New_York")
        #expect(before.count == 780)
        #expect(iso(before.minute(at: 0), "America/New_York") == "2026-03-07T08:00:00-05:00")
    }

    /// 2026-11-01: 02:00 EDT becomes 01:00 EST; the window is whole and at -05:00.
    @Test func newYorkFallBack() {
        let set = window("2026-11-01", "America/New_York")
        #expect(set.count == 780)
        #expect(iso(set.minute(at: 0), "America/New_York") == "2026-11-01T08:00:00-05:00")
        #expect(iso(set.minute(at: 779), "America/New_York") == "2026-11-01T20:59:00-05:00")
        #expect(set.minute(at: 0) == C.utcMinute(C.day("2026-11-01"), 13))
        let before = window("2026-10-31", "America/New_York")
        #expect(iso(before.minute(at: 0), "America/New_York") == "2026-10-31T08:00:00-04:00")
    }

    /// The whole local day is 23 hours in spring and 25 in autumn; the skipped hour is never used
    /// and the repeated one is used twice.
    @Test func newYorkNightHours() {
        let all = [TimeBand(start: 0, end: 1440)]
        #expect(window("2026-03-08", "America/New_York", all).count == 23 * 60)
        #expect(window("2026-11-01", "America/New_York", all).count == 25 * 60)
        #expect(window("2026-03-08", "America/New_York", [C.band("01:00-03:00")]).count == 60)
        #expect(window("2026-03-08", "America/New_York", [C.band("02:00-03:00")]).isEmpty)
        #expect(window("2026-11-01", "America/New_York", [C.band("01:00-02:00")]).count == 120)
        #expect(window("2026-11-01", "America/New_York", [C.band("01:00-03:00")]).count == 180)
    }

    /// Every minute of the DST-day window really is inside 08:00-21:00 on that date.
    @Test(arguments: ["2026-03-08", "2026-11-01"])
    func everyMinuteIsLocallyInside(day: String) {
        let set = window(day, "America/New_York", [C.band("08:00-12:00"), C.band("13:00-21:00")])
        #expect(set.count == 720)
        for interval in set.intervals {
            for m in interval {
                let local = C.local(m, "America/New_York", clock)
                #expect(local.day == C.day(day))
                #expect((480..<720).contains(local.minute) || (780..<1260).contains(local.minute))
            }
        }
    }

    /// Shanghai (+8) and Urumqi (+6): only 10:00-21:00 Shanghai time is inside both windows.
    @Test func shanghaiAndUrumqi() {
        let zones = ["Asia/Shanghai", "Asia/Urumqi"]
        let set = LocalWindow.minutes(on: C.day("2026-07-01"), bands: [.legal], zones: zones, clock: clock)
        #expect(set.count == 660)
        #expect(iso(set.minute(at: 0), "Asia/Shanghai") == "2026-07-01T10:00:00+08:00")
        #expect(iso(set.minute(at: 659), "Asia/Shanghai") == "2026-07-01T20:59:00+08:00")
        #expect(iso(set.minute(at: 0), "Asia/Urumqi") == "2026-07-01T08:00:00+06:00")
    }

    @Test func kathmanduAndNewfoundlandOffsets() {
        let k = window("2026-07-01", "Asia/Kathmandu")
        #expect(iso(k.minute(at: 0), "Asia/Kathmandu") == "2026-07-01T08:00:00+05:45")
        #expect(k.minute(at: 0) == C.utcMinute(C.day("2026-07-01"), 2, 15))
        let n = window("2026-01-15", "America/St_Johns")
        #expect(iso(n.minute(at: 0), "America/St_Johns") == "2026-01-15T08:00:00-03:30")
    }

    @Test func localDayInNewYork() {
        // 2026-03-09T03:30Z is 23:30 on 2026-03-08 in New York (EDT).
        let epoch = C.epoch(C.day("2026-03-09"), 3, 30)
        #expect(LocalWindow.localDay(epochSeconds: epoch, zone: "America/New_York", clock: clock) == C.day("2026-03-08"))
        #expect(LocalWindow.localDay(epochSeconds: epoch, zone: "Asia/Shanghai", clock: clock) == C.day("2026-03-09"))
        // 2026-11-02T04:30Z is 23:30 on 2026-11-01 (EST); an hour earlier in EDT terms it would be 00:30.
        #expect(LocalWindow.localDay(epochSeconds: C.epoch(C.day("2026-11-02"), 4, 30), zone: "America/New_York", clock: clock)
            == C.day("2026-11-01"))
    }
}
