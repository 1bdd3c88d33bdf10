/// Allowed minutes per (zones, bands) for one night: computed once, shared by every customer
/// with the same zones.
struct WindowCache {
    struct Key: Hashable {
        struct Bands: Hashable {
            var allowed: [TimeBand]
            var preferred: [TimeBand]?
        }
        var bands: Bands
        var zones: [String]
    }
    /// The usable minutes, and the part of them inside the step's preferred band (nil when the
    /// step prefers none, or its band leaves nothing).
    struct Window {
        var allowed: MinuteSet
        var preferred: MinuteSet?
        /// The rules allowed minutes, but every one of them was over when the run started.
        var passed = false
    }
    private var cache: [Key: Window] = [:]
    /// Minutes before this (UTC) are over: no contact is planned for them.
    let notBefore: Int64?

    init(notBefore: Int64? = nil) { self.notBefore = notBefore }

    mutating func minutes(bands: Key.Bands, zones: [String], day: Day, clock: any ZoneClock) -> Window {
        let key = Key(bands: bands, zones: zones)
        if let hit = cache[key] { return hit }
        var allowed = LocalWindow.minutes(on: day, bands: bands.allowed, zones: zones, clock: clock)
        var passed = false
        if let notBefore, !allowed.isEmpty {
            allowed = allowed.intersection(MinuteSet([notBefore..<Int64.max]))
            passed = allowed.isEmpty
        }
        var result = Window(allowed: allowed, preferred: nil, passed: passed)
        if let preferred = bands.preferred {
            let narrowed = LocalWindow.minutes(on: day, bands: preferred, zones: zones, clock: clock).intersection(allowed)
            if !narrowed.isEmpty { result.preferred = narrowed }
        }
        cache[key] = result
        return result
    }
}
