import Testing
@testable import DunningCore

@Suite("SegmentRule and Strategy.segment")
struct SegmentTests {
    let m = Fixture.money

    @Test func catchAllMatchesEverything() {
        let rule = SegmentRule(name: "other")
        #expect(rule.isCatchAll)
        #expect(rule.matches(bucket: "M3+", score: nil, amountOverdue: .zero, product: "cash"))
        #expect(rule.matches(bucket: "current", score: 999, amountOverdue: m(1), product: "ecom"))
    }

    @Test func anyConditionMakesItNotCatchAll() {
        #expect(!SegmentRule(name: "a", buckets: ["M0"]).isCatchAll)
        #expect(!SegmentRule(name: "a", score: .unscored).isCatchAll)
        #expect(!SegmentRule(name: "a", minAmount: .zero).isCatchAll)
        #expect(!SegmentRule(name: "a", maxAmount: .zero).isCatchAll)
        #expect(!SegmentRule(name: "a", products: ["cash"]).isCatchAll)
    }

    @Test func bucketCondition() {
        let rule = SegmentRule(name: "late", buckets: ["M1", "M2"])
        #expect(rule.matches(bucket: "M1", score: nil, amountOverdue: .zero, product: "cash"))
        #expect(rule.matches(bucket: "M2", score: nil, amountOverdue: .zero, product: "cash"))
        #expect(!rule.matches(bucket: "M0", score: nil, amountOverdue: .zero, product: "cash"))
        #expect(!rule.matches(bucket: "current", score: nil, amountOverdue: .zero, product: "cash"))
    }

    @Test func unscoredVersusRange() {
        let unscored = SegmentRule(name: "u", score: .unscored)
        #expect(unscored.matches(bucket: "M0", score: nil, amountOverdue: .zero, product: "cash"))
        #expect(!unscored.matches(bucket: "M0", score: 0, amountOverdue: .zero, product: "cash"))
        #expect(!unscored.matches(bucket: "M0", score: 700, amountOverdue: .zero, product: "cash"))

        let range = SegmentRule(name: "r", score: .range(min: 600, max: 1000))
        #expect(!range.matches(bucket: "M0", score: nil, amountOverdue: .zero, product: "cash"))
        #expect(!range.matches(bucket: "M0", score: 599, amountOverdue: .zero, product: "cash"))
        #expect(range.matches(bucket: "M0", score: 600, amountOverdue: .zero, product: "cash"))
        #expect(range.matches(bucket: "M0", score: 1000, amountOverdue: .zero, product: "cash"))
        let narrow = SegmentRule(name: "n", score: .range(min: 0, max: 299))
        #expect(narrow.matches(bucket: "M0", score: 0, amountOverdue: .zero, product: "cash"))
        #expect(narrow.matches(bucket: "M0", score: 299, amountOverdue: .zero, product: "cash"))
        #expect(!narrow.matches(bucket: "M0", score: 300, amountOverdue: .zero, product: "cash"))
    }

    @Test func amountBoundsAreInclusive() {
        let rule = SegmentRule(name: "mid", minAmount: m(500_000), maxAmount: m(1_000_000))
        #expect(!rule.matches(bucket: "M1", score: nil, amountOverdue: m(499_999), product: "cash"))
        #expect(rule.matches(bucket: "M1", score: nil, amountOverdue: m(500_000), product: "cash"))
        #expect(rule.matches(bucket: "M1", score: nil, amountOverdue: m(1_000_000), product: "cash"))
        #expect(!rule.matches(bucket: "M1", score: nil, amountOverdue: m(1_000_001), product: "cash"))
    }

    @Test func productCondition() {
        let rule = SegmentRule(name: "ecom", products: ["ecom", "bnpl"])
        #expect(rule.matches(bucket: "M0", score: nil, amountOverdue: .zero, product: "bnpl"))
        #expect(!rule.matches(bucket: "M0", score: nil, amountOverdue: .zero, product: "cash"))
        #expect(!rule.matches(bucket: "M0", score: nil, amountOverdue: .zero, product: "Ecom"))
    }

    @Test func allConditionsMustHold() {
        let rule = SegmentRule(name: "x", buckets: ["M0"], score: .range(min: 600, max: 1000),
                               minAmount: m(100), products: ["cash"])
        #expect(rule.matches(bucket: "M0", score: 700, amountOverdue: m(100), product: "cash"))
        #expect(!rule.matches(bucket: "M1", score: 700, amountOverdue: m(100), product: "cash"))
        #expect(!rule.matches(bucket: "M0", score: 500, amountOverdue: m(100), product: "cash"))
        #expect(!rule.matches(bucket: "M0", score: 700, amountOverdue: m(99), product: "cash"))
        #expect(!rule.matches(bucket: "M0", score: 700, amountOverdue: m(100), product: "ecom"))
    }

    /// The default strategy's segments, in file order.
    var defaultSegments: [SegmentRule] {
        [
            SegmentRule(name: "pre_due", buckets: ["current"]),
            SegmentRule(name: "early_low_risk", buckets: ["M0"], score: .range(min: 600, max: 1000)),
            SegmentRule(name: "early_unscored", buckets: ["M0"], score: .unscored),
            SegmentRule(name: "early_high_risk", buckets: ["M0"]),
            SegmentRule(name: "late_large", buckets: ["M1", "M2", "M3+"], minAmount: m(500_000)),
            SegmentRule(name: "late_small", buckets: ["M1", "M2", "M3+"]),
            SegmentRule(name: "other"),
        ]
    }

    @Test("first matching segment wins", arguments: [
        ("current", Int?.some(900), Int64(0), "pre_due"),
        ("current", nil, 0, "pre_due"),
        ("M0", 600, 100, "early_low_risk"),
        ("M0", 599, 100, "early_high_risk"),
        ("M0", nil, 100, "early_unscored"),
        ("M0", 1000, 900_000, "early_low_risk"),
        ("M1", 900, 500_000, "late_large"),
        ("M1", 900, 499_999, "late_small"),
        ("M3+", nil, 10_000_000, "late_large"),
        ("OLD", 900, 100, "other"),
    ])
    func firstMatchWins(bucket: String, score: Int?, amount: Int64, expected: String) {
        let strategy = Fixture.strategy(segments: defaultSegments)
        #expect(strategy.segment(bucket: bucket, score: score, amountOverdue: m(amount), product: "cash") == expected)
    }

    @Test func orderMattersWhenRulesOverlap() {
        let broadFirst = Fixture.strategy(segments: [
            SegmentRule(name: "all_m0", buckets: ["M0"]),
            SegmentRule(name: "good_m0", buckets: ["M0"], score: .range(min: 600, max: 1000)),
            SegmentRule(name: "other"),
        ])
        #expect(broadFirst.segment(bucket: "M0", score: 900, amountOverdue: .zero, product: "cash") == "all_m0")
        let narrowFirst = Fixture.strategy(segments: [
            SegmentRule(name: "good_m0", buckets: ["M0"], score: .range(min: 600, max: 1000)),
            SegmentRule(name: "all_m0", buckets: ["M0"]),
            SegmentRule(name: "other"),
        ])
        #expect(narrowFirst.segment(bucket: "M0", score: 900, amountOverdue: .zero, product: "cash") == "good_m0")
        #expect(narrowFirst.segment(bucket: "M0", score: 100, amountOverdue: .zero, product: "cash") == "all_m0")
    }
}
