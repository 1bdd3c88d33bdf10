/// How much of the open book tonight's extract leaves out: the cases open after the last
/// committed night that have no row in `ledger.csv`, and those whose customer has no row in
/// `customers.csv`. A case absent from the ledger would be settled tonight (its loans look gone),
/// so a failed or partial extract would settle the book; this is measured before anything is
/// decided. A paid loan is still in the extract, so paid cases are never counted here.
public struct ExtractCompleteness: Sendable, Equatable {
    /// Cases open after the last committed night.
    public var openCases = 0
    /// Of those, cases with no row at all in tonight's ledger.
    public var missingFromLedger = 0
    /// Of those, cases whose customer has no row (valid or not) in tonight's customers.csv.
    public var missingCustomers = 0
    /// Cases missing from either file: what `--accept-missing` must name.
    public var missing = 0

    public init() {}

    /// Measures `openCases` against what tonight's files hold.
    public static func measure(openCases: some Sequence<CaseKey>, inLedger: (CaseKey) -> Bool,
                               customerListed: (String) -> Bool) -> ExtractCompleteness {
        var result = ExtractCompleteness()
        for key in openCases {
            result.openCases += 1
            let noLedger = !inLedger(key), noCustomer = !customerListed(key.customerID)
            if noLedger { result.missingFromLedger += 1 }
            if noCustomer { result.missingCustomers += 1 }
            if noLedger || noCustomer { result.missing += 1 }
        }
        return result
    }

    /// A drop of this many cases or fewer never trips the share on its own: in a book of a few
    /// dozen cases one write-off is already several percent. A file that leaves out every open
    /// case always trips it, however small the book.
    public static let smallDrop = 3

    /// True when more than `basisPoints` of the open cases (and more than `smallDrop` of them, or
    /// all of them) are missing from the ledger, or have their customer missing (each file on
    /// its own).
    public func exceeds(basisPoints: Int) -> Bool {
        ledgerExceeds(basisPoints: basisPoints) || customersExceed(basisPoints: basisPoints)
    }

    public func ledgerExceeds(basisPoints: Int) -> Bool { Self.above(missingFromLedger, of: openCases, basisPoints) }
    public func customersExceed(basisPoints: Int) -> Bool { Self.above(missingCustomers, of: openCases, basisPoints) }

    static func above(_ count: Int, of total: Int, _ basisPoints: Int) -> Bool {
        // 100% lets anything through, an empty file included; 0% lets no case go missing, not
        // even a small drop.
        guard total > 0, basisPoints < 10_000 else { return false }
        return count == total || (count > (basisPoints == 0 ? 0 : smallDrop) && count * 10_000 > total * basisPoints)
    }

    /// `count` of `total` in percent, rounded up to two decimals (`51.87%`), so that a share just
    /// over a limit never reads as the limit itself.
    public static func share(_ count: Int, of total: Int) -> String {
        SafetyPolicy.percentText(basisPoints: total > 0 ? (count * 10_000 + total - 1) / total : 0)
    }
}
