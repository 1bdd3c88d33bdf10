import DunningCore
import Foundation

/// UTC offsets from the system's tz database (Foundation `TimeZone`), daylight-saving included.
/// Zones are looked up once; an unknown name (never reaches here: inputs and strategies are
/// validated) falls back to UTC.
///
/// A night asks for offsets millions of times (every planned contact's local time), and each
/// `TimeZone` lookup costs about a microsecond, so the offsets of the hours around the night are
/// computed once. An hour holding a transition is not cached: it is always asked of `TimeZone`.
struct FoundationZoneClock: ZoneClock {
    private let zones: [String: TimeZone]
    /// Offsets in seconds per zone for each UTC hour from `firstHour`; nil where the hour holds a
    /// transition.
    private let hourly: [String: [Int32?]]
    private let firstHour: Int64

    /// `around`: the night whose hours are cached (three days either side).
    init(names: some Sequence<String>, around night: Day? = nil) {
        var zones: [String: TimeZone] = [:]
        for name in names where zones[name] == nil { zones[name] = TimeZone(identifier: name) }
        self.zones = zones
        let hours: Int64 = night == nil ? 0 : 24 * 7
        firstHour = night.map { Int64($0.number - 3) * 24 } ?? 0
        var hourly: [String: [Int32?]] = [:]
        for (name, zone) in zones where hours > 0 {
            var offsets: [Int32?] = []
            offsets.reserveCapacity(Int(hours))
            var start = Int32(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(firstHour * 3600))))
            for h in 0..<hours {
                let next = Int32(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval((firstHour + h + 1) * 3600))))
                // A transition inside the hour shows as a different offset at the next hour (no zone
                // changes twice within an hour).
                offsets.append(start == next ? start : nil)
                start = next
            }
            hourly[name] = offsets
        }
        self.hourly = hourly
    }

    func offsetSeconds(zone: String, atEpochSeconds epochSeconds: Int64) -> Int {
        let hour = (epochSeconds >= 0 ? epochSeconds : epochSeconds - 3599) / 3600 - firstHour
        if let table = hourly[zone], hour >= 0, hour < Int64(table.count), let offset = table[Int(hour)] {
            return Int(offset)
        }
        let tz = zones[zone] ?? TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!
        return tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(epochSeconds)))
    }
}
