@testable import DunningCore
import Testing

/// Runs the planner the way the engine does: tonight's loans grouped by case, prior history
/// replayed from the actions of earlier nights.
struct PlannerHarness {
    var strategy = Fixture.strategy()
    var customers: [String: Customer] = [
        "C1": Customer(id: "C1", score: nil),
        "C2": Customer(id: "C2", score: 700),
    ]

    static let c1 = CaseKey(customerID: "C1", product: "cash")

    func night(_ asOf: Day, _ loans: [Loan], history: [Action] = [], held: Set<CaseKey> = []) -> NightDecision {
        night(asOf, loans, prior: CaseHistory.replay(history), held: held)
    }

    func night(_ asOf: Day, _ loans: [Loan], prior: [CaseKey: CaseHistory], held: Set<CaseKey> = []) -> NightDecision {
        var byCase: [CaseKey: [Loan]] = [:]
        for loan in loans {
            byCase[CaseKey(customerID: loan.customerID, product: loan.product), default: []].append(loan)
        }
        return NightPlanner(strategy: strategy, asOf: asOf).decide(loans: byCase, customers: customers, prior: prior, held: held)
    }

    /// Every night from `from` through `through`, each seeing the actions of all earlier nights.
    func nightly(from: Day, through: Day, _ loans: (Day) -> [Loan]) -> (perNight: [Day: NightDecision], all: [Action]) {
        var all: [Action] = []
        var perNight: [Day: NightDecision] = [:]
        var day = from
        while day <= through {
            let decision = night(day, loans(day), history: all)
            perNight[day] = decision
            all += decision.actions
            day = day + 1
        }
        return (perNight, all)
    }
}

/// A compact, comparable description of an action: kind, loan, due date, night acted, detail.
func sig(_ a: Action) -> String {
    "\(a.kind.rawValue)|\(a.loanID)|due=\(a.dueOn)|acted=\(a.actedOn)|\(a.detail)"
}

extension NightDecision {
    func of(_ kind: MilestoneKind) -> [Action] { actions.filter { $0.kind == kind } }
    var signatures: [String] { actions.map(sig) }
}
