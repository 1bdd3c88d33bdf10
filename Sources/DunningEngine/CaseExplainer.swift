import DunningCore
import DunningStore
import DunningStrategy
import Foundation

/// `dunning explain`: why a customer's cases were where they were on a committed night, from the
/// audit trail in the state store (the decision log, the strategy version that decided, the
/// milestones, the assignment log and the night's contact plan). Works for any past night.
public struct CaseExplainer {
    public let storePath: String

    public init(storePath: String) { self.storePath = storePath }

    public func explain(customer: String, asOf: Day?) throws(RunError) -> Explanation {
        do {
            guard let store = try StateStore.openReadOnly(path: storePath) else {
                throw RunError.noInput("no state store at \(storePath)")
            }
            guard let last = try store.lastRunDate() else { throw RunError.noInput("\(storePath): no night has been committed yet") }
            // The night in force on as-of: the last committed run on or before it.
            let wanted = asOf ?? last
            let night = wanted >= last ? last : try store.lastRunDate(before: wanted + 1)
            guard let night, let run = try store.run(on: night) else {
                throw RunError.noInput("\(storePath): no night was committed on or before \(wanted)")
            }
            if let complete = try store.historyFrom(), night < complete {
                throw RunError.noInput("\(storePath): \(night) is beyond the store's retention (its contacts and superseded decisions were pruned; history is complete from \(complete) on), so it cannot be explained")
            }
            let decisions = try store.decisions(customer: customer, through: night)
            var strategy: Strategy?
            if let source = try store.strategySource(sha256: run.strategyHash), !source.yaml.isEmpty,
               case .success(let s) = StrategyLoader.load(source: source, file: "\(run.strategyName) (\(run.strategyHash.prefix(12)))") {
                strategy = s
            }
            var cases: [Explanation.CaseExplanation] = []
            for caseID in decisions.keys.sorted() {
                let milestones = try store.milestones(caseID: caseID, through: night)
                // Settled on or before the night: no longer open.
                if milestones.contains(where: { $0.kind == .settled }) { continue }
                guard let dated = decisions[caseID] else { continue }
                cases.append(explainCase(caseID, dated: dated, night: night, milestones: milestones, strategy: strategy,
                                         assignments: try store.assignmentLog(caseID: caseID, through: night)))
            }
            guard !cases.isEmpty else {
                guard try store.hasCases(customer: customer) else {
                    throw RunError.noInput("customer \(customer) has never had a case in \(storePath) (check the ID: it is compared as written)")
                }
                throw RunError.noInput("customer \(customer) has no open case on \(night) in \(storePath)")
            }
            let log = try store.contactLog(customer: customer, on: night)
            return Explanation(customerID: customer, night: night.description, asked: wanted.description,
                               strategyName: run.strategyName, strategySHA256: run.strategyHash, engineVersion: run.engineVersion,
                               committedAt: run.committedAt, strategyRecorded: strategy != nil, cases: cases,
                               planned: log.planned.map(Explanation.Contact.init), held: log.held.map(Explanation.Contact.init))
        } catch let error as RunError {
            throw error
        } catch let error as StateStore.StoreError where error.isNotAStore {
            throw .cannotCreate(error.description)
        } catch {
            throw .io("cannot read the state store \(storePath): \(error)")
        }
    }

