import ArgumentParser

/// The `dunning` command: nightly collection strategy engine.
@main
struct Dunning: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dunning",
        abstract: "Nightly post-loan collection engine: stages, segments, case allocation, contact plans; previews, explanations and reports for analysts.",
        discussion: "Exit codes: 0 ok, 64 usage, 65 data error, 66 missing input, 70 internal error, 73 cannot create output, 74 I/O error, 75 another run holds the store, 78 invalid strategy.",
        version: "0.4.0",
        subcommands: [RunCommand.self, ValidateCommand.self, PreviewCommand.self, ExplainCommand.self, ReportCommand.self, GenerateCommand.self, SchemaCommand.self]
    )
}
