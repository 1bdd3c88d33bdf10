import ArgumentParser
import DunningCore
import DunningIO
import Foundation

/// `dunning generate`: a deterministic synthetic portfolio for benchmarks and demos.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic portfolio (customers.csv, ledger.csv, events.csv, agents.csv) of N customers."
    )

    @Option(help: "Number of customers.")
    var customers: Int = 100_000

    @Option(help: "Seed: the same seed and size give byte-identical files.")
    var seed: UInt64 = 42

    @Option(name: .customLong("as-of"), help: "Business date the portfolio is built around (YYYY-MM-DD).")
    var asOf: String

    @Option(help: "Directory to write into (created if missing).")
    var out: String

    mutating func validate() throws {
        guard Day(iso: asOf) != nil else { throw ValidationError("--as-of '\(asOf)' is not a valid date (YYYY-MM-DD)") }
        guard customers > 0, customers <= 50_000_000 else { throw ValidationError("--customers must be 1 to 50000000") }
    }

    func run() throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var handles: [String: FileHandle] = [:]
        for name in PortfolioGenerator.files {
            let path = out + "/" + name
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            handles[name] = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        }
        try PortfolioGenerator(customers: customers, seed: seed, asOf: Day(iso: asOf)!).generate { name, bytes in
            try handles[name]!.write(contentsOf: bytes)
        }
        for handle in handles.values { try handle.close() }
        print("wrote \(customers) customers to \(out)")
    }
}
