import ArgumentParser
import DunningEngine
import Foundation

/// `--db` for the commands that name a store without running a night (`init`, `rollback`,
/// `explain`, `report`). Empty paths and SQLite's special names exit 64.
struct StoreOption: ParsableArguments {
    @Option(help: "SQLite state store (default: $DUNNING_DB or \(RunOptions.defaultStorePath)).")
    var db: String?

    mutating func validate() throws { _ = try DunningEnvironment.storePath(flag: db) }

    /// Checked by `validate`.
    var path: String { (try? DunningEnvironment.storePath(flag: db)) ?? RunOptions.defaultStorePath }
}
