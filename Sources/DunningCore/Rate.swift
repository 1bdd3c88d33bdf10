/// A non-negative decimal rate (e.g. a daily penalty rate of `0.0005`), exact to nine decimals.
public struct Rate: Hashable, Sendable, CustomStringConvertible {
    /// The rate times 10^9.
    public let nanos: Int64
    public static let scale: Int64 = 1_000_000_000

    public init(nanos: Int64) { self.nanos = nanos }

    /// Parses `0.0005`, `1`, `0.24`; at most nine fraction digits, no sign, no exponent.
    public init?(decimal text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first,
              whole.allSatisfy(\.isASCIIDigit), whole.count <= 6 else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= 9, fraction.allSatisfy(\.isASCIIDigit), !(whole.isEmpty && fraction.isEmpty) else { return nil }
        let padded = fraction + String(repeating: "0", count: 9 - fraction.count)
        nanos = (Int64(whole) ?? 0) * Rate.scale + (Int64(padded) ?? 0)
    }

    public var description: String {
        let whole = nanos / Rate.scale
        var fraction = String(nanos % Rate.scale)
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// How an exact amount with fractions of a minor unit becomes whole minor units.
public enum RoundingRule: String, Sendable, CaseIterable {
    /// Round to nearest; exact halves go up (the common 四舍五入). The default.
    case halfUp = "half_up"
    /// Round to nearest; exact halves go to the even neighbour (banker's rounding).
    case halfEven = "half_even"
    /// Truncate towards zero: never charge a fraction the borrower did not owe.
    case down

    /// Rounds the non-negative fraction `numerator / denominator` to an integer.
    public func round(_ numerator: Int128, over denominator: Int128) -> Int128 {
        precondition(numerator >= 0 && denominator > 0)
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        switch self {
        case .down: return quotient
        case .halfUp: return remainder * 2 >= denominator ? quotient + 1 : quotient
        case .halfEven:
            if remainder * 2 > denominator { return quotient + 1 }
            if remainder * 2 < denominator { return quotient }
            return quotient % 2 == 0 ? quotient : quotient + 1
        }
    }
}
