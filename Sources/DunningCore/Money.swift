/// An amount of money in integer minor units (hundredths of the currency unit).
///
/// Inputs carry at most two fraction digits, so every amount in the product is exact.
/// Arithmetic that can produce fractions of a minor unit (penalty interest) goes through
/// `Rate` and rounds once, with the rule documented in docs/strategy.md.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible, AdditiveArithmetic {
    public var minorUnits: Int64

    public init(minorUnits: Int64) { self.minorUnits = minorUnits }

    public static let zero = Money(minorUnits: 0)
    /// The largest amount accepted from input: 10^15 minor units (ten trillion units). Larger
    /// values are rejected as data errors long before any sum could overflow Int64.
    public static let inputLimit = Money(minorUnits: 1_000_000_000_000_000)

    /// Sums of a case are within `inputLimit` (the ledger loader refuses larger cases), so exact;
    /// sums over a whole book saturate instead of trapping, should an absurd book reach 2^63.
    public static func + (a: Money, b: Money) -> Money {
        let (sum, overflow) = a.minorUnits.addingReportingOverflow(b.minorUnits)
        return Money(minorUnits: overflow ? (b.minorUnits > 0 ? .max : .min) : sum)
    }
    public static func - (a: Money, b: Money) -> Money {
        let (difference, overflow) = a.minorUnits.subtractingReportingOverflow(b.minorUnits)
        return Money(minorUnits: overflow ? (b.minorUnits < 0 ? .max : .min) : difference)
    }
    public static func < (a: Money, b: Money) -> Bool { a.minorUnits < b.minorUnits }

    /// Fixed two-decimal text, e.g. `1234.50`, `-0.05`.
    public var description: String {
        let negative = minorUnits < 0
        let magnitude = minorUnits.magnitude
        let units = magnitude / 100, cents = magnitude % 100
        return (negative ? "-" : "") + String(units) + "." + (cents < 10 ? "0" : "") + String(cents)
    }

    /// Why a decimal amount was refused.
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case empty, notADecimal, negative, tooManyFractionDigits, tooLarge
        public var description: String {
            switch self {
            case .empty: return "amount is empty"
            case .notADecimal: return "not a decimal amount (expected digits with an optional '.' and up to two fraction digits)"
            case .negative: return "amount is negative"
            case .tooManyFractionDigits: return "amount has more than two fraction digits"
            case .tooLarge: return "amount exceeds the limit of 10000000000000.00"
            }
        }
    }

    /// Parses a plain non-negative decimal: `12`, `12.5`, `12.50`, `.5`. Rejects signs other than a
    /// leading `-` (reported as negative), exponents, separators, spaces and more than two decimals.
    public static func parse(_ bytes: ArraySlice<UInt8>) -> Result<Money, ParseError> {
        bytes.withUnsafeBufferPointer { parse($0) }
    }

    /// The same from UTF-8 bytes in place (the loaders' hot path).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Money, ParseError> {
        guard !bytes.isEmpty else { return .failure(.empty) }
        var i = bytes.startIndex
        if bytes[i] == UInt8(ascii: "-") {
            // Distinguish "-5" (a negative amount, a clear message) from junk.
            let rest = parse(UnsafeBufferPointer(rebasing: bytes[(i + 1)...]))
            if case .success(let m) = rest { return m.minorUnits == 0 ? .success(.zero) : .failure(.negative) }
            return rest
        }
        var units: Int64 = 0
        var sawDigit = false
        while i < bytes.endIndex, bytes[i] >= 48, bytes[i] <= 57 {
            units = units * 10 + Int64(bytes[i] - 48)
            if units > Money.inputLimit.minorUnits / 100 { return .failure(.tooLarge) }
            sawDigit = true
            i += 1
        }
        var fraction: Int64 = 0
        if i < bytes.endIndex {
            guard bytes[i] == UInt8(ascii: ".") else { return .failure(.notADecimal) }
            i += 1
            var digits = 0
            while i < bytes.endIndex {
                let c = bytes[i]
                guard c >= 48, c <= 57 else { return .failure(.notADecimal) }
                digits += 1
                if digits > 2 { return .failure(.tooManyFractionDigits) }
                fraction = fraction * 10 + Int64(c - 48)
                sawDigit = true
                i += 1
            }
            if digits == 1 { fraction *= 10 }
        }
        guard sawDigit else { return .failure(.notADecimal) }
        let total = units * 100 + fraction
        guard total <= Money.inputLimit.minorUnits else { return .failure(.tooLarge) }
        return .success(Money(minorUnits: total))
    }

    public static func parse(_ text: String) -> Result<Money, ParseError> {
        parse(Array(text.utf8)[...])
    }
}
