import DunningCore
import DunningEngine
import Foundation
import Logging

/// Paths and helpers shared by the engine tests.
enum TestSupport {
    /// The package root, found from this file's location.
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var strategy: String { root.appendingPathComponent("strategies/default.yaml").path }
    static func fixture(_ path: String) -> String { root.appendingPathComponent("fixtures").appendingPathComponent(path).path }

    static func temporaryDirectory() -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dunning-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static let quietLogger: Logger = {
        var logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        logger.logLevel = .critical
        return logger
    }()

    /// The nights of a fixture scenario, in date order.
    static func nights(_ scenario: String) -> [(Day, String)] {
        let dir = fixture("\(scenario)/nights")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.compactMap { name in Day(iso: name).map { ($0, dir + "/" + name) } }.sorted { $0.0 < $1.0 }
    }

    /// Runs a night. A scenario's first night finds its store made as `dunning init` makes it
    /// (`createStore: false` leaves a missing store missing, to test the refusal).
    @discardableResult
    static func run(_ day: Day, input: String, store: String, out: String?, dryRun: Bool = false,
                    skipBadRows: Bool = false, strategy: String = TestSupport.strategy, workers: Int? = nil,
                    createStore: Bool = true) throws -> RunReport {
        if createStore, !FileManager.default.fileExists(atPath: store) { try initStore(store) }
        var options = RunOptions(asOf: day, strategyPath: strategy, inputDirectory: input, storePath: store,
                                 outputDirectory: out, dryRun: dryRun, skipBadRows: skipBadRows)
        if let workers { options.workers = workers }
        return try NightlyRun(options: options, logger: quietLogger).execute()
    }

    /// A new store, as `dunning init` makes it.
    static func initStore(_ path: String, adoptBefore: Day? = nil) throws {
        _ = try StoreSetup.initialize(path: path, adoptBefore: adoptBefore, zone: "UTC", now: nil)
    }

    /// Puts the roster the default strategy's groups need (fixtures/bad-rows/agents.csv) into `directory`.
    static func writeDefaultAgents(_ directory: String) throws {
        try FileManager.default.copyItem(atPath: fixture("bad-rows/agents.csv"), toPath: directory + "/agents.csv")
    }

    static func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    /// summary.json without its `timings_ms` object, the only part that differs between runs.
    static func stableSummary(_ path: String) -> String? {
        guard let text = read(path) else { return nil }
        var lines: [Substring] = []
        var skipping = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.contains("\"timings_ms\"") { skipping = !line.contains("}"); continue }
            if skipping { if line.contains("}") { skipping = false }; continue }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
