import Testing
@testable import DunningCore

@Suite("Rate")
struct RateTests {
    @Test("decimal text to nanos (rate x 10^9)", arguments: [
        ("0.0005", Int64(500_000)),
        ("0.24", 240_000_000),
        ("1", 1_000_000_000),
        ("1.5", 1_500_000_000),
        ("0", 0),
        ("0.000000001", 1),
        ("0.123456789", 123_456_789),
        (".24", 240_000_000),     // docs/strategy.md value syntax
        ("999999", 999_999_000_000_000), // six whole digits is the limit
        ("12", 12_000_000_000),
    ])
    func parses(text: String, nanos: Int64) throws {
        let rate = try #require(Rate(decimal: text))
        #expect(rate.nanos == nanos)
    }

    @Test("refused rates", arguments: [
        "", ".", "-0.0005", "+0.0005", "1e-3", "0.0000000001", "0,5", "0.5.1", " 0.5", "0.5 ", "abc", "1234567", "5e-4",
    ])
    func rejects(text: String) {
        #expect(Rate(decimal: text) == nil)
    }

    @Test func description() {
        #expect(Rate(nanos: 500_000).description == "0.0005")
        #expect(Rate(nanos: 240_000_000).description == "0.24")
        #expect(Rate(nanos: 1_000_000_000).description == "1")
        #expect(Rate(nanos: 1).description == "0.000000001")
        #expect(Rate(nanos: 2_500_000_000).description == "2.5")
    }
}

@Suite("RoundingRule")
struct RoundingRuleTests {
    // (numerator, denominator, half_up, half_even, down), worked out by hand.
    static let cases: [(Int, Int, Int, Int, Int)] = [
        (5, 10, 1, 0, 0),     // 0.5: exact half, even neighbour is 0
        (15, 10, 2, 2, 1),    // 1.5: exact half, even neighbour is 2
        (25, 10, 3, 2, 2),    // 2.5: exact half, even neighbour is 2
        (35, 10, 4, 4, 3),    // 3.5
        (1, 2, 1, 0, 0),      // 0.5 with denominator 2
        (3, 2, 2, 2, 1),      // 1.5
        (14, 10, 1, 1, 1),    // 1.4: below half
        (16, 10, 2, 2, 1),    // 1.6: above half
        (24, 10, 2, 2, 2),    // 2.4
        (26, 10, 3, 3, 2),    // 2.6
        (0, 7, 0, 0, 0),
        (21, 7, 3, 3, 3),     // exact integer
        (500_000_001, 1_000_000_000, 1, 1, 0), // just above half
        (499_999_999, 1_000_000_000, 0, 0, 0), // just below half
        (2_500_000_000, 1_000_000_000, 3, 2, 2),
    ]

    @Test func halfUp() {
        for (n, d, expected, _, _) in Self.cases {
            #expect(RoundingRule.halfUp.round(Int128(n), over: Int128(d)) == Int128(expected), "\(n)/\(d)")
        }
    }

    @Test func halfEven() {
        for (n, d, _, expected, _) in Self.cases {
            #expect(RoundingRule.halfEven.round(Int128(n), over: Int128(d)) == Int128(expected), "\(n)/\(d)")
        }
    }

    @Test func down() {
        for (n, d, _, _, expected) in Self.cases {
            #expect(RoundingRule.down.round(Int128(n), over: Int128(d)) == Int128(expected), "\(n)/\(d)")
        }
    }

    @Test func rawValuesMatchStrategyVocabulary() {
        #expect(RoundingRule(rawValue: "half_up") == .halfUp)
        #expect(RoundingRule(rawValue: "half_even") == .halfEven)
        #expect(RoundingRule(rawValue: "down") == .down)
        #expect(RoundingRule(rawValue: "up") == nil)
    }
}
