/// A calendar date in the lender's business calendar, stored as a day number.
///
/// Day 0 is 1970-01-01 in the proleptic Gregorian calendar. Day numbers make DPD a subtraction
/// and keep dates out of `Foundation.Date`, whose instants depend on a time zone.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let number: Int32

    public init(number: Int32) { self.number = number }

    /// The day for a valid year, month (1...12) and day of month, or nil when the date does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= Day.daysInMonth(year: year, month: month) else { return nil }
        self.number = Int32(Day.daysFromCivil(year: year, month: month, day: day))
    }

    /// Parses exactly `YYYY-MM-DD`; rejects impossible dates such as 2026-02-30.
    public init?(iso text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard let parsed = Day.parse(bytes[...]) else { return nil }
        self = parsed
    }

    /// Parses exactly `YYYY-MM-DD` from UTF-8 bytes.
    public static func parse(_ bytes: ArraySlice<UInt8>) -> Day? {
        bytes.withUnsafeBufferPointer { parse($0) }
    }

    /// Parses exactly `YYYY-MM-DD` from UTF-8 bytes in place (the loaders' hot path).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Day? {
        guard bytes.count == 10 else { return nil }
        let b = 0
        guard bytes[b + 4] == UInt8(ascii: "-"), bytes[b + 7] == UInt8(ascii: "-") else { return nil }
        func digits(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for i in from..<(from + count) {
                let c = bytes[b + i]
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard let y = digits(0, 4), let m = digits(5, 2), let d = digits(8, 2) else { return nil }
        return Day(year: y, month: m, day: d)
    }

    public var components: (year: Int, month: Int, day: Int) {
        Day.civilFromDays(Int(number))
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (y, m, d) = components
        guard (0...9999).contains(y) else { return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) }
        // Ten ASCII bytes, written in place: dates are formatted millions of times a night.
        return String(unsafeUninitializedCapacity: 10) { out in
            out[0] = UInt8(48 + y / 1000 % 10); out[1] = UInt8(48 + y / 100 % 10)
            out[2] = UInt8(48 + y / 10 % 10); out[3] = UInt8(48 + y % 10)
            out[4] = UInt8(ascii: "-"); out[5] = UInt8(48 + m / 10); out[6] = UInt8(48 + m % 10)
            out[7] = UInt8(ascii: "-"); out[8] = UInt8(48 + d / 10); out[9] = UInt8(48 + d % 10)
            return 10
        }
    }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.number < rhs.number }

    public static func + (lhs: Day, days: Int) -> Day { Day(number: lhs.number + Int32(days)) }
    public static func - (lhs: Day, days: Int) -> Day { Day(number: lhs.number - Int32(days)) }
    /// Calendar days from `rhs` to `lhs`.
    public static func - (lhs: Day, rhs: Day) -> Int { Int(lhs.number) - Int(rhs.number) }

    /// The same day of the month `months` later, clamped to the last day of a shorter month
    /// (2024-01-31 + 1 month = 2024-02-29; 2024-02-29 + 12 months = 2025-02-28).
    public func addingMonths(_ months: Int) -> Day {
        let (y, m, d) = components
        let total = (y * 12 + (m - 1)) + months
        let year = total / 12, month = total % 12 + 1
        let day = min(d, Day.daysInMonth(year: year, month: month))
        return Day(number: Int32(Day.daysFromCivil(year: year, month: month, day: day)))
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

@inline(__always)
public func pad(_ value: Int, _ width: Int) -> String {
    let s = String(value)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
