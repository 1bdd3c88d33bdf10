extension PenaltyRule {
    /// The penalty accrued on `loan` as of `asOf`, in minor units.
    ///
    /// Each unpaid instalment whose DPD has reached `penaltyDay` accrues
    /// `outstanding x dailyRate` for every day from its own penalty day through `asOf` inclusive
    /// (on D+2 with the default schedule: one day). The loan's exact total is rounded once with
    /// `rounding`, never per day or per instalment, then limited to `capRatio x` the loan's overdue
    /// amount, that cap itself rounded down so it is never exceeded.
    public func accrued(on loan: Loan, asOf: Day, penaltyDay: Int) -> Money {
        var exact: Int128 = 0 // minor units x 10^9
        for instalment in loan.instalments where instalment.isUnpaid {
            let dpd = asOf - instalment.due
            guard dpd >= penaltyDay else { continue }
            let days = Int128(dpd - penaltyDay + 1)
            exact += Int128(instalment.outstanding.minorUnits) * Int128(dailyRate.nanos) * days
        }
        var penalty = rounding.round(exact, over: Int128(Rate.scale))
        if let capRatio {
            let base = Int128(loan.amountOverdue(asOf: asOf).minorUnits) * Int128(capRatio.nanos)
            penalty = min(penalty, base / Int128(Rate.scale))
        }
        // Within a case's limit the penalty fits (1% a day over the four centuries of dates the
        // ledger accepts); the clamp only keeps an impossible value from trapping.
        return Money(minorUnits: Int64(clamping: penalty))
    }
}
