import DunningCore
import Testing
@testable import DunningIO

@Suite("Timestamp.parse")
struct TimestampTests {
    // 2026-01-01 is day 20454 (56 years since 1970, 14 of them leap); 2026-11-21 is 324 days later.
    static let nov21: Int64 = 20_454 + 324
    /// 2026-11-21T06:03:00Z.
    static let instant: Int64 = nov21 * 86_400 + 6 * 3600 + 3 * 60

    @Test("the same instant written in several offsets", arguments: [
        ("2026-11-21T06:03:00Z", "2026-11-21"),
        ("2026-11-21T14:03:00+08:00", "2026-11-21"),
        ("2026-11-21T14:03:00+0800", "2026-11-21"),
        ("2026-11-21T01:03:00-05:00", "2026-11-21"),
        ("2026-11-20T20:03:00-10:00", "2026-11-20"), // local date is the day before
        ("2026-11-21T06:03:00+00:00", "2026-11-21"),
        ("2026-11-21T06:03Z", "2026-11-21"),          // seconds are optional
        ("2026-11-21 14:03:00+08:00", "2026-11-21"),  // a space may replace the T
        ("2026-11-21T06:03:00.123Z", "2026-11-21"),   // fractional seconds
        ("2026-11-21T14:03:00.999999+08:00", "2026-11-21"),
        ("2026-11-21T11:48:00+05:45", "2026-11-21"),  // Nepal
    ])
    func sameInstant(text: String, localDay: String) throws {
        let parsed = try #require(Timestamp.parse(text))
        #expect(parsed.epochSeconds == Self.instant)
        #expect(parsed.localDay.description == localDay)
    }

    @Test func localDayIsAtTheEventsOwnOffset() throws {
        // 23:30 in New York on 2026-11-20 is 04:30 UTC on 2026-11-21.
        let parsed = try #require(Timestamp.parse("2026-11-20T23:30:00-05:00"))
        #expect(parsed.localDay.description == "2026-11-20")
        #expect(parsed.epochSeconds == Self.nov21 * 86_400 + 4 * 3600 + 30 * 60)
    }

    @Test func epochAnchors() {
        #expect(Timestamp.parse("1970-01-01T00:00:00Z")?.epochSeconds == 0)
        #expect(Timestamp.parse("1970-01-01T08:00:00+08:00")?.epochSeconds == 0)
        #expect(Timestamp.parse("1969-12-31T23:59:59Z")?.epochSeconds == -1)
        #expect(Timestamp.parse("2026-11-21T06:03:59Z")?.epochSeconds == Self.instant + 59)
        #expect(Timestamp.parse("2026-11-21T23:59:00+14:00")?.epochSeconds == Self.nov21 * 86_400 + 9 * 3600 + 59 * 60)
    }

    @Test("refused timestamps", arguments: [
        "2026-11-21T06:03:00",          // no offset
        "2026-02-20 10:00",             // no offset
        "2026-11-21T24:00:00Z",         // bad hour
        "2026-11-21T25:03:00+08:00",
        "2026-11-21T06:60:00Z",         // bad minute
        "2026-11-21T06:03:60Z",         // bad second
        "2026-02-30T06:03:00Z",         // no such date
        "2026-11-21T06:03:00+15:00",    // offset beyond 14 hours
        "2026-11-21T06:03:00+08:60",
        "2026-11-21T06:03:00+8:00",
        "2026-11-21T06:03:00.Z",        // a dot without digits
        "2026-11-21T06:03:00Zjunk",
        "2026-11-21T06:03:00+08:00x",
        "2026-11-21T6:03:00Z",
        "2026-11-21",
        "2026-11-21T",
        "",
        "2026-11-21X06:03:00Z",
        "2026-11-21T06-03-00Z",
        "2026-11-21T06:03:00 +08:00",
    ])
    func refused(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }
}
