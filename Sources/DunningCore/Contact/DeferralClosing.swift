/// The last row of every deferral: an occurrence held back on the last night (`deferred`, to be
/// tried again) that tonight neither plans, holds nor drops would otherwise vanish from
/// `deferred.csv` without saying how it ended. This finds them and ends each with a `dropped`
/// row that says why: its validity ran out in missed nights, its case closed, or it no longer
/// applies (a payment moved the case's DPD off the step, its segment or treatment changed).
public enum DeferralClosing {
    /// Closing rows for `previous` (the last night's rows held `deferred`) that `tonight` does not
    /// carry on. `isOpen` tells a case open tonight.
    public static func rows(previous: [Deferral], tonight: ContactPlan, isOpen: (String) -> Bool, asOf: Day) -> [Deferral] {
        guard !previous.isEmpty else { return [] }
        var seen = Set<UInt64>(minimumCapacity: tonight.contacts.count + tonight.deferrals.count)
        for c in tonight.contacts { seen.insert(key(c.caseID, c.stepKey, c.occurrence)) }
        for d in tonight.deferrals { seen.insert(key(d.caseID, d.stepKey, d.occurrence)) }
        var closing: [Deferral] = []
        var closed = Set<UInt64>()
        for p in previous where p.outcome == .deferred {
            let k = key(p.caseID, p.stepKey, p.occurrence)
            guard !seen.contains(k), closed.insert(k).inserted else { continue }
            var row = p
            row.outcome = .dropped
            row.retryUntil = nil
            row.heldBy = (p.retryUntil.map { $0 < asOf } ?? true) ? .missedNight
                : isOpen(p.caseID) ? .noLongerDue : .caseClosed
            closing.append(row)
        }
        return closing
    }

    /// `rows` merged into `deferrals`, both in the output order (customer, case, occurrence,
    /// step, channel), keeping it.
    public static func merged(_ deferrals: [Deferral], _ rows: [Deferral]) -> [Deferral] {
        guard !rows.isEmpty else { return deferrals }
        let closing = rows.sorted(by: outputOrder)
        var result: [Deferral] = []
        result.reserveCapacity(deferrals.count + closing.count)
        var i = 0, j = 0
        while i < deferrals.count || j < closing.count {
            if j == closing.count || (i < deferrals.count && !outputOrder(closing[j], deferrals[i])) {
                result.append(deferrals[i]); i += 1
            } else {
                result.append(closing[j]); j += 1
            }
        }
        return result
    }

    static func outputOrder(_ a: Deferral, _ b: Deferral) -> Bool {
        (a.customerID, a.caseID, a.occurrence, a.stepKey, a.channel.rawValue) < (b.customerID, b.caseID, b.occurrence, b.stepKey, b.channel.rawValue)
    }

    static func key(_ caseID: String, _ stepKey: String, _ occurrence: Day) -> UInt64 {
        StableHash.of(caseID, stepKey, occurrence.description)
    }
}
