import DunningCore
import Foundation

/// Milliseconds per phase of a run.
struct PhaseClock {
    private var last = DispatchTime.now().uptimeNanoseconds
    private(set) var laps: [String: Int] = [:]

    mutating func lap(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        laps[name] = Int((now - last) / 1_000_000)
        last = now
    }

    /// A phase timed elsewhere (on another thread, overlapping the laps).
    mutating func record(_ name: String, _ milliseconds: Int) { laps[name] = milliseconds }
}

extension NightlyRun {
    /// Refuses an as-of date far from this machine's clock before anything is opened or locked.
    static func checkPlausible(_ asOf: Day, now: Date, zone: String) throws(RunError) {
        let today = BusinessCalendar.today(in: zone, now: now)
        let hint = "check --as-of (or DUNNING_AS_OF) and the machine's clock; for a simulation pass --allow-any-date"
        if asOf - today > RunOptions.maximumDaysAhead {
            throw .usage("as-of \(asOf) is \(asOf - today) days after today (\(today) in \(zone) by this machine's clock): a business date cannot be in the future; \(hint)")
        }
        if today - asOf > RunOptions.maximumDaysBehind {
            throw .usage("as-of \(asOf) is \(today - asOf) days before today (\(today) in \(zone) by this machine's clock), more than ten years; \(hint)")
        }
    }
}

/// "Today" in the lender's business calendar.
public enum BusinessCalendar {
    public static func today(in zone: String, now: Date = Date()) -> Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return Day(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}
