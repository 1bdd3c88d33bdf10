import ArgumentParser
import DunningEngine
import Foundation

/// `dunning preview`: what a candidate strategy would change tonight, without committing.
struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Run tonight's job with a candidate strategy and with the one in force, commit nothing, and show what would change.",
        discussion: """
            Both runs are dry runs against the same inputs and state store: cases per segment, \
            variant and stage, stage actions, contacts per channel and local hour, what is held back \
            and why, cases per group and agent, and the cases that would change segment, group or \
            variant. Exit codes as for run.
            """
    )

    @OptionGroup var night: NightOptions

    @Option(help: "The candidate strategy YAML file.")
    var strategy: String

    @Option(help: "The strategy in force to compare with (default: $DUNNING_STRATEGY or strategies/default.yaml).")
    var baseline: String?

    @Flag(help: "Print the comparison as JSON.")
    var json = false

    mutating func validate() throws {
        _ = try DunningEnvironment.path(flag: strategy, flagName: "--strategy", variable: "DUNNING_STRATEGY")
        _ = try DunningEnvironment.path(flag: baseline, flagName: "--baseline", variable: "DUNNING_STRATEGY")
    }

    func run() throws {
        let options = try night.runOptions(strategy: strategy)
        let preview = StrategyPreview(options: options,
                                      baselinePath: try baseline ?? NightOptions.strategyInForce(), logger: night.logger())
        let report: PreviewReport
        do {
            report = try preview.execute()
        } catch {
            error.exit()
        }
        if json {
            FileHandle.standardOutput.write(Data(report.json()))
        } else {
            print(report.table(), terminator: "")
        }
    }
}
