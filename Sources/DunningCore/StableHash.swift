/// A stable 64-bit hash of text (FNV-1a, then SplitMix64's finaliser): the same on every run and
/// platform, unlike `Hasher`.
public enum StableHash {
    public static func of(_ parts: String...) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for byte in part.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
            h = (h ^ 0xff) &* 0x100_0000_01b3
        }
        return SplitMix64.mix(h)
    }
}
