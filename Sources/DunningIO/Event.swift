import DunningCore

/// Parses ISO 8601 timestamps with an explicit offset: `2026-11-21T14:03:00+08:00`,
/// `2026-11-21T06:03:00Z`, optional fractional seconds. A timestamp without offset is refused:
/// its instant would depend on a guess.
public enum Timestamp {
    public static func parse(_ text: String) -> (epochSeconds: Int64, localDay: Day)? {
        let b = Array(text.utf8)
        guard b.count >= 17, let day = Day.parse(b[0..<10]), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " ") else { return nil }
        func two(_ i: Int) -> Int? {
            guard i + 1 < b.count, (48...57).contains(b[i]), (48...57).contains(b[i + 1]) else { return nil }
            return Int(b[i] - 48) * 10 + Int(b[i + 1] - 48)
        }
        guard let hour = two(11), b[13] == UInt8(ascii: ":"), let minute = two(14), hour < 24, minute < 60 else { return nil }
        var i = 16
        var second = 0
        if i < b.count, b[i] == UInt8(ascii: ":") {
            guard let s = two(i + 1), s < 60 else { return nil }
            second = s
            i += 3
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                let start = i
                while i < b.count, (48...57).contains(b[i]) { i += 1 }
                guard i > start else { return nil }
            }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] == UInt8(ascii: "Z") {
            guard i + 1 == b.count else { return nil }
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard let oh = two(i + 1), oh <= 14 else { return nil }
            var j = i + 3
            if j < b.count, b[j] == UInt8(ascii: ":") { j += 1 }
            guard let om = two(j), om < 60, j + 2 == b.count else { return nil }
            offset = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        let local = Int64(day.number) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return (local - Int64(offset), day)
    }
}
