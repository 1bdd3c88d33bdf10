import DunningCore
import DunningIO

/// The public output contract (docs/file-formats.md): column names and row order.
public enum OutputFiles {
    public static let actionsHeader = ["run_date", "customer_id", "case_id", "loan_id", "action", "due_on", "amount", "detail"]
    public static let casesHeader = ["run_date", "case_id", "customer_id", "product", "stage", "bucket", "dpd",
                                     "amount_overdue", "penalty_accrued", "segment", "currency"]
    public static let contactsHeader = ["run_date", "customer_id", "case_id", "channel", "target", "scheduled_at",
                                        "template", "agent_id", "segment", "priority", "reason"]
    public static let deferredHeader = ["run_date", "customer_id", "case_id", "channel", "target", "template", "segment",
                                        "priority", "reason", "held_by", "outcome", "retry_until"]
    public static let rejectsHeader = ["file", "line", "column", "reason"]

    public static func actions(_ actions: [Action], runDate: Day) -> [UInt8] {
        var csv = CSVWriter(header: actionsHeader)
        let date = runDate.description
        for a in actions {
            csv.append([date, a.caseKey.customerID, a.caseID, a.loanID, a.kind.rawValue, a.dueOn.description,
                        a.amount?.description ?? "", a.detail])
        }
        return csv.bytes
    }

    public static func cases(_ cases: [CaseState], runDate: Day) -> [UInt8] {
        var csv = CSVWriter(header: casesHeader)
        let date = runDate.description
        for c in cases {
            csv.append([date, c.caseID, c.key.customerID, c.key.product, c.stage.rawValue, c.bucket, String(c.dpd),
                        c.amountOverdue.description, c.penaltyAccrued.description, c.segment, c.currency])
        }
        return csv.bytes
    }

    public static func contacts(_ contacts: [PlannedContact], runDate: Day) -> [UInt8] {
        var csv = CSVWriter(header: contactsHeader)
        let date = runDate.description
        for c in contacts {
            csv.append([date, c.customerID, c.caseID, c.channel.rawValue, c.target.rawValue, c.scheduledAt, c.template,
                        c.agentID, c.segment, String(c.priority), c.reason])
        }
        return csv.bytes
    }

    public static func deferred(_ deferrals: [Deferral], runDate: Day) -> [UInt8] {
        var csv = CSVWriter(header: deferredHeader)
        let date = runDate.description
        for d in deferrals {
            csv.append([date, d.customerID, d.caseID, d.channel.rawValue, d.target.rawValue, d.template, d.segment,
                        String(d.priority), d.reason, d.heldBy.rawValue, d.outcome.rawValue, d.retryUntil?.description ?? ""])
        }
        return csv.bytes
    }

    public static func rejects(_ problems: [Diagnostic]) -> [UInt8] {
        var csv = CSVWriter(header: rejectsHeader)
        for p in problems { csv.append([String(p.file.split(separator: "/").last ?? ""), String(p.line), String(p.column), p.message]) }
        return csv.bytes
    }
}
