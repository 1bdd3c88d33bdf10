import DunningCore
import DunningStore
import DunningStrategy
import Foundation

/// `dunning report`: the portfolio's history over a window of committed nights, from the state
/// store only: roll rates, cure rates and recovered amounts per segment and variant, contact
/// volumes and agent workload.
public struct PortfolioReporter {
    public let storePath: String

    public init(storePath: String) { self.storePath = storePath }

    public func report(from: Day?, to: Day?) throws(RunError) -> PortfolioReport {
        do {
            guard let store = try StateStore.openReadOnly(path: storePath) else { throw RunError.noInput("no state store at \(storePath)") }
            guard let first = try store.firstRunDate(), let last = try store.lastRunDate() else {
                throw RunError.noInput("\(storePath): no night has been committed yet")
            }
            // Retention leaves complete history only from `history_from` on: a window reaching
            // before it would count cases and contacts that are no longer there.
            let complete = try store.historyFrom()
            if let complete, let asked = from ?? to, asked < complete {
                throw RunError.noInput("\(storePath): the nights before \(complete) are beyond the store's retention (--retain-days pruned their contacts and superseded decisions), so a report starting \(asked) would count from incomplete history; start on \(complete) or later (--from \(complete)), or keep more history with a larger --retain-days")
            }
            let start = max(from ?? first, first, complete ?? first), end = min(to ?? last, last)
            let nights = try store.runDates(from: start, through: end)
            guard let firstNight = nights.first, let lastNight = nights.last else {
                throw RunError.noInput("\(storePath): no night was committed from \(start) through \(end)")
            }
            var buckets = [BucketScheme.current] + StrategyDefaults.buckets.map(\.name)
            if let (name, sha, source) = try store.strategy(of: lastNight), let source, !source.yaml.isEmpty,
               case .success(let strategy) = StrategyLoader.load(source: source, file: "\(name) (\(sha.prefix(12)))") {
                buckets = [BucketScheme.current] + strategy.buckets.buckets.map(\.name)
            }
            let volumes = try store.contactVolumes(from: firstNight, through: lastNight)
            // Inactive members hold nothing and are not part of a group's load.
            let workloads = try store.workloads(from: firstNight, through: lastNight).filter(\.active).map {
                WorkloadPoint(night: $0.runDate, group: $0.group, agentID: $0.agentID, kind: $0.kind, cases: $0.cases,
                              plannedCalls: $0.plannedCalls)
            }
            return PortfolioReport.make(.init(
                nights: nights, buckets: buckets, start: try store.decisions(through: firstNight),
                end: try store.decisions(through: lastNight), settled: try store.settlements(through: lastNight),
                planned: volumes.planned, held: volumes.held, workloads: workloads))
        } catch let error as RunError {
            throw error
        } catch let error as StateStore.StoreError where error.isNotAStore {
            throw .cannotCreate(error.description)
        } catch {
            throw .io("cannot read the state store \(storePath): \(error)")
        }
    }
}

extension PortfolioReport {
    /// Tables for the terminal.
    public func text() -> String {
        var out = ["dunning report \(from) to \(to)  (\(nights.count) night\(nights.count == 1 ? "" : "s"), cohort: \(cohort) cases open on \(from))"]
        func table(_ title: String, _ header: [String], _ rows: [[String]]) {
            out.append("")
            out.append(title)
            guard !rows.isEmpty else { out.append("  (none)"); return }
            let widths = header.indices.map { i in max(header[i].count, rows.map { $0[i].count }.max() ?? 0) }
            func line(_ cells: [String]) -> String {
                "  " + cells.enumerated().map { i, c in
                    i == 0 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                        : String(repeating: " ", count: widths[i] - c.count) + c
                }.joined(separator: "  ")
            }
            out.append(line(header))
            for r in rows { out.append(line(r)) }
        }
        let fromStates = states.filter { s in rollRates.contains { $0.from == s } }
        table("roll rates: bucket on \(from) -> state on \(to) (cases, % of the row)", ["from"] + states,
              fromStates.map { s in
                  [s] + states.map { t in rollRates.first { $0.from == s && $0.to == t }.map { "\($0.cases) (\($0.percent)%)" } ?? "-" }
              })
        table("cure rate and recovered amount per segment and variant (cured: settled or back to current)",
              ["segment", "variant", "cases", "cured", "cure %", "95% interval", "overdue at start", "recovered"],
              outcomes.map { [$0.segment, $0.variant.isEmpty ? "-" : $0.variant, String($0.cases), String($0.cured), $0.cureRatePercent,
                              "\($0.cureRateLowPercent)..\($0.cureRateHighPercent)", $0.overdueAtStart, $0.recovered] })
        if !comparisons.isEmpty {
            table("variants against the segment's largest variant (cure rate difference, percentage points)",
                  ["segment", "variant", "vs", "difference", "95% interval", "significant"],
                  comparisons.map { [$0.segment, $0.variant, $0.reference, $0.differencePoints, "\($0.lowPoints)..\($0.highPoints)",
                                     $0.significant ? "yes" : "no"] })
        }
        let channels = self.channels
        table("contacts planned per night", ["night"] + channels,
              nights.map { n in [n] + channels.map { c in String(contacts.first { $0.night == n && $0.key == c }?.count ?? 0) } })
        table("held back over the window, per rule", ["rule", "occurrences"], heldTotals.map { [$0.rule, String($0.count)] })
        table("agent workload per night and group", ["night", "group", "members", "cases", "min", "avg", "max", "planned calls"],
              workload.map { [$0.night, $0.group, String($0.members), String($0.cases), String($0.minCases), $0.averageCases,
                              String($0.maxCases), String($0.plannedCalls)] })
        return out.joined(separator: "\n") + "\n"
    }
}
