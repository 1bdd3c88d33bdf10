import DunningCore
import Foundation

/// The report as one self-contained HTML file: inline CSS and inline SVG charts, no script, no
/// font, image or style sheet from anywhere, so it opens offline and mails as one attachment.
extension PortfolioReport {
    public func html() -> String {
        var body: [String] = []
        body.append("<h1>dunning report \(esc(from)) to \(esc(to))</h1>")
        body.append("<p class=\"lede\">\(nights.count) committed night\(nights.count == 1 ? "" : "s"); cohort: \(cohort) cases open on \(esc(from)). Cured: settled or back to <code>current</code> by \(esc(to)). Recovered: the drop of each case's overdue amount.</p>")
        body.append(rollTable())
        body.append(outcomeSection())
        body.append(contactSection())
        body.append(workloadSection())
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>dunning report \(esc(from)) to \(esc(to))</title>
            <style>
            body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #1d2733; }
            h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #d0d7de; }
            table { border-collapse: collapse; margin: .5em 0 1em; } th, td { padding: .25em .6em; border: 1px solid #d0d7de; text-align: right; }
            th:first-child, td:first-child { text-align: left; } th { background: #f3f5f7; }
            .lede { color: #4b5866; } svg text { font: 11px system-ui, sans-serif; fill: #1d2733; }
            .axis { stroke: #8c959f; } .grid { stroke: #e6e9ec; } .bar { fill: #3b82c4; } .whisker { stroke: #1d2733; stroke-width: 1.5; }
            .series { fill: none; stroke-width: 2; } .yes { color: #0b7a32; font-weight: 600; }
            </style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    private func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private func number(_ s: String) -> Double { Double(s) ?? 0 }

    private func rollTable() -> String {
        let fromStates = states.filter { s in rollRates.contains { $0.from == s } }
        var rows = ["<h2 id=\"roll-rates\">Roll rates</h2>", "<p>Bucket on \(esc(from)) (rows) against the state on \(esc(to)) (columns): cases and share of the row.</p>",
                    "<table id=\"roll-table\"><tr><th>from \\ to</th>" + states.map { "<th>\(esc($0))</th>" }.joined() + "</tr>"]
        for s in fromStates {
            var cells = "<tr><td>\(esc(s))</td>"
            for t in states {
                if let r = rollRates.first(where: { $0.from == s && $0.to == t }) {
                    let alpha = String(format: "%.2f", min(1, number(r.percent) / 100) * 0.6)
                    cells += "<td class=\"roll\" style=\"background: rgba(59,130,196,\(alpha))\">\(r.cases) (\(r.percent)%)</td>"
                } else {
                    cells += "<td>-</td>"
                }
            }
            rows.append(cells + "</tr>")
        }
        rows.append("</table>")
        return rows.joined(separator: "\n")
    }

    private func outcomeSection() -> String {
        var out = ["<h2 id=\"cure-rates\">Cure rate and recovered amount per segment and variant</h2>"]
        // Horizontal bars with their 95% intervals.
        let rowHeight = 26, left = 220, width = 520
        let height = outcomes.count * rowHeight + 30
        var svg = ["<svg id=\"cure-chart\" role=\"img\" aria-label=\"cure rate per segment and variant\" width=\"\(left + width + 60)\" height=\"\(height)\" viewBox=\"0 0 \(left + width + 60) \(height)\">"]
        for tick in stride(from: 0, through: 100, by: 25) {
            let x = left + width * tick / 100
            svg.append("<line class=\"grid\" x1=\"\(x)\" y1=\"0\" x2=\"\(x)\" y2=\"\(height - 20)\"/><text x=\"\(x)\" y=\"\(height - 6)\" text-anchor=\"middle\">\(tick)%</text>")
        }
        for (i, o) in outcomes.enumerated() {
            let y = i * rowHeight + 4
            let label = o.variant.isEmpty ? o.segment : "\(o.segment) / \(o.variant)"
            let w = Double(width) * number(o.cureRatePercent) / 100
            let lo = Double(left) + Double(width) * number(o.cureRateLowPercent) / 100
            let hi = Double(left) + Double(width) * number(o.cureRateHighPercent) / 100
            svg.append("<text x=\"\(left - 8)\" y=\"\(y + 14)\" text-anchor=\"end\">\(esc(label))</text>")
            svg.append("<rect class=\"bar\" data-key=\"\(esc(label))\" x=\"\(left)\" y=\"\(y)\" width=\(String(format: "\"%.1f\"", w)) height=\"18\"><title>\(esc(label)): \(o.cureRatePercent)% of \(o.cases)</title></rect>")
            svg.append(String(format: "<line class=\"whisker\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", lo, y + 9, hi, y + 9))
            svg.append("<text x=\"\(left + width + 6)\" y=\"\(y + 14)\">\(o.cureRatePercent)%</text>")
        }
        svg.append("</svg>")
        out.append(svg.joined(separator: "\n"))
        out.append("<table id=\"outcome-table\"><tr><th>segment</th><th>variant</th><th>cases</th><th>cured</th><th>cure %</th><th>95% interval</th><th>overdue at start</th><th>recovered</th></tr>")
        for o in outcomes {
            out.append("<tr><td>\(esc(o.segment))</td><td>\(esc(o.variant.isEmpty ? "-" : o.variant))</td><td>\(o.cases)</td><td>\(o.cured)</td><td>\(o.cureRatePercent)</td><td>\(o.cureRateLowPercent)..\(o.cureRateHighPercent)</td><td>\(o.overdueAtStart)</td><td>\(o.recovered)</td></tr>")
        }
        out.append("</table>")
        if !comparisons.isEmpty {
            out.append("<h2 id=\"variants\">Variants against the segment's largest variant</h2>")
            out.append("<table id=\"comparison-table\"><tr><th>segment</th><th>variant</th><th>against</th><th>difference (points)</th><th>95% interval</th><th>significant</th></tr>")
            for c in comparisons {
                out.append("<tr><td>\(esc(c.segment))</td><td>\(esc(c.variant))</td><td>\(esc(c.reference))</td><td>\(c.differencePoints)</td><td>\(c.lowPoints)..\(c.highPoints)</td><td class=\"\(c.significant ? "yes" : "no")\">\(c.significant ? "yes" : "no")</td></tr>")
            }
            out.append("</table>")
        }
        return out.joined(separator: "\n")
    }

    /// A line per key over the nights.
    private func lineChart(id: String, label: String, series: [(String, [Double])]) -> String {
        let left = 50, width = 760, height = 220, top = 10
        let maxValue = max(1, (series.flatMap(\.1).max() ?? 1).rounded(.up))
        let colours = ["#3b82c4", "#d9822b", "#2f9e44", "#c2255c", "#7048e8", "#0c8599", "#868e96"]
        let step = nights.count > 1 ? Double(width) / Double(nights.count - 1) : 0
        var svg = ["<svg id=\"\(id)\" role=\"img\" aria-label=\"\(esc(label))\" width=\"\(left + width + 160)\" height=\"\(height + 40)\" viewBox=\"0 0 \(left + width + 160) \(height + 40)\">"]
        svg.append("<line class=\"axis\" x1=\"\(left)\" y1=\"\(top + height)\" x2=\"\(left + width)\" y2=\"\(top + height)\"/>")
        svg.append("<line class=\"axis\" x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + height)\"/>")
        svg.append("<text x=\"\(left - 6)\" y=\"\(top + 4)\" text-anchor=\"end\">\(Int(maxValue))</text><text x=\"\(left - 6)\" y=\"\(top + height)\" text-anchor=\"end\">0</text>")
        for (i, n) in nights.enumerated() where nights.count <= 12 || i % max(1, nights.count / 8) == 0 {
            svg.append(String(format: "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%@</text>", Double(left) + step * Double(i), top + height + 16, String(n.dropFirst(5)) as NSString))
        }
        for (k, (key, values)) in series.enumerated() {
            let points = values.enumerated().map { i, v in
                String(format: "%.1f,%.1f", Double(left) + step * Double(i), Double(top + height) - Double(height) * v / maxValue)
            }.joined(separator: " ")
            let colour = colours[k % colours.count]
            svg.append("<polyline class=\"series\" data-key=\"\(esc(key))\" stroke=\"\(colour)\" points=\"\(points)\"><title>\(esc(key))</title></polyline>")
            svg.append("<text x=\"\(left + width + 10)\" y=\"\(top + 14 + 16 * k)\" style=\"fill: \(colour)\">\(esc(key))</text>")
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }

    private func contactSection() -> String {
        let channels = self.channels
        let series = channels.map { c in (c, nights.map { n in Double(contacts.first { $0.night == n && $0.key == c }?.count ?? 0) }) }
        var out = ["<h2 id=\"contacts\">Contact volumes</h2>", lineChart(id: "contacts-chart", label: "contacts planned per night and channel", series: series)]
        out.append("<table id=\"contacts-table\"><tr><th>night</th>" + channels.map { "<th>\(esc($0))</th>" }.joined() + "</tr>")
        for (i, n) in nights.enumerated() {
            out.append("<tr><td>\(esc(n))</td>" + series.map { "<td>\(Int($0.1[i]))</td>" }.joined() + "</tr>")
        }
        out.append("</table>")
        out.append("<table id=\"held-table\"><tr><th>held back by</th><th>occurrences</th></tr>" +
                   heldTotals.map { "<tr><td>\(esc($0.rule))</td><td>\($0.count)</td></tr>" }.joined() + "</table>")
        return out.joined(separator: "\n")
    }

    private func workloadSection() -> String {
        let groups = Array(Set(workload.map(\.group))).sorted()
        let series = groups.map { g in
            (g, nights.map { n in Double(workload.first { $0.night == n && $0.group == g }?.averageCases ?? "0") ?? 0 })
        }
        var out = ["<h2 id=\"workload\">Agent workload over time</h2>", "<p>Average open cases per member and night, per group (agents and agencies).</p>",
                   lineChart(id: "workload-chart", label: "average cases per member", series: series)]
        out.append("<table id=\"workload-table\"><tr><th>night</th><th>group</th><th>members</th><th>cases</th><th>min</th><th>avg</th><th>max</th><th>planned calls</th></tr>")
        for w in workload {
            out.append("<tr><td>\(esc(w.night))</td><td>\(esc(w.group))</td><td>\(w.members)</td><td>\(w.cases)</td><td>\(w.minCases)</td><td>\(w.averageCases)</td><td>\(w.maxCases)</td><td>\(w.plannedCalls)</td></tr>")
        }
        out.append("</table>")
        return out.joined(separator: "\n")
    }
}