    private func explainCase(_ caseID: String, dated: Dated<DecisionRecord>, night: Day, milestones: [Action],
                             strategy: Strategy?, assignments: [Dated<LoggedAssignment>]) -> Explanation.CaseExplanation {
        let d = dated.value
        let dpd = night - d.dueOn
        // `customer/product/episode`, read from the right: products never contain `/`.
        let parts = caseID.split(separator: "/", omittingEmptySubsequences: false)
        let product = parts.count >= 3 ? String(parts[parts.count - 2]) : ""
        var c = Explanation.CaseExplanation(caseID: caseID, product: product, dpd: dpd, earliestUnpaidDue: d.dueOn.description,
                                            amountOverdue: d.amountOverdue.description, score: d.score, recordedOn: dated.runDate.description,
                                            stage: d.stage.rawValue, stageWhy: stageReason(d.stage, dpd: dpd, milestones: milestones),
                                            bucket: d.bucket, bucketWhy: "DPD \(dpd) (earliest unpaid instalment due \(d.dueOn))",
                                            segment: d.segment, variant: d.variant)
        c.milestones = milestones.map { Explanation.Milestone(kind: $0.kind.rawValue, loanID: $0.loanID, dueOn: $0.dueOn.description,
                                                               actedOn: $0.actedOn.description, detail: $0.detail,
                                                               adopted: $0.adopted ? true : nil) }
        if let strategy {
            c.bucketWhy += ": " + strategy.buckets.rangeText(ofName: d.bucket)
            for rule in strategy.segments {
                let reasons = rule.mismatches(bucket: d.bucket, score: d.score, amountOverdue: d.amountOverdue, product: product)
                c.segmentRules.append(.init(name: rule.name, matched: reasons.isEmpty,
                                            why: reasons.isEmpty ? rule.conditionsText(score: d.score, amountOverdue: d.amountOverdue,
                                                                                       bucket: d.bucket, product: product)
                                                : reasons.joined(separator: "; ")))
                if reasons.isEmpty { break }
            }
            if let experiment = strategy.segments.first(where: { $0.name == d.segment })?.experiment,
               let variant = experiment.variants.first(where: { $0.name == d.variant }) {
                let percent = variant.basisPoints % 100 == 0 ? "\(variant.basisPoints / 100)" : String(format: "%.2f", Double(variant.basisPoints) / 100)
                c.variantWhy = "experiment \(experiment.name): \(percent)% of the segment's customers follow \(variant.treatment); a stable hash of the customer puts it in \(variant.name)"
            }
            if let allocation = strategy.allocation {
                for group in allocation.groups {
                    let reasons = group.mismatches(bucket: d.bucket, product: product, segment: d.segment)
                    c.groupRules.append(.init(name: group.name, matched: reasons.isEmpty,
                                              why: reasons.isEmpty ? "\(group.kind.rawValue) group serving bucket \(d.bucket), product \(product), segment \(d.segment)"
                                                  : reasons.joined(separator: "; ")))
                    if reasons.isEmpty { break }
                }
            }
        }
        if let current = assignments.last {
            c.group = current.value.group
            c.agentID = current.value.agentID
            c.assignedOn = current.runDate.description
            c.assignmentTonight = current.runDate == night ? current.value.kind : "kept"
            c.assignmentReason = current.runDate == night ? current.value.reason : ""
        }
        c.assignmentHistory = assignments.map {
            .init(runDate: $0.runDate.description, group: $0.value.group, agentID: $0.value.agentID, assignment: $0.value.kind, reason: $0.value.reason)
        }
        return c
    }

    private func stageReason(_ stage: Stage, dpd: Int, milestones: [Action]) -> String {
        func acted(_ kind: MilestoneKind) -> String? {
            milestones.last { $0.kind == kind }.map {
                $0.adopted ? "\(kind.rawValue) adopted on \($0.actedOn) from the previous system (due \($0.dueOn))"
                    : "\(kind.rawValue) acted on \($0.actedOn) (due \($0.dueOn))"
            }
        }
        switch stage {
        case .litigation: return acted(.litigationReferred) ?? "referred to litigation"
        case .creditReporting: return acted(.creditReported) ?? "reported to the credit bureau"
        case .penalty: return acted(.penaltyStarted) ?? "penalty interest accrues"
        case .overdue: return "DPD \(dpd): overdue, penalty not started yet"
        case .preCollection: return dpd <= 0 ? "DPD \(dpd): due in \(-dpd) day(s), pre-collection" : "pre-collection"
        }
    }
}

/// Why a customer's cases were where they were on a night, and what its contact plan did.
public struct Explanation: Codable, Sendable, Equatable {
    public struct Rule: Codable, Sendable, Equatable {
        public var name: String
        public var matched: Bool
        public var why: String
    }

