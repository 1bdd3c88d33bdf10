/// UTC offsets of IANA time zones, supplied by the caller so that the core stays free of IO.
/// The engine answers from the system's tz database; tests may answer from a table.
public protocol ZoneClock: Sendable {
    /// Seconds to add to UTC to get local time in `zone` at the UTC instant `epochSeconds`.
    func offsetSeconds(zone: String, atEpochSeconds epochSeconds: Int64) -> Int
}

/// Half-open intervals `[start, end)` of UTC minutes since 1970-01-01T00:00Z, sorted and disjoint.
public struct MinuteSet: Sendable, Equatable {
    public private(set) var intervals: [Range<Int64>]

    public init(_ intervals: [Range<Int64>]) {
        self.intervals = MinuteSet.normalized(intervals)
    }

    public static let empty = MinuteSet([])

    public var isEmpty: Bool { intervals.isEmpty }
    public var count: Int64 { intervals.reduce(0) { $0 + Int64($1.count) } }

    public func contains(_ minute: Int64) -> Bool { intervals.contains { $0.contains(minute) } }

    public func intersection(_ other: MinuteSet) -> MinuteSet {
        var result: [Range<Int64>] = []
        var i = 0, j = 0
        while i < intervals.count, j < other.intervals.count {
            let a = intervals[i], b = other.intervals[j]
            let lo = max(a.lowerBound, b.lowerBound), hi = min(a.upperBound, b.upperBound)
            if lo < hi { result.append(lo..<hi) }
            if a.upperBound < b.upperBound { i += 1 } else { j += 1 }
        }
        return MinuteSet(result)
    }

    /// The `n`-th minute of the set in ascending order (0-based); `n < count`.
    public func minute(at n: Int64) -> Int64 {
        var rest = n
        for interval in intervals {
            if rest < Int64(interval.count) { return interval.lowerBound + rest }
            rest -= Int64(interval.count)
        }
        return intervals.last!.upperBound - 1
    }

    private static func normalized(_ input: [Range<Int64>]) -> [Range<Int64>] {
        let sorted = input.filter { !$0.isEmpty }.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int64>] = []
        for r in sorted {
            if let last = merged.last, r.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        return merged
    }
}

/// Turns local clock bands on a local date into UTC minutes, daylight-saving changes included.
public enum LocalWindow {
    /// The UTC minutes whose local time in `zone` falls on `day` inside one of `bands`.
    /// A local time skipped by a spring-forward change does not exist and is never used; a local
    /// time repeated by a fall-back change is usable in both of its occurrences.
    public static func minutes(on day: Day, bands: [TimeBand], zone: String, clock: some ZoneClock) -> MinuteSet {
        let dayStart = Int64(day.number) * 1440
        // Every UTC minute whose local date can be `day` lies within the day +/- 15 hours.
        let lo = dayStart - 15 * 60, hi = dayStart + 1440 + 15 * 60
        func offsetMinutes(_ utcMinute: Int64) -> Int64 {
            Int64(clock.offsetSeconds(zone: zone, atEpochSeconds: utcMinute * 60) / 60)
        }
        let first = offsetMinutes(lo), last = offsetMinutes(hi)
        var result: [Range<Int64>] = []
        if first == last, offsetMinutes((lo + hi) / 2) == first {
            // No change of offset around this day (the common case): plain arithmetic.
            for band in bands where !band.isEmpty {
                result.append((dayStart + Int64(band.start) - first)..<(dayStart + Int64(band.end) - first))
            }
            return MinuteSet(result)
        }
        // An offset change nearby: test each UTC minute's local time.
        var start: Int64?
        var m = lo
        while m < hi {
            let local = m + offsetMinutes(m) - dayStart
            let inside = local >= 0 && local < 1440 && bands.contains { Int64($0.start) <= local && local < Int64($0.end) }
            if inside, start == nil { start = m }
            if !inside, let s = start { result.append(s..<m); start = nil }
            m += 1
        }
        if let s = start { result.append(s..<hi) }
        return MinuteSet(result)
    }

    /// The minutes inside the bands in every candidate zone (`Asia/Shanghai|Asia/Urumqi`).
    public static func minutes(on day: Day, bands: [TimeBand], zones: [String], clock: some ZoneClock) -> MinuteSet {
        var result: MinuteSet?
        for zone in zones {
            let set = minutes(on: day, bands: bands, zone: zone, clock: clock)
            result = result.map { $0.intersection(set) } ?? set
        }
        return result ?? .empty
    }

    /// `2026-03-08T09:30:00-04:00`: the UTC minute as local time in `zone`, with its offset.
    public static func iso8601(utcMinute: Int64, zone: String, clock: some ZoneClock) -> String {
        let offset = Int64(clock.offsetSeconds(zone: zone, atEpochSeconds: utcMinute * 60) / 60)
        let local = utcMinute + offset
        let day = Day(number: Int32(floorDiv(local, 1440)))
        let minuteOfDay = Int(local - Int64(day.number) * 1440)
        let sign = offset < 0 ? "-" : "+"
        let abs = Int(offset < 0 ? -offset : offset)
        return "\(day)T\(pad(minuteOfDay / 60, 2)):\(pad(minuteOfDay % 60, 2)):00\(sign)\(pad(abs / 60, 2)):\(pad(abs % 60, 2))"
    }

    /// The local date in `zone` of a UTC instant.
    public static func localDay(epochSeconds: Int64, zone: String, clock: some ZoneClock) -> Day {
        let local = epochSeconds + Int64(clock.offsetSeconds(zone: zone, atEpochSeconds: epochSeconds))
        return Day(number: Int32(floorDiv(local, 86_400)))
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
}
