/// Plain-words reasons why a rule takes a case or not, for `dunning explain`.
extension SegmentRule {
    /// Why this rule does not match (empty: it matches).
    public func mismatches(bucket: String, score customerScore: Int?, amountOverdue: Money, product: String) -> [String] {
        var reasons: [String] = []
        if let buckets, !buckets.contains(bucket) { reasons.append("bucket \(bucket) is not in [\(buckets.joined(separator: ", "))]") }
        if let products, !products.contains(product) { reasons.append("product \(product) is not in [\(products.joined(separator: ", "))]") }
        if let minAmount, amountOverdue < minAmount { reasons.append("amount \(amountOverdue) is below \(minAmount)") }
        if let maxAmount, amountOverdue > maxAmount { reasons.append("amount \(amountOverdue) is above \(maxAmount)") }
        switch score {
        case nil: break
        case .unscored?: if let s = customerScore { reasons.append("the customer has a score (\(s))") }
        case let .range(lo, hi)?:
            if let s = customerScore {
                if s < lo || s > hi { reasons.append("score \(s) is not in \(lo)..\(hi)") }
            } else {
                reasons.append("the customer has no score (the rule needs \(lo)..\(hi))")
            }
        }
        return reasons
    }

    /// What the rule asked for, when it matched: `bucket M0, score 0..599` or `every case (catch-all)`.
    public func conditionsText(score customerScore: Int?, amountOverdue: Money, bucket: String, product: String) -> String {
        var parts: [String] = []
        if buckets != nil { parts.append("bucket \(bucket)") }
        if products != nil { parts.append("product \(product)") }
        if minAmount != nil || maxAmount != nil { parts.append("amount \(amountOverdue) in \(minAmount?.description ?? "0.00")..\(maxAmount?.description ?? "any")") }
        switch score {
        case nil: break
        case .unscored?: parts.append("unscored")
        case let .range(lo, hi)?: parts.append("score \(customerScore.map(String.init) ?? "-") in \(lo)..\(hi)")
        }
        return parts.isEmpty ? "every case (catch-all)" : parts.joined(separator: ", ")
    }
}

extension AllocationGroup {
    /// Why this group does not serve the case (empty: it does).
    public func mismatches(bucket: String, product: String, segment: String) -> [String] {
        var reasons: [String] = []
        if let buckets, !buckets.contains(bucket) { reasons.append("bucket \(bucket) is not in [\(buckets.joined(separator: ", "))]") }
        if let products, !products.contains(product) { reasons.append("product \(product) is not in [\(products.joined(separator: ", "))]") }
        if let segments, !segments.contains(segment) { reasons.append("segment \(segment) is not in [\(segments.joined(separator: ", "))]") }
        return reasons
    }
}

extension BucketScheme {
    /// `M0 = DPD 1 to 30`, `M3+ = DPD 91 and over`, `current = before DPD 1`.
    public func rangeText(ofName name: String) -> String {
        guard let i = index(ofName: name) else { return "\(name) (not a bucket of this strategy)" }
        if i < 0 { return "\(BucketScheme.current) = before DPD \(buckets.first?.minDPD ?? 1)" }
        let b = buckets[i]
        return b.maxDPD.map { "\(b.name) = DPD \(b.minDPD) to \($0)" } ?? "\(b.name) = DPD \(b.minDPD) and over"
    }
}
