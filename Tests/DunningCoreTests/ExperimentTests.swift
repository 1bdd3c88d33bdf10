@testable import DunningCore
import Foundation
import Testing

/// Champion/challenger splits: stable, within tolerance of their percentages, and moving as few
/// customers as possible when percentages change (docs/strategy.md#experiments).
@Suite("Experiments: variant assignment")
struct ExperimentTests {
    static let customers = (1...100_000).map { "C" + pad($0, 7) }

    static func experiment(_ shares: [(String, Int)], name: String = "m0_test") -> Experiment {
        Experiment(name: name, variants: shares.map { Experiment.Variant(name: $0.0, treatment: "t_" + $0.0, basisPoints: $0.1) })
    }

    static func split(_ e: Experiment) -> [String] {
        customers.map { e.variants[e.variantIndex(customerID: $0)].name }
    }

    /// Tolerance (docs): on 100,000 customers each variant's share is within 0.5 percentage
    /// points of its percentage (more than three standard deviations of a fair draw).
    @Test(arguments: [
        [("champion", 8_000), ("challenger", 2_000)],
        [("a", 5_000), ("b", 5_000)],
        [("a", 3_334), ("b", 3_333), ("c", 3_333)],
        [("champion", 9_900), ("pilot", 100)],
        [("a", 1_250), ("b", 2_500), ("c", 6_250)],
    ])
    func sharesAreWithinTolerance(shares: [(String, Int)]) {
        let names = Self.split(Self.experiment(shares))
        var counts: [String: Int] = [:]
        for n in names { counts[n, default: 0] += 1 }
        for (name, bp) in shares {
            let actual = Double(counts[name, default: 0]) / Double(names.count)
            #expect(abs(actual - Double(bp) / 10_000) < 0.005, "\(name): \(actual) for \(bp) bp")
        }
    }

    @Test func aCustomerStaysInItsVariantWhateverTheOrderOfTheVariants() {
        let e = Self.experiment([("champion", 7_000), ("b", 2_000), ("c", 1_000)])
        let reordered = Experiment(name: e.name, variants: e.variants.reversed())
        #expect(Self.split(e) == Self.split(reordered))
        #expect(Self.split(e) == Self.split(e))
    }

    /// Fixed assignments: the hash and the integer logarithm are part of the contract (a change
    /// would move customers between variants on an upgrade).
    @Test func theAssignmentIsPinned() {
        let e = Self.experiment([("champion", 8_000), ("challenger", 2_000)])
        let pinned = (1...12).map { e.variants[e.variantIndex(customerID: "C\($0)")].name }
        #expect(pinned == Self.pinned)
    }
    static let pinned = ["champion", "champion", "challenger", "challenger", "champion", "champion",
                         "champion", "challenger", "champion", "champion", "champion", "champion"]

    @Test func anotherExperimentNameSplitsIndependently() {
        let a = Self.split(Self.experiment([("x", 5_000), ("y", 5_000)], name: "first"))
        let b = Self.split(Self.experiment([("x", 5_000), ("y", 5_000)], name: "second"))
        let same = zip(a, b).filter { $0 == $1 }.count
        #expect(abs(Double(same) / Double(a.count) - 0.5) < 0.01)
    }

    /// 80/20 to 70/30: exactly the customers needed move, and only from champion to challenger.
    @Test func rampingAChallengerMovesOnlyTheDifference() {
        let before = Self.split(Self.experiment([("champion", 8_000), ("challenger", 2_000)]))
        let after = Self.split(Self.experiment([("champion", 7_000), ("challenger", 3_000)]))
        let moves = zip(before, after).filter { $0 != $1 }
        #expect(moves.allSatisfy { $0 == ("champion", "challenger") })
        #expect(abs(Double(moves.count) / Double(before.count) - 0.10) < 0.005)
    }

    /// A new variant only takes customers; the others keep theirs relative to each other.
    @Test func addingAVariantOnlyTakesCustomers() {
        let before = Self.split(Self.experiment([("champion", 8_000), ("challenger", 2_000)]))
        let after = Self.split(Self.experiment([("champion", 7_200), ("challenger", 1_800), ("new", 1_000)]))
        #expect(zip(before, after).allSatisfy { $0 == $1 || $1 == "new" })
    }

    @Test func removingAVariantOnlyMovesItsCustomers() {
        let before = Self.split(Self.experiment([("champion", 6_000), ("b", 2_500), ("c", 1_500)]))
        let after = Self.split(Self.experiment([("champion", 6_000), ("b", 2_500), ("c", 0)]))
        #expect(zip(before, after).allSatisfy { $0 == $1 || $0 == "c" })
        #expect(!after.contains("c"))
    }

    @Test func theIntegerLogarithmMatchesTheRealOne() {
        var rng = SplitMix64(state: 7)
        for _ in 0..<10_000 {
            let h = rng.next() >> UInt64(rng.below(60))
            let exact = 64 - log2(Double(max(h, 1)))
            let fixed = Double(Experiment.negativeLog2(h)) / 4_294_967_296
            #expect(abs(fixed - exact) < 1e-8)
        }
        #expect(Experiment.negativeLog2(0) == 64 << 32)
        #expect(Experiment.negativeLog2(1 << 63) == 1 << 32)
    }
}
