import Testing
@testable import DunningCore

@Suite("BucketScheme")
struct BucketTests {
    let scheme = Fixture.defaultBuckets

    @Test("DPD to bucket with the seeds' edges", arguments: [
        (-2, "current", -1), (0, "current", -1),
        (1, "M0", 0), (30, "M0", 0),
        (31, "M1", 1), (60, "M1", 1),
        (61, "M2", 2), (90, "M2", 2),
        (91, "M3+", 3), (365, "M3+", 3), (10_000, "M3+", 3),
    ])
    func bucketForDPD(dpd: Int, name: String, index: Int) {
        #expect(scheme.index(forDPD: dpd) == index)
        #expect(scheme.name(forDPD: dpd) == name)
    }

    @Test func namesAndIndices() {
        #expect(BucketScheme.current == "current")
        #expect(scheme.name(atIndex: -1) == "current")
        #expect(scheme.name(atIndex: 0) == "M0")
        #expect(scheme.name(atIndex: 3) == "M3+")
        #expect(scheme.index(ofName: "current") == -1)
        #expect(scheme.index(ofName: "M2") == 2)
        #expect(scheme.index(ofName: "M3+") == 3)
        #expect(scheme.index(ofName: "M9") == nil)
    }

    @Test func firstBucketStartingAtZero() {
        // Bank convention variant: M0 = DPD 0 (due today), M1 = 1-30, M2 = 31+.
        let bank = BucketScheme([
            Bucket(name: "M0", minDPD: 0, maxDPD: 0),
            Bucket(name: "M1", minDPD: 1, maxDPD: 30),
            Bucket(name: "M2", minDPD: 31, maxDPD: nil),
        ])
        #expect(bank.name(forDPD: -1) == "current")
        #expect(bank.name(forDPD: 0) == "M0")
        #expect(bank.name(forDPD: 1) == "M1")
        #expect(bank.name(forDPD: 30) == "M1")
        #expect(bank.name(forDPD: 31) == "M2")
    }
}
