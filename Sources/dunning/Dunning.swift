import ArgumentParser
import DunningEngine

/// The `dunning` command: nightly collection strategy engine.
@main
struct Dunning: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dunning",
        abstract: "Nightly post-loan collection engine: stages, segments, case allocation, contact plans; previews, explanations and reports for analysts.",
        discussion: "Start with `dunning init` (a new store), then `dunning run` every night. Exit codes: 0 ok, 64 usage, 65 data error, 66 missing input (or no store), 70 internal error, 73 cannot create output, 74 I/O error, 75 another run holds the store, 78 invalid strategy.",
        version: NightlyRun.engineVersion,
        subcommands: [InitCommand.self, RunCommand.self, RollbackCommand.self, ValidateCommand.self, PreviewCommand.self,
                      ExplainCommand.self, ReportCommand.self, GenerateCommand.self, SchemaCommand.self]
    )
}
