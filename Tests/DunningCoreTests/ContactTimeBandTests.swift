@testable import DunningCore
import Testing

@Suite("Contact: TimeBand parse, intersection, subtract")
struct ContactTimeBandTests {
    @Test(arguments: [
        ("08:00-21:00", 480, 1260), ("09:30-12:45", 570, 765), ("00:00-24:00", 0, 1440),
        (" 12:00 - 13:30 ", 720, 810), ("20:59-21:00", 1259, 1260),
    ])
    func validBandsParse(text: String, start: Int, end: Int) {
        #expect(TimeBand.parse(text) == TimeBand(start: start, end: end))
    }

    @Test(arguments: [
        "8:00-9:00", "08:00-9:00", "08:0-09:00", "08:00-24:01", "24:01-24:02", "25:00-26:00", "08:60-09:00",
        "08:00", "08:00-", "-09:00", "08:00-09:00-10:00", "0800-0900", "ab:cd-ef:gh", "", "08:00–09:00",
    ])
    func malformedBandsDoNotParse(text: String) {
        #expect(TimeBand.parse(text) == nil)
    }

    /// A reversed band is not a band: it parses to nothing usable (the strategy loader rejects it).
    @Test func reversedBandIsEmpty() {
        let band = TimeBand.parse("21:00-08:00")
        #expect(band == nil || band!.isEmpty)
        #expect(TimeBand(start: 600, end: 600).isEmpty)
    }

    /// A sign is not a digit of a 24-hour clock.
    @Test func signedHoursAreRejected() {
        #expect(TimeBand.parse("+9:00-10:00") == nil)
    }

    @Test func descriptionRoundTrips() {
        #expect(TimeBand(start: 570, end: 765).description == "09:30-12:45")
        #expect(TimeBand.legal.description == "08:00-21:00")
        #expect(TimeBand.parse(TimeBand(start: 5, end: 1440).description) == TimeBand(start: 5, end: 1440))
    }

    @Test func intersection() {
        let legal = TimeBand.legal
        #expect(legal.intersection(C.band("09:00-20:00")) == C.band("09:00-20:00"))
        #expect(legal.intersection(C.band("06:00-10:00")) == C.band("08:00-10:00"))
        #expect(C.band("20:00-23:00").intersection(legal) == C.band("20:00-21:00"))
        #expect(C.band("09:00-11:00").intersection(C.band("14:00-18:00")).isEmpty)
        #expect(C.band("09:00-12:00").intersection(C.band("12:00-13:00")).isEmpty)
    }

    @Test func subtractLunch() {
        #expect(TimeBand.subtract([C.band("12:00-13:00")], from: [.legal])
            == [C.band("08:00-12:00"), C.band("13:00-21:00")])
    }

    @Test func subtractEdgesAndSeveralCuts() {
        // Cuts that overlap the edges only trim; a cut outside the band changes nothing.
        #expect(TimeBand.subtract([C.band("07:00-09:00")], from: [.legal]) == [C.band("09:00-21:00")])
        #expect(TimeBand.subtract([C.band("20:30-22:00")], from: [.legal]) == [C.band("08:00-20:30")])
        #expect(TimeBand.subtract([C.band("06:00-07:00")], from: [.legal]) == [.legal])
        // Touching bands do not cut.
        #expect(TimeBand.subtract([C.band("21:00-22:00"), C.band("07:00-08:00")], from: [.legal]) == [.legal])
        // Several cuts, given out of order, overlapping each other.
        #expect(TimeBand.subtract([C.band("17:00-18:00"), C.band("12:00-13:30"), C.band("13:00-14:00")], from: [.legal])
            == [C.band("08:00-12:00"), C.band("14:00-17:00"), C.band("18:00-21:00")])
        // A cut covering everything leaves nothing; empty bands are dropped.
        #expect(TimeBand.subtract([C.band("00:00-24:00")], from: [.legal]).isEmpty)
        #expect(TimeBand.subtract([], from: [TimeBand(start: 600, end: 500)]).isEmpty)
        // Several input bands come back sorted.
        #expect(TimeBand.subtract([C.band("10:00-11:00")], from: [C.band("15:00-16:00"), C.band("09:00-12:00")])
            == [C.band("09:00-10:00"), C.band("11:00-12:00"), C.band("15:00-16:00")])
    }
}
