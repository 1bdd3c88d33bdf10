@testable import DunningCore
import Testing

@Suite("Allocation: exact fair shares")
struct ApportionmentTests {
    @Test func equalWeightsSplitWithinOneCase() {
        let whole = Apportionment.wholeCases(Apportionment.fairShares(total: 10, shares: [1, 1, 1], floors: [0, 0, 0],
                                                                      caps: [100, 100, 100]))
        #expect(whole == [4, 3, 3])
    }

    @Test func weightsAreProportional() {
        let shares = Apportionment.fairShares(total: 300, shares: [1000, 500, 1500], floors: [0, 0, 0], caps: [1000, 1000, 1000])
        #expect(shares.map(\.hundredths) == [10_000, 5_000, 15_000])
        #expect(Apportionment.wholeCases(shares) == [100, 50, 150])
    }

    @Test func aCapPassesTheRestToTheOthers() {
        let shares = Apportionment.fairShares(total: 90, shares: [1, 1, 1], floors: [0, 0, 0], caps: [10, 100, 100])
        #expect(shares.map(\.hundredths) == [1_000, 4_000, 4_000])
    }

    @Test func aMemberAboveTheLevelTakesNothingMore() {
        // 30 kept by the first; 30 more to share: the level is 20, which the first already exceeds.
        let whole = Apportionment.wholeCases(Apportionment.fairShares(total: 60, shares: [1, 1, 1], floors: [30, 0, 0],
                                                                      caps: [100, 100, 100]))
        #expect(whole == [30, 15, 15])
    }

    @Test func moreCasesThanCapacityFillsEveryCap() {
        let whole = Apportionment.wholeCases(Apportionment.fairShares(total: 500, shares: [1, 2], floors: [0, 0], caps: [10, 20]))
        #expect(whole == [10, 20])
    }

    /// Random weights, floors and caps: the whole numbers add up, respect floors and caps, and are
    /// within one case of the exact share; the exact shares are clamped multiples of one level.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func randomSharesKeepEveryGuarantee(seed: UInt64) {
        var rng = SplitMix64(state: seed)
        let n = 1 + rng.below(40)
        let shares = (0..<n).map { _ in Int64(1 + rng.below(3000)) }
        let floors = (0..<n).map { _ in rng.below(3) == 0 ? rng.below(50) : 0 }
        let caps = floors.map { $0 + rng.below(200) }
        let total = rng.below(caps.reduce(0, +) + 50)
        let fair = Apportionment.fairShares(total: total, shares: shares, floors: floors, caps: caps)
        let whole = Apportionment.wholeCases(fair)
        let expectedTotal = min(max(total, floors.reduce(0, +)), caps.reduce(0, +))
        #expect(whole.reduce(0, +) == expectedTotal)
        for i in 0..<n {
            #expect(whole[i] >= floors[i] && whole[i] <= caps[i])
            let exact = Double(fair[i].numerator) / Double(fair[i].denominator)
            #expect(abs(Double(whole[i]) - exact) < 1.0)
        }
        // Members strictly between floor and cap share one level: share_i / weight_i is equal.
        let free = (0..<n).filter { i in
            let exact = Double(fair[i].numerator) / Double(fair[i].denominator)
            return exact > Double(floors[i]) + 1e-9 && exact < Double(caps[i]) - 1e-9
        }
        if let first = free.first {
            let level = Double(fair[first].numerator) / Double(fair[first].denominator) / Double(shares[first])
            for i in free {
                let other = Double(fair[i].numerator) / Double(fair[i].denominator) / Double(shares[i])
                #expect(abs(other - level) < 1e-9 * max(1, level))
            }
            // Nobody at its floor would rise below the level; nobody at its cap is under it.
            for i in 0..<n where !free.contains(i) {
                let exact = Double(fair[i].numerator) / Double(fair[i].denominator)
                if exact == Double(floors[i]) && floors[i] != caps[i] { #expect(Double(floors[i]) >= level * Double(shares[i]) - 1e-6) }
                if exact == Double(caps[i]) && floors[i] != caps[i] { #expect(Double(caps[i]) <= level * Double(shares[i]) + 1e-6) }
            }
        }
    }

    @Test func releaseWindowPicksTheRunClosestToTheAmount() {
        let amounts: [Int64] = [1, 2, 3, 10, 20, 30]
        #expect(LoadBalancer.releaseWindow(sortedAmounts: amounts, count: 2, amount: 30) == 3)   // 10 + 20
        #expect(LoadBalancer.releaseWindow(sortedAmounts: amounts, count: 2, amount: 0) == 0)    // the smallest
        #expect(LoadBalancer.releaseWindow(sortedAmounts: amounts, count: 2, amount: 1_000) == 4) // the largest
    }
}
