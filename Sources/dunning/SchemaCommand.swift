import ArgumentParser
import DunningStrategy

/// `dunning schema`: the JSON Schema of strategy files, for editors.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of strategy files (strategies/strategy.schema.json is this output).",
        discussion: """
            Editors with YAML support (VS Code's YAML extension, JetBrains IDEs) read the first line \
            of a strategy file, `# yaml-language-server: $schema=./strategy.schema.json`, and then \
            complete and check keys as you type. The schema checks shape only; `dunning validate` \
            checks everything.
            """
    )

    func run() throws {
        print(StrategySchema.text, terminator: "")
    }
}
