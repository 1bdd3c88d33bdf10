import Testing
@testable import DunningCore

/// An independent calendar used as the oracle for `Day`: Gregorian leap rule written out by hand.
private func monthLength(_ year: Int, _ month: Int) -> Int {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
}

private func day(_ text: String) -> Day {
    guard let d = Day(iso: text) else {
        Issue.record("fixture date \(text) did not parse")
        return Day(number: 0)
    }
    return d
}

@Suite("Day parsing")
struct DayParsingTests {
    @Test("valid dates parse to their components", arguments: [
        ("2026-03-10", 2026, 3, 10),
        ("2024-02-29", 2024, 2, 29),
        ("2000-02-29", 2000, 2, 29),
        ("1970-01-01", 1970, 1, 1),
        ("0001-01-01", 1, 1, 1),
        ("9999-12-31", 9999, 12, 31),
        ("2026-12-31", 2026, 12, 31),
    ])
    func parsesValid(text: String, year: Int, month: Int, dayOfMonth: Int) throws {
        let d = try #require(Day(iso: text))
        #expect(d.components.year == year)
        #expect(d.components.month == month)
        #expect(d.components.day == dayOfMonth)
    }

    @Test("impossible or malformed dates are rejected", arguments: [
        "2026-02-30", // February never has 30 days
        "2025-02-29", // 2025 is not a leap year
        "1900-02-29", // divisible by 100, not by 400
        "2026-04-31", // April has 30 days
        "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32",
        "0000-01-01", // year 0 is outside 1...9999
        "2026-3-10", "2026-03-1", "26-03-10", "2026/03/10", "20260310",
        " 2026-03-10", "2026-03-10 ", "2026-03-10T00:00", "+026-03-10", "2026-0a-10", "2026--3-10",
        "", "yyyy-mm-dd", "２０２６-03-10",
    ])
    func rejectsInvalid(text: String) {
        #expect(Day(iso: text) == nil)
    }

    @Test func byteParserMatchesStringParser() {
        let bytes = Array("xx2024-02-29yy".utf8)
        #expect(Day.parse(bytes[2..<12]) == Day(year: 2024, month: 2, day: 29))
        #expect(Day.parse(bytes[2..<11]) == nil)
    }

    @Test func componentInitialiserValidates() {
        #expect(Day(year: 2024, month: 2, day: 29) != nil)
        #expect(Day(year: 2023, month: 2, day: 29) == nil)
        #expect(Day(year: 2026, month: 6, day: 31) == nil)
        #expect(Day(year: 2026, month: 13, day: 1) == nil)
        #expect(Day(year: 10000, month: 1, day: 1) == nil)
    }
}

@Suite("Day numbers and arithmetic")
struct DayArithmeticTests {
    @Test func epochAnchors() {
        // 1970-01-01 is day 0.
        #expect(day("1970-01-01").number == 0)
        #expect(day("1969-12-31").number == -1)
        #expect(day("1970-02-01").number == 31)
        // 1970..1999: 30 years, 7 leap years (1972..1996) -> 30*365 + 7 = 10957.
        #expect(day("2000-01-01").number == 10957)
        // 2000 is a leap year: Jan 31 + Feb 29.
        #expect(day("2000-03-01").number == 10957 + 60)
        // 1970..2025: 56 years, 14 leap years (1972..2024) -> 56*365 + 14 = 20454.
        #expect(day("2026-01-01").number == 20454)
        #expect(Day(number: 20454).description == "2026-01-01")
    }

    @Test func addingAndSubtractingDays() {
        let d = day("2026-02-27")
        #expect((d + 1).description == "2026-02-28")
        #expect((d + 2).description == "2026-03-01") // 2026 is not leap
        #expect((day("2024-02-28") + 1).description == "2024-02-29")
        #expect((day("2024-02-28") + 2).description == "2024-03-01")
        #expect((day("2026-01-01") - 1).description == "2025-12-31")
        #expect((day("2026-12-31") + 1).description == "2027-01-01")
        #expect((d + 365).description == "2027-02-27")
        #expect((d - 0) == d)
    }

    @Test func differenceInDays() {
        #expect(day("2026-03-10") - day("2026-03-10") == 0)
        #expect(day("2026-03-12") - day("2026-03-10") == 2)
        #expect(day("2026-03-08") - day("2026-03-10") == -2)
        // 2024 is a leap year: 366 days from 2024-01-01 to 2025-01-01.
        #expect(day("2025-01-01") - day("2024-01-01") == 366)
        #expect(day("2026-01-01") - day("2025-01-01") == 365)
        // 2024-02-29 -> 2025-02-28: Mar 2024..Feb 2025 = 365 days minus one.
        #expect(day("2025-02-28") - day("2024-02-29") == 365)
    }

    @Test func ordering() {
        #expect(day("2026-03-09") < day("2026-03-10"))
        #expect(day("2025-12-31") < day("2026-01-01"))
        #expect(!(day("2026-03-10") < day("2026-03-10")))
        #expect(day("1969-12-31") < day("1970-01-01"))
    }

    /// Walks consecutive day numbers through 1600-01-01 ... 2400-12-31 and checks every step against
    /// a hand-written calendar, and that the description parses back to the same day.
    @Test func descriptionRoundTripOverWideRange() throws {
        var (y, m, d) = (1600, 1, 1)
        var current = try #require(Day(year: 1600, month: 1, day: 1))
        var failures = 0
        while y <= 2400 {
            let expected = pad4(y) + "-" + pad2(m) + "-" + pad2(d)
            if current.description != expected || Day(iso: expected) != current {
                failures += 1
                if failures < 5 { Issue.record("day \(current.number): got \(current.description), expected \(expected)") }
            }
            // Next day by hand.
            d += 1
            if d > monthLength(y, m) { d = 1; m += 1 }
            if m > 12 { m = 1; y += 1 }
            current = current + 1
        }
        #expect(failures == 0)
    }

    @Test func extremesRoundTrip() throws {
        for text in ["0001-01-01", "0001-12-31", "0400-02-29", "9999-12-31", "1583-10-15"] {
            let d = try #require(Day(iso: text))
            #expect(d.description == text)
            #expect(Day(number: d.number) == d)
        }
    }

    private func pad4(_ v: Int) -> String { String(repeating: "0", count: 4 - String(v).count) + String(v) }
    private func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}

@Suite("Day.addingMonths")
struct AddingMonthsTests {
    @Test("clamps to the end of a shorter month", arguments: [
        ("2024-01-31", 1, "2024-02-29"),
        ("2025-01-31", 1, "2025-02-28"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", 48, "2028-02-29"),
        ("2025-03-31", 12, "2026-03-31"),
        ("2026-03-31", 1, "2026-04-30"),
        ("2026-05-31", 4, "2026-09-30"),
        ("2026-01-15", 1, "2026-02-15"),
        ("2026-11-30", 2, "2027-01-30"),
        ("2026-12-31", 1, "2027-01-31"),
        ("2026-03-10", 12, "2027-03-10"),
        ("2026-03-10", 0, "2026-03-10"),
        ("2026-08-31", 6, "2027-02-28"),
        ("2027-08-31", 6, "2028-02-29"),
        ("2026-03-31", -1, "2026-02-28"),
        ("2026-01-31", -2, "2025-11-30"),
    ])
    func addingMonths(start: String, months: Int, expected: String) throws {
        let d = try #require(Day(iso: start))
        #expect(d.addingMonths(months).description == expected)
    }
}
