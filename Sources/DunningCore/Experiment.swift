/// A champion/challenger split of one segment: each customer of the segment follows one
/// variant's treatment, chosen by a stable hash so that it stays the same night after night.
public struct Experiment: Sendable, Equatable {
    /// One arm of the experiment.
    public struct Variant: Sendable, Equatable {
        public var name: String
        public var treatment: String
        /// Share of the segment's customers in basis points (1/100 of a percent); all add up to 10,000.
        public var basisPoints: Int

        public init(name: String, treatment: String, basisPoints: Int) {
            self.name = name
            self.treatment = treatment
            self.basisPoints = basisPoints
        }
    }

    /// Salts the hash: two experiments with different names split customers independently.
    public var name: String
    public var variants: [Variant]

    public init(name: String, variants: [Variant]) {
        self.name = name
        self.variants = variants
    }

    /// The variant of `customerID`: a weighted rendezvous ("exponential race"). Every variant
    /// draws a stable pseudo-random time `-log2(u) / share` for the customer, and the earliest
    /// wins, so each variant wins with probability equal to its share. When shares change, a
    /// customer only moves into a variant whose share grew relative to the one it is in, or out
    /// of one whose share shrank: a two-variant ramp (80/20 to 70/30) moves exactly the 10%
    /// difference, a new variant only takes customers, and a removed one only gives its own away.
    public func variantIndex(customerID: String) -> Int {
        var best = -1
        var bestTime: UInt64 = 0
        for (i, variant) in variants.enumerated() where variant.basisPoints > 0 {
            let time = Self.negativeLog2(StableHash.of(customerID, name, variant.name))
            if best < 0 {
                best = i
                bestTime = time
                continue
            }
            // time / share_i < bestTime / share_best, cross-multiplied in 128 bits.
            let lhs = time.multipliedFullWidth(by: UInt64(variants[best].basisPoints))
            let rhs = bestTime.multipliedFullWidth(by: UInt64(variant.basisPoints))
            if (lhs.high, lhs.low) < (rhs.high, rhs.low) {
                best = i
                bestTime = time
            }
        }
        return max(best, 0)
    }

    /// -log2(h / 2^64) in 32.32 fixed point, for h > 0 (h = 0 is read as 1): integer-only, so
    /// every platform draws the same times.
    static func negativeLog2(_ h: UInt64) -> UInt64 {
        let x = max(h, 1)
        let exponent = UInt64(63 - x.leadingZeroBitCount)
        // Mantissa in [1, 2) with 62 fraction bits; each squaring yields one more bit of the
        // fractional part of log2.
        var m = (x << UInt64(x.leadingZeroBitCount)) >> 1
        var fraction: UInt64 = 0
        for bit in stride(from: 31, through: 0, by: -1) {
            let square = m.multipliedFullWidth(by: m)
            // m^2 in [1, 4) with 124 fraction bits; back to 62 fraction bits.
            m = (square.high << 2) | (square.low >> 62)
            if m >= 1 << 63 {
                fraction |= 1 << UInt64(bit)
                m >>= 1
            }
        }
        let log2 = exponent << 32 | fraction
        return (64 << 32) - log2
    }
}
