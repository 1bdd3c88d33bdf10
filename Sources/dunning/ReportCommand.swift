import ArgumentParser
import DunningCore
import DunningEngine
import DunningIO
import Foundation

/// `dunning report`: the portfolio's history from the state store.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Roll rates, cure rates and recovered amounts per segment and variant, contact volumes and agent workload over committed nights.",
        discussion: """
            Reads the state store only. The window runs from --from to --to (default: every committed \
            night); its cohort is the cases open on its first night. --html writes one self-contained \
            HTML file with charts (no network needed to open it).
            """
    )

    @Option(help: "First night of the window (YYYY-MM-DD; default: the first committed night).")
    var from: String?

    @Option(help: "Last night of the window (YYYY-MM-DD; default: the last committed night).")
    var to: String?

    @OptionGroup var store: StoreOption

    @Option(help: "Also write the report as a self-contained HTML file.")
    var html: String?

    @Flag(help: "Print the report as JSON instead of tables.")
    var json = false

    mutating func validate() throws {
        for (flag, value) in [("--from", from), ("--to", to)] {
            if let value, Day(iso: value) == nil { throw ValidationError("\(flag) '\(value)' is not a valid date (YYYY-MM-DD)") }
        }
        if let html { _ = try DunningEnvironment.path(flag: html, flagName: "--html", variable: "") }
        if let from = from.flatMap({ Day(iso: $0) }), let to = to.flatMap({ Day(iso: $0) }), to < from {
            throw ValidationError("--to \(to) is before --from \(from)")
        }
    }

    func run() throws {
        let report: PortfolioReport
        do {
            report = try PortfolioReporter(storePath: store.path).report(from: from.flatMap { Day(iso: $0) }, to: to.flatMap { Day(iso: $0) })
        } catch {
            error.exit()
        }
        if let html {
            // Written like the nightly outputs: a temporary file, then a rename.
            let directory = PathText.directory(of: html)
            do throws(StagedOutput.WriteError) {
                var staged = try StagedOutput(directory: directory.isEmpty ? "." : directory)
                try staged.stage(PathText.lastComponent(html), Array(report.html().utf8))
                try staged.publish()
            } catch {
                RunError.io("cannot write \(html): \(error)").exit()
            }
        }
        if json { FileHandle.standardOutput.write(Data(report.json())) } else { print(report.text(), terminator: "") }
    }
}
