import DunningCore
import DunningIO

public typealias FileWriter = StagedOutput.FileWriter
public typealias WriteError = StagedOutput.WriteError

/// The public output contract (docs/file-formats.md): column names and row order.
public enum OutputFiles {
    public static let actionsHeader = ["run_date", "customer_id", "case_id", "loan_id", "action", "due_on", "amount", "detail",
                                       "adopted"]
    public static let casesHeader = ["run_date", "case_id", "customer_id", "product", "stage", "bucket", "dpd",
                                     "amount_overdue", "penalty_accrued", "segment", "currency", "group", "agent_id",
                                     "assignment", "assignment_reason", "variant"]
    public static let workloadHeader = ["run_date", "group", "kind", "agent_id", "active", "capacity", "weight", "share_pct", "currency",
                                        "cases", "amount", "ideal_cases", "ideal_amount", "new", "kept", "moved", "recycled",
                                        "stopped", "planned_calls", "calls_per_day"]
    public static let contactsHeader = ["run_date", "customer_id", "case_id", "channel", "target", "scheduled_at",
                                        "template", "agent_id", "segment", "priority", "reason", "variant"]
    public static let deferredHeader = ["run_date", "customer_id", "case_id", "channel", "target", "template", "segment",
                                        "priority", "reason", "held_by", "outcome", "retry_until"]
    public static let rejectsHeader = ["file", "line", "column", "reason"]

    /// Writes `rows` as CSV under `header`, handing the file a megabyte at a time.
    static func stream<Rows: Collection>(_ rows: Rows, header: [String], to file: inout FileWriter,
                                         _ row: (Rows.Element, inout CSVWriter) -> Void) throws(WriteError) {
        var csv = CSVWriter(header: header, spreadsheetSafe: true)
        for r in rows {
            row(r, &csv)
            if csv.bytes.count >= 1 << 20 {
                try file.write(csv.bytes)
                csv.resetToEmpty()
            }
        }
        try file.write(csv.bytes)
    }

    public static func actions(_ actions: [Action], runDate: Day, to file: inout FileWriter) throws(WriteError) {
        let date = runDate.description
        var caseIDs = Action.CaseIDs()
        try stream(actions, header: actionsHeader, to: &file) { a, csv in
            csv.append([date, a.caseKey.customerID, caseIDs.of(a), a.loanID, a.kind.rawValue, a.dueOn.description,
                        a.amount?.description ?? "", a.detail, a.adopted ? "true" : "false"])
        }
    }

    /// `assignments` (same order as `cases`) is nil when the strategy allocates nothing.
    public static func cases(_ cases: [CaseState], assignments: [Assignment]?, runDate: Day,
                             to file: inout FileWriter) throws(WriteError) {
        let date = runDate.description
        try stream(cases.indices, header: casesHeader, to: &file) { i, csv in
            let c = cases[i], a = assignments?[i]
            csv.append([date, c.caseID, c.key.customerID, c.key.product, c.stage.rawValue, c.bucket, String(c.dpd),
                        c.amountOverdue.description, c.penaltyAccrued.description, c.segment, c.currency,
                        a?.group ?? "", a?.agentID ?? "", a?.kind.rawValue ?? "", a?.reason.rawValue ?? "", c.variant])
        }
    }

    /// One row per member of every group (robot groups: one row, empty agent_id), strategy order.
    public static func workload(_ loads: [MemberLoad], runDate: Day, to file: inout FileWriter) throws(WriteError) {
        let date = runDate.description
        try stream(loads, header: workloadHeader, to: &file) { l, csv in
            let robot = l.kind == .robot, agency = l.kind == .agency, byCount = l.balancesCount && !robot
            csv.append([date, l.group, l.kind.rawValue, l.agentID, l.active ? "true" : "false",
                        l.capacity.map(String.init) ?? "", robot || agency ? "" : decimalMilli(l.weightMilli),
                        l.sharePercent.map(String.init) ?? "", l.currency, String(l.cases), l.amount.description,
                        byCount ? hundredths(l.idealCasesHundredths) : "", robot ? "" : l.idealAmount.description, String(l.new), String(l.kept), String(l.moved),
                        String(l.recycled), String(l.stopped), String(l.plannedCalls), l.callsPerDay.map(String.init) ?? ""])
        }
    }

    /// Thousandths as short decimal text: 1000 -> `1`, 500 -> `0.5`, 1250 -> `1.25`.
    static func decimalMilli(_ value: Int) -> String {
        let whole = String(value / 1000)
        var fraction = pad(value % 1000, 3)
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? whole : whole + "." + fraction
    }

    public static func contacts(_ contacts: [PlannedContact], runDate: Day, to file: inout FileWriter) throws(WriteError) {
        let date = runDate.description
        try stream(contacts, header: contactsHeader, to: &file) { c, csv in
            csv.append([date, c.customerID, c.caseID, c.channel.rawValue, c.target.rawValue, c.scheduledAt, c.template,
                        c.agentID, c.segment, String(c.priority), c.reason, c.variant])
        }
    }

    public static func deferred(_ deferrals: [Deferral], runDate: Day, to file: inout FileWriter) throws(WriteError) {
        let date = runDate.description
        try stream(deferrals, header: deferredHeader, to: &file) { d, csv in
            csv.append([date, d.customerID, d.caseID, d.channel.rawValue, d.target.rawValue, d.template, d.segment,
                        String(d.priority), d.reason, d.heldBy.rawValue, d.outcome.rawValue, d.retryUntil?.description ?? ""])
        }
    }

    public static func rejects(_ problems: [Diagnostic], to file: inout FileWriter) throws(WriteError) {
        try stream(problems, header: rejectsHeader, to: &file) { p, csv in
            csv.append([String(p.file.split(separator: "/").last ?? ""), String(p.line), String(p.column), p.message])
        }
    }
}
