import ArgumentParser
import DunningCore
import DunningIO
import Foundation

/// `dunning generate`: a deterministic synthetic portfolio for benchmarks and demos.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic portfolio (customers.csv, ledger.csv, events.csv, agents.csv and manifest.json) of N customers.",
        discussion: "manifest.json gives each file's data rows and SHA-256 and the as-of date, as an extract job would (docs/file-formats.md#manifestjson)."
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
        guard !out.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--out is empty: give a directory") }
    }

    func run() throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var handles: [String: FileHandle] = [:]
        for name in PortfolioGenerator.files {
            let path = out + "/" + name
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            handles[name] = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        }
        // The manifest's figures are counted from what is written, as an extract job would: the
        // generated rows hold no quoted line breaks, so data rows are line ends less the header's.
        var digests: [String: SHA256Stream] = [:], lineEnds: [String: Int] = [:]
        for name in PortfolioGenerator.files { digests[name] = SHA256Stream() }
        try PortfolioGenerator(customers: customers, seed: seed, asOf: Day(iso: asOf)!).generate { name, bytes in
            try handles[name]!.write(contentsOf: bytes)
            digests[name]!.update(bytes)
            lineEnds[name, default: 0] += bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        for handle in handles.values { try handle.close() }
        let figures = PortfolioGenerator.files.map { (name: $0, rows: max(0, (lineEnds[$0] ?? 0) - 1), sha256: digests[$0]!.finish()) }
        let manifest = ExtractManifest.render(asOf: Day(iso: asOf)!, files: figures)
        try Data(manifest.utf8).write(to: URL(fileURLWithPath: out + "/" + ExtractManifest.fileName), options: .atomic)
        print("wrote \(customers) customers to \(out)")
    }
}
