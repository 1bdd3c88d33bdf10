@testable import DunningCore
import Testing

/// LocalWindow and MinuteSet against a table-driven fake clock (fixed offsets and switches).
@Suite("Contact: LocalWindow with a fake clock")
struct ContactLocalWindowTests {
    let d = C.day("2026-03-10")
    let clock = TableClock.fixed(["Z/UTC": 0, "Z/P8": 480, "Z/P6": 360, "Z/M5": -300, "Z/K": 345, "Z/NF": -210])
    let lunch = [C.band("08:00-12:00"), C.band("13:00-21:00")]

    @Test func fixedOffsetDay() {
        let set = LocalWindow.minutes(on: d, bands: [.legal], zone: "Z/P8", clock: clock)
        #expect(set == MinuteSet([C.utcMinute(d, 8, offsetMinutes: 480)..<C.utcMinute(d, 21, offsetMinutes: 480)]))
        #expect(set.count == 780)
        // 08:00 in UTC+8 is midnight UTC.
        #expect(set.intervals.first?.lowerBound == Int64(d.number) * 1440)
    }

    @Test func negativeOffsetDayEndsAfterUTCMidnight() {
        let set = LocalWindow.minutes(on: d, bands: [.legal], zone: "Z/M5", clock: clock)
        #expect(set.intervals == [C.utcMinute(d, 13)..<C.utcMinute(d + 1, 2)])
    }

    @Test func excludedBandsLeaveTwoIntervals() {
        let set = LocalWindow.minutes(on: d, bands: lunch, zone: "Z/UTC", clock: clock)
        #expect(set.intervals == [C.utcMinute(d, 8)..<C.utcMinute(d, 12), C.utcMinute(d, 13)..<C.utcMinute(d, 21)])
        #expect(set.count == 720)
        #expect(LocalWindow.minutes(on: d, bands: [], zone: "Z/UTC", clock: clock).isEmpty)
    }

    /// Spring forward at 12:00 local: 12:00-12:59 does not exist that day.
    @Test func forwardSwitchInsideTheWindow() {
        let switchAt = C.epoch(d, 12)
        let clock = self.clock.with("Z/S", before: 0, after: 60, atEpochSeconds: switchAt)
        let set = LocalWindow.minutes(on: d, bands: [.legal], zone: "Z/S", clock: clock)
        // Local 08:00-12:00 is UTC 08:00-12:00; local 13:00-21:00 is UTC 12:00-20:00.
        #expect(set.intervals == [C.utcMinute(d, 8)..<C.utcMinute(d, 20)])
        #expect(set.count == 720)
        for i in stride(from: Int64(0), to: set.count, by: 1) {
            let local = C.local(set.minute(at: i), "Z/S", clock)
            #expect(local.day == d)
            #expect((480..<1260).contains(local.minute) && !(720..<780).contains(local.minute))
        }
        #expect(LocalWindow.iso8601(utcMinute: C.utcMinute(d, 11, 59), zone: "Z/S", clock: clock) == "2026-03-10T11:59:00+00:00")
        #expect(LocalWindow.iso8601(utcMinute: C.utcMinute(d, 12), zone: "Z/S", clock: clock) == "2026-03-10T13:00:00+01:00")
        // A band entirely inside the skipped hour is empty that day.
        #expect(LocalWindow.minutes(on: d, bands: [C.band("12:00-13:00")], zone: "Z/S", clock: clock).isEmpty)
    }

    /// Fall back at 12:00 local (to 11:00): 11:00-11:59 happens twice and both are usable.
    @Test func backwardSwitchInsideTheWindow() {
        let switchAt = C.epoch(d, 11) // 12:00 local at +01:00
        let clock = self.clock.with("Z/S", before: 60, after: 0, atEpochSeconds: switchAt)
        let set = LocalWindow.minutes(on: d, bands: [.legal], zone: "Z/S", clock: clock)
        #expect(set.intervals == [C.utcMinute(d, 7)..<C.utcMinute(d, 21)])
        #expect(set.count == 840)
        #expect(set.contains(C.utcMinute(d, 10, 30)) && set.contains(C.utcMinute(d, 11, 30)))
        #expect(LocalWindow.iso8601(utcMinute: C.utcMinute(d, 10, 30), zone: "Z/S", clock: clock) == "2026-03-10T11:30:00+01:00")
        #expect(LocalWindow.iso8601(utcMinute: C.utcMinute(d, 11, 30), zone: "Z/S", clock: clock) == "2026-03-10T11:30:00+00:00")
        let repeated = LocalWindow.minutes(on: d, bands: [C.band("11:00-12:00")], zone: "Z/S", clock: clock)
        #expect(repeated.count == 120)
    }

