/// Exact shares of a whole number of cases between members with weights, floors and caps.
///
/// The fair share is "water-filling": there is one level `L` such that every member gets
/// `L x share`, clamped to `[floor, cap]`, and the clamped amounts add up to the total. Members
/// whose floor (cases they keep) is above the level take nothing more; members at their cap take
/// no more than it. The level is found exactly, with rational arithmetic, so that the whole
/// numbers that follow are within one case of the fair share (largest remainder).
public enum Apportionment {
    /// A member's fair share as a fraction `numerator / denominator` of a case.
    public struct Share: Sendable, Equatable {
        public var numerator: Int128
        public var denominator: Int128

        /// The share in hundredths of a case, rounded down.
        public var hundredths: Int64 { Int64((numerator * 100) / denominator) }
        public var whole: Int { Int(numerator / denominator) }
    }

    /// The fair shares of `total` cases. `floors[i] <= caps[i]` after clamping; `shares[i] > 0`.
    /// When `total` exceeds the sum of caps every member gets its cap.
    public static func fairShares(total: Int, shares: [Int64], floors: [Int], caps: [Int]) -> [Share] {
        let n = shares.count
        precondition(floors.count == n && caps.count == n)
        let caps = (0..<n).map { max(caps[$0], floors[$0]) }
        let capSum = caps.reduce(0, +), floorSum = floors.reduce(0, +)
        let target = Int128(min(max(total, floorSum), capSum))
        guard n > 0 else { return [] }
        if target == Int128(capSum) { return caps.map { Share(numerator: Int128($0), denominator: 1) } }
        if target == Int128(floorSum) { return floors.map { Share(numerator: Int128($0), denominator: 1) } }

        // Breakpoints of the level: member i starts rising at floor/share and stops at cap/share.
        struct Point { var value: Int; var share: Int64; var member: Int; var starts: Bool }
        var points: [Point] = []
        points.reserveCapacity(2 * n)
        for i in 0..<n {
            points.append(Point(value: floors[i], share: shares[i], member: i, starts: true))
            points.append(Point(value: caps[i], share: shares[i], member: i, starts: false))
        }
        // Ascending by value/share; at equal levels a member stops before another starts.
        points.sort { a, b in
            let l = Int128(a.value) * Int128(b.share), r = Int128(b.value) * Int128(a.share)
            if l != r { return l < r }
            if a.starts != b.starts { return !a.starts }
            return a.member < b.member
        }
        // total(L) = constant + L x slope between breakpoints; constant counts floors of members
        // not yet rising and caps of members done.
        var constant = Int128(floorSum)
        var slope: Int128 = 0
        for point in points {
            // total at this breakpoint's level: constant + (value/share) x slope.
            let atPoint = constant * Int128(point.share) + Int128(point.value) * slope
            if atPoint >= target * Int128(point.share) { break }
            if point.starts {
                constant -= Int128(point.value)
                slope += Int128(point.share)
            } else {
                constant += Int128(point.value)
                slope -= Int128(point.share)
            }
        }
        // The level is (target - constant) / slope; slope > 0 here because target lies strictly
        // between the floor sum and the cap sum.
        let levelNumerator = target - constant
        let denominator = max(slope, 1)
        return (0..<n).map { i in
            let raw = levelNumerator * Int128(shares[i])
            if raw <= Int128(floors[i]) * denominator { return Share(numerator: Int128(floors[i]), denominator: 1) }
            if raw >= Int128(caps[i]) * denominator { return Share(numerator: Int128(caps[i]), denominator: 1) }
            return Share(numerator: raw, denominator: denominator)
        }
    }

    /// Whole numbers of cases from fair shares: each share rounded down, then the cases left over
    /// go to the largest remainders (ties to the earlier member). Each result is within one case of
    /// its share, and the results add up to the shares' total.
    public static func wholeCases(_ shares: [Share]) -> [Int] {
        var result = shares.map(\.whole)
        var exact: Int128 = 0, common: Int128 = 1
        // The shares' total is a whole number: every fractional share has the same denominator.
        for s in shares where s.denominator != 1 { common = s.denominator; break }
        for s in shares { exact += s.numerator * (common / s.denominator) }
        var left = Int(exact / common) - result.reduce(0, +)
        guard left > 0 else { return result }
        let order = shares.indices.filter { shares[$0].denominator != 1 }.sorted { a, b in
            let ra = shares[a].numerator % shares[a].denominator, rb = shares[b].numerator % shares[b].denominator
            return ra != rb ? ra > rb : a < b
        }
        for i in order where left > 0 {
            result[i] += 1
            left -= 1
        }
        return result
    }
}
