import ArgumentParser
import DunningEngine
import Foundation

/// `--db` for the commands that only read the state store (`explain`, `report`).
struct StoreOption: ParsableArguments {
    @Option(help: "SQLite state store (default: $DUNNING_DB or \(RunOptions.defaultStorePath)).")
    var db: String?

    var path: String { db ?? ProcessInfo.processInfo.environment["DUNNING_DB"] ?? RunOptions.defaultStorePath }
}