    public struct Milestone: Codable, Sendable, Equatable {
        public var kind: String
        public var loanID: String
        public var dueOn: String
        public var actedOn: String
        public var detail: String
        /// True for a milestone adopted from the previous system (`dunning init --adopt-before`);
        /// absent otherwise.
        public var adopted: Bool?
        enum CodingKeys: String, CodingKey { case kind, loanID = "loan_id", dueOn = "due_on", actedOn = "acted_on", detail, adopted }
    }

    public struct AssignmentChange: Codable, Sendable, Equatable {
        public var runDate: String
        public var group: String
        public var agentID: String
        public var assignment: String
        public var reason: String
        enum CodingKeys: String, CodingKey { case runDate = "run_date", group, agentID = "agent_id", assignment, reason }
    }

    public struct CaseExplanation: Codable, Sendable, Equatable {
        public var caseID: String
        public var product: String
        public var dpd: Int
        public var earliestUnpaidDue: String
        public var amountOverdue: String
        public var score: Int?
        /// The night its decision inputs were last recorded (they did not change since).
        public var recordedOn: String
        public var stage: String
        public var stageWhy: String
        public var bucket: String
        public var bucketWhy: String
        public var segment: String
        /// The segment rules tried in order, up to the one that matched.
        public var segmentRules: [Rule] = []
        public var variant: String
        public var variantWhy = ""
        public var group = ""
        /// The allocation groups tried in order, up to the one that took the case.
        public var groupRules: [Rule] = []
        public var agentID = ""
        public var assignedOn = ""
        public var assignmentTonight = ""
        public var assignmentReason = ""
        public var assignmentHistory: [AssignmentChange] = []
        public var milestones: [Milestone] = []

        init(caseID: String, product: String, dpd: Int, earliestUnpaidDue: String, amountOverdue: String, score: Int?,
             recordedOn: String, stage: String, stageWhy: String, bucket: String, bucketWhy: String, segment: String, variant: String) {
            self.caseID = caseID
            self.product = product
            self.dpd = dpd
            self.earliestUnpaidDue = earliestUnpaidDue
            self.amountOverdue = amountOverdue
            self.score = score
            self.recordedOn = recordedOn
            self.stage = stage
            self.stageWhy = stageWhy
            self.bucket = bucket
            self.bucketWhy = bucketWhy
            self.segment = segment
            self.variant = variant
        }

        enum CodingKeys: String, CodingKey {
            case caseID = "case_id", product, dpd, earliestUnpaidDue = "earliest_unpaid_due", amountOverdue = "amount_overdue", score
            case recordedOn = "recorded_on", stage, stageWhy = "stage_why", bucket, bucketWhy = "bucket_why", segment
            case segmentRules = "segment_rules", variant, variantWhy = "variant_why", group, groupRules = "group_rules"
            case agentID = "agent_id", assignedOn = "assigned_on", assignmentTonight = "assignment_tonight"
            case assignmentReason = "assignment_reason", assignmentHistory = "assignment_history", milestones
        }
    }

    public struct Contact: Codable, Sendable, Equatable {
        public var caseID: String
        public var channel: String
        public var target: String
        public var template: String
        public var agentID: String
        public var reason: String
        public var scheduledAt: String
        public var heldBy: String
        public var outcome: String
        public var retryUntil: String

        init(_ c: LoggedContact) {
            caseID = c.caseID
            channel = c.channel
            target = c.target
            template = c.template
            agentID = c.agentID
            reason = c.reason
            scheduledAt = c.scheduledAt
            heldBy = c.heldBy
            outcome = c.outcome
            retryUntil = c.retryUntil
        }

        enum CodingKeys: String, CodingKey {
            case caseID = "case_id", channel, target, template, agentID = "agent_id", reason, scheduledAt = "scheduled_at"
            case heldBy = "held_by", outcome, retryUntil = "retry_until"
        }
    }

