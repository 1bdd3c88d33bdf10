import DunningCore
import Foundation

/// UTC offsets from the system's tz database (Foundation `TimeZone`), daylight-saving included.
/// Zones are looked up once; an unknown name (never reaches here: inputs and strategies are
/// validated) falls back to UTC.
struct FoundationZoneClock: ZoneClock {
    private let zones: [String: TimeZone]

    init(names: some Sequence<String>) {
        var zones: [String: TimeZone] = [:]
        for name in names where zones[name] == nil { zones[name] = TimeZone(identifier: name) }
        self.zones = zones
    }

    func offsetSeconds(zone: String, atEpochSeconds epochSeconds: Int64) -> Int {
        let tz = zones[zone] ?? TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!
        return tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(epochSeconds)))
    }
}
