import DunningCore
import Foundation

/// `dunning-bench`: times case allocation on synthetic portfolios (pure core, no IO) and prints
/// the balance it reaches. `make bench` runs it; docs/allocation.md explains the figures.
///
///     dunning-bench [CASES AGENTS]...     default: 10000 20  100000 200  1000000 2000

struct Scenario {
    var cases: Int
    var agents: Int
}

func synthetic(_ scenario: Scenario, seed: UInt64) -> (cases: [CaseState], agents: [Agent]) {
    var rng = SplitMix64(state: seed)
    var cases: [CaseState] = []
    cases.reserveCapacity(scenario.cases)
    for i in 0..<scenario.cases {
        // Overdue amounts like the generator's: one to a dozen instalments of 50 to 2,050 units,
        // most cases one or two instalments behind.
        let instalments = 1 + (rng.below(4) == 0 ? rng.below(12) : rng.below(2))
        let amount = Int64(instalments) * Int64(5_000 + rng.below(200_000))
        let key = CaseKey(customerID: "C" + pad(i + 1, 8), product: "cash_loan")
        cases.append(CaseState(key: key, episode: 1, stage: .overdue, bucket: "M0", dpd: 10,
                               amountOverdue: Money(minorUnits: amount), penaltyAccrued: .zero, segment: "s",
                               currency: "CNY"))
    }
    let capacity = scenario.cases / scenario.agents * 2
    let agents = (0..<scenario.agents).map { a in
        Agent(id: "A" + pad(a + 1, 5), group: "team", capacity: capacity)
    }
    return (cases, agents)
}

func measure<T>(_ body: () -> T) -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

var args = Array(CommandLine.arguments.dropFirst()).compactMap { Int($0) }
if args.isEmpty { args = [10_000, 20, 100_000, 200, 1_000_000, 2_000] }
let policy = AllocationPolicy(groups: [AllocationGroup(name: "team", rebalanceLimit: .percent(5))],
                              anchor: SourceAnchor(file: "bench", line: 1, column: 1))
/// Left-aligned columns of fixed widths.
func row(_ cells: [String], _ widths: [Int]) -> String {
    zip(cells, widths).map { $0.padding(toLength: max($1, $0.count), withPad: " ", startingAt: 0) }.joined(separator: " ")
}
let widths = [9, 7, 11, 8, 10, 14, 16, 8, 7, 7]
print(row(["cases", "agents", "night", "seconds", "cases/s", "count_gap", "amount_gap_%", "kept", "moved", "new"], widths))
for pair in stride(from: 0, to: args.count - 1, by: 2) {
    let scenario = Scenario(cases: args[pair], agents: args[pair + 1])
    let (cases, agents) = synthetic(scenario, seed: 42)
    let allocator = CaseAllocator(policy: policy)
    // Night 1: no history. Night 2: 10% of the cases are new, 5% of the agents left, the rest kept.
    let (first, t1) = measure { try! allocator.allocate(.init(cases: cases, agents: agents, prior: [:], stoppedCustomers: [])).get() }
    var prior: [String: PriorAssignment] = [:]
    for (c, a) in zip(cases, first.assignments) where StableHash.of(c.caseID) % 10 != 0 {
        prior[c.caseID] = PriorAssignment(group: a.group, agentID: a.agentID, bucket: c.bucket)
    }
    let roster = agents.enumerated().map { i, a in var a = a; if i % 20 == 7 { a.active = false }; return a }
    let (second, t2) = measure { try! allocator.allocate(.init(cases: cases, agents: roster, prior: prior, stoppedCustomers: [])).get() }
    for (night, outcome, seconds) in [("1 empty", first, t1), ("2 steady", second, t2)] {
        let g = outcome.groups[0]
        print(row([String(scenario.cases), String(scenario.agents), night, String(format: "%.3f", seconds),
                   String(format: "%.0f", Double(scenario.cases) / seconds),
                   "\(signedHundredths(g.casesBelowIdeal))..\(signedHundredths(g.casesAboveIdeal))",
                   "\(signedHundredths(g.amountBelowIdeal))..\(signedHundredths(g.amountAboveIdeal))",
                   String(g.counts[.kept, default: 0]), String(g.counts[.moved, default: 0]), String(g.counts[.new, default: 0])],
                  widths))
    }
}
