import ArgumentParser
import DunningEngine
import DunningStrategy
#if canImport(Glibc)
import Glibc
#endif

/// `dunning validate`: checks strategy files without running anything.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check strategy files and report every problem as file:line:column.",
        discussion: "Exits 0 when every file is valid, 78 (EX_CONFIG) otherwise."
    )

    @Argument(help: "Strategy YAML files.")
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            switch StrategyLoader.load(path: file) {
            case .success(let strategy):
                let contact = strategy.contact
                let groups = strategy.allocation.map { ", \($0.groups.count) allocation groups" } ?? ""
                print("\(file): ok (strategy \(strategy.name), \(strategy.segments.count) segments, \(strategy.buckets.buckets.count) buckets, \(contact.treatments.count) treatments, \(contact.notices.count) notices, \(contact.holidays.count) holidays\(groups), sha256 \(strategy.contentHash.prefix(12)))")
            case .failure(let error):
                failed = true
                printError(error.description)
            }
        }
        if failed { Glibc.exit(RunError.config([]).exitCode) }
    }
}
