import DunningCore
import Foundation
import Testing
@testable import DunningEngine

/// The clock caches the offsets of the hours around a night; it must answer exactly as the tz
/// database does, across daylight-saving transitions and odd offsets.
@Suite struct ZoneClockCacheTests {
    @Test(arguments: [
        ("America/New_York", "2026-03-08"),    // spring forward at 02:00 local
        ("America/New_York", "2026-11-01"),    // fall back
        ("Australia/Lord_Howe", "2026-04-05"), // a 30-minute daylight-saving shift
        ("Asia/Kathmandu", "2026-11-22"),      // +05:45
        ("Asia/Shanghai", "2026-11-22"),
    ])
    func cachedOffsetsEqualTheTzDatabase(zone: String, night: String) throws {
        let day = try #require(Day(iso: night))
        let cached = FoundationZoneClock(names: [zone], around: day)
        let tz = try #require(TimeZone(identifier: zone))
        // Every 5 minutes from four days before to four days after (beyond the cached week too).
        let start = Int64(day.number - 4) * 86_400
        for step in 0..<(8 * 288) {
            let t = start + Int64(step) * 300
            #expect(cached.offsetSeconds(zone: zone, atEpochSeconds: t) == tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))),
                    "\(zone) at \(t)")
        }
    }
}
