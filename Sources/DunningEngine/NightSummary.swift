import DunningCore
import DunningIO
import Foundation

extension Summary {
    static func make(asOf: Day, strategy: Strategy, committed: Bool, missedNights: Int, inputs: Inputs,
                     decision: NightDecision, plan: ContactPlan, allocation: NightAllocation?) -> Summary {
        var stages: [String: Int] = [:], buckets: [String: Int] = [:], segments: [String: Int] = [:], actions: [String: Int] = [:]
        var overdue: [String: Money] = [:], penalty: [String: Money] = [:]
        var variants: [String: [String: Int]] = [:]
        for c in decision.cases {
            if !c.variant.isEmpty { variants[c.segment, default: [:]][c.variant, default: 0] += 1 }
            stages[c.stage.rawValue, default: 0] += 1
            buckets[c.bucket, default: 0] += 1
            segments[c.segment, default: 0] += 1
            overdue[c.currency, default: .zero] += c.amountOverdue
            penalty[c.currency, default: .zero] += c.penaltyAccrued
        }
        var adopted: [String: Int] = [:]
        for a in decision.actions {
            if a.adopted { adopted[a.kind.rawValue, default: 0] += 1 } else { actions[a.kind.rawValue, default: 0] += 1 }
        }
        var summary = Summary(asOf: asOf.description, strategyName: strategy.name, strategyHash: strategy.contentHash,
                       committed: committed, missedNights: missedNights, inputRows: inputs.rowCounts,
                       rejectedRows: inputs.rejectedRowCount, heldCases: inputs.heldCases.count,
                       openCases: decision.cases.count, stages: stages, buckets: buckets, segments: segments,
                       variants: variants,
                       actions: actions, creditReportsAwaitingNotice: decision.reportsAwaitingNotice,
                       amountOverdue: overdue.mapValues(\.description), penaltyAccrued: penalty.mapValues(\.description),
                       timingsMs: [:], contacts: ContactFigures(plan: plan, businessZone: strategy.businessTimeZone, night: asOf),
                       allocation: allocation.map { AllocationSummary($0.outcome) })
        summary.adopted = adopted.isEmpty ? nil : adopted
        return summary
    }
}