    /// A US-style change at 02:00 local leaves the 08:00-21:00 window whole, at the new offset.
    @Test(arguments: [(-300, -240), (-240, -300)])
    func switchAtTwoInTheMorning(before: Int, after: Int) {
        let switchAt = C.epoch(d, 2, offsetMinutes: before)
        let clock = self.clock.with("Z/US", before: before, after: after, atEpochSeconds: switchAt)
        let set = LocalWindow.minutes(on: d, bands: [.legal], zone: "Z/US", clock: clock)
        #expect(set.count == 780)
        #expect(set.intervals == [C.utcMinute(d, 8, offsetMinutes: after)..<C.utcMinute(d, 21, offsetMinutes: after)])
        let sign = after < 0 ? "-" : "+"
        let hh = abs(after) / 60
        #expect(LocalWindow.iso8601(utcMinute: set.minute(at: 0), zone: "Z/US", clock: clock)
            == "2026-03-10T08:00:00\(sign)0\(hh):00")
    }

    /// A change late on the previous evening (inside the +-15 h look-around): the new offset rules the day.
    @Test func switchOnThePreviousEvening() {
        let switchAt = C.epoch(d - 1, 23)
        let clock = self.clock.with("Z/E", before: 0, after: 120, atEpochSeconds: switchAt)
        let set = LocalWindow.minutes(on: d, bands: [.legal], zone: "Z/E", clock: clock)
        #expect(set.intervals == [C.utcMinute(d, 6)..<C.utcMinute(d, 19)])
    }

    @Test func twoZonesKeepOnlyTheCommonMinutes() {
        let both = LocalWindow.minutes(on: d, bands: [.legal], zones: ["Z/P8", "Z/P6"], clock: clock)
        // 08:00-21:00 at +8 is UTC 00-13; at +6 it is UTC 02-15: common UTC 02-13 = 10:00-21:00 at +8.
        #expect(both.intervals == [C.utcMinute(d, 2)..<C.utcMinute(d, 13)])
        #expect(both.count == 660)
        #expect(LocalWindow.minutes(on: d, bands: [.legal], zones: ["Z/P6", "Z/P8"], clock: clock) == both)
        #expect(LocalWindow.minutes(on: d, bands: [.legal], zones: ["Z/P8"], clock: clock)
            == LocalWindow.minutes(on: d, bands: [.legal], zone: "Z/P8", clock: clock))
        // UTC+8 and UTC-5 share no minute of 08:00-21:00 (+8 ends at 13:00 UTC, where -5 begins).
        #expect(LocalWindow.minutes(on: d, bands: [.legal], zones: ["Z/P8", "Z/M5"], clock: clock).isEmpty)
        #expect(LocalWindow.minutes(on: d, bands: [.legal], zones: [], clock: clock).isEmpty)
    }

    @Test func iso8601WithOffsets() {
        #expect(LocalWindow.iso8601(utcMinute: C.utcMinute(d, 0), zone: "Z/P8", clock: clock) == "2026-03-10T08:00:00+08:00")
        #expect(LocalWindow.iso8601(utcMinute: C.utcMinute(d, 1, 30), zone: "Z/M5", clock: clock) == "2026-03-09T20:30:00-05:00")
        #expect(LocalWindow.iso8601(utcMinute: C.utcMinute(d, 2, 15), zone: "Z/K", clock: clock) == "2026-03-10T08:00:00+05:45")
        #expect(LocalWindow.iso8601(utcMinute: C.utcMinute(d, 12), zone: "Z/NF", clock: clock) == "2026-03-10T08:30:00-03:30")
        #expect(LocalWindow.iso8601(utcMinute: C.utcMinute(d, 23, 59), zone: "Z/UTC", clock: clock) == "2026-03-10T23:59:00+00:00")
        #expect(LocalWindow.iso8601(utcMinute: -30, zone: "Z/UTC", clock: clock) == "1969-12-31T23:30:00+00:00")
    }

    @Test func localDayAcrossMidnight() {
        #expect(LocalWindow.localDay(epochSeconds: C.epoch(d, 3), zone: "Z/M5", clock: clock) == d - 1)
        #expect(LocalWindow.localDay(epochSeconds: C.epoch(d, 5), zone: "Z/M5", clock: clock) == d)
        #expect(LocalWindow.localDay(epochSeconds: C.epoch(d, 16), zone: "Z/P8", clock: clock) == d + 1)
        #expect(LocalWindow.localDay(epochSeconds: C.epoch(d, 15, 59), zone: "Z/P8", clock: clock) == d)
        #expect(LocalWindow.localDay(epochSeconds: C.epoch(d, 18, 15), zone: "Z/K", clock: clock) == d + 1)
        #expect(LocalWindow.localDay(epochSeconds: 3600, zone: "Z/M5", clock: clock) == C.day("1969-12-31"))
        #expect(LocalWindow.localDay(epochSeconds: -1, zone: "Z/UTC", clock: clock) == C.day("1969-12-31"))
        #expect(LocalWindow.localDay(epochSeconds: 0, zone: "Z/UTC", clock: clock) == C.day("1970-01-01"))
    }

    @Test func minuteSetNormalisesIntersectsAndIndexes() {
        let set = MinuteSet([20..<30, 0..<10, 5..<12, 12..<15, 40..<40])
        #expect(set.intervals == [0..<15, 20..<30])
        #expect(set.count == 25)
        #expect(set.minute(at: 0) == 0)
        #expect(set.minute(at: 14) == 14)
        #expect(set.minute(at: 15) == 20)
        #expect(set.minute(at: 24) == 29)
        #expect(set.contains(29) && !set.contains(30) && !set.contains(17))
        let other = MinuteSet([10..<22, 25..<26, 28..<100])
        #expect(set.intersection(other).intervals == [10..<15, 20..<22, 25..<26, 28..<30])
        #expect(other.intersection(set) == set.intersection(other))
        #expect(set.intersection(.empty).isEmpty)
        #expect(MinuteSet.empty.count == 0)
    }
}