    public var customerID: String
    /// The committed night explained, and the date asked for (a missed night shows the run before it).
    public var night: String
    public var asked: String
    public var strategyName: String
    public var strategySHA256: String
    public var engineVersion: String
    public var committedAt: String
    /// Whether the store kept that strategy version (runs before the audit trail existed did not).
    public var strategyRecorded: Bool
    public var cases: [CaseExplanation]
    public var planned: [Contact]
    public var held: [Contact]

    enum CodingKeys: String, CodingKey {
        case customerID = "customer_id", night, asked, strategyName = "strategy_name", strategySHA256 = "strategy_sha256"
        case engineVersion = "engine_version", committedAt = "committed_at", strategyRecorded = "strategy_recorded"
        case cases, planned, held
    }

    /// The explanation in plain words, for the terminal.
    public func text() -> String {
        var out: [String] = []
        let missed = asked != night ? " (no run on \(asked): the last run before it)" : ""
        out.append("customer \(customerID) on \(night)\(missed)")
        out.append("  decided by strategy \(strategyName) (\(strategySHA256.prefix(12))), engine \(engineVersion), committed \(committedAt)")
        if !strategyRecorded { out.append("  (that strategy version is not in the store: rules are not re-derived)") }
        for c in cases {
            out.append("")
            out.append("case \(c.caseID)")
            out.append("  facts     DPD \(c.dpd), overdue \(c.amountOverdue), score \(c.score.map(String.init) ?? "none") (recorded \(c.recordedOn))")
            out.append("  stage     \(c.stage): \(c.stageWhy)")
            out.append("  bucket    \(c.bucket): \(c.bucketWhy)")
            out.append("  segment   \(c.segment)" + (c.segmentRules.isEmpty ? "" : ": the first rule that matches"))
            for r in c.segmentRules { out.append("              \(r.matched ? "yes" : "no ") \(r.name): \(r.why)") }
            if !c.variant.isEmpty { out.append("  variant   \(c.variant)" + (c.variantWhy.isEmpty ? "" : ": \(c.variantWhy)")) }
            if !c.group.isEmpty || !c.groupRules.isEmpty {
                out.append("  group     \(c.group)" + (c.groupRules.isEmpty ? "" : ": the first group that serves it"))
                for r in c.groupRules { out.append("              \(r.matched ? "yes" : "no ") \(r.name): \(r.why)") }
                let member = c.agentID.isEmpty ? "no agent" : "agent \(c.agentID)"
                let tonight = c.assignmentTonight + (c.assignmentReason.isEmpty ? "" : " (\(c.assignmentReason))")
                out.append("  agent     \(member) since \(c.assignedOn); that night: \(tonight)")
                for h in c.assignmentHistory {
                    let reason = h.reason.isEmpty ? "" : " (\(h.reason))"
                    out.append("              \(h.runDate) \(h.assignment)\(reason): \(h.group)\(h.agentID.isEmpty ? "" : "/" + h.agentID)")
                }
            }
            if !c.milestones.isEmpty {
                out.append("  milestones")
                for m in c.milestones {
                    let loan = m.loanID.isEmpty ? "" : " \(m.loanID)"
                    let detail = m.detail.isEmpty ? "" : " \(m.detail)"
                    out.append("              \(m.actedOn) \(m.kind)\(loan)\(detail) (due \(m.dueOn)\(m.adopted == true ? ", adopted" : ""))")
                }
            }
        }
        out.append("")
        out.append("contacts planned that night: \(planned.count)")
        for p in planned {
            let agent = p.agentID.isEmpty ? "" : " by \(p.agentID)"
            out.append("  \(p.scheduledAt) \(p.channel) \(p.template)\(agent) to \(p.target) for \(p.caseID): \(p.reason)")
        }
        out.append("held back that night: \(held.count)")
        for h in held {
            let until = h.retryUntil.isEmpty ? "" : " until \(h.retryUntil)"
            out.append("  \(h.channel) \(h.template) for \(h.caseID): \(h.reason) held by \(h.heldBy), \(h.outcome)\(until)")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
