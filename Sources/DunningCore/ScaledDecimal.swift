/// Plain decimal text with a bounded number of digits, as a whole number of its smallest unit:
/// `0.5` with three fraction digits is 500, `12.5` with two is 1250. No sign, no exponent.
public enum ScaledDecimal {
    /// Nil unless `text` is 1 to `integerDigits` digits, optionally followed by `.` and 1 to
    /// `fractionDigits` digits.
    public static func parse(_ text: String, fractionDigits: Int, integerDigits: Int) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        func digits(_ s: Substring, _ limit: Int) -> Bool {
            !s.isEmpty && s.count <= limit && s.allSatisfy { $0.isASCII && $0.isNumber }
        }
        guard parts.count <= 2, digits(parts[0], integerDigits), parts.count == 1 || digits(parts[1], fractionDigits),
              var value = Int(parts[0]) else { return nil }
        // Each fraction digit given, then zeros for the ones left out.
        var fraction = parts.count == 2 ? Array(parts[1]) : []
        while fraction.count < fractionDigits { fraction.append("0") }
        for digit in fraction { value = value * 10 + (digit.wholeNumberValue ?? 0) }
        return value
    }
}
