import DunningCore
import DunningIO
import Foundation
import Yams

/// Why a strategy could not be used: its diagnostics, all of them, in file order.
public struct StrategyError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics.sorted() }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Reads strategy files: YAML text -> checked `Strategy`, or every problem with its position.
public enum StrategyLoader {
    /// Loads and validates the strategy at `path`; diagnostics name the path as given.
    public static func load(path: String) -> Result<Strategy, StrategyError> {
        switch BoundedFile.read(path, limit: StrategyDefaults.maxFileBytes) {
        case .success(let bytes): return load(bytes: bytes, file: path)
        case .failure(let error):
            return .failure(StrategyError(diagnostics: [Diagnostic(file: path, line: 1, column: 1,
                                                                   message: "cannot read the strategy file (\(error))")]))
        }
    }

    /// Loads a strategy kept in the state store, with the files it had read.
    public static func load(source: StrategySource, file: String) -> Result<Strategy, StrategyError> {
        load(bytes: source.yaml, file: file, storedFiles: source.files)
    }

    public static func load(bytes: [UInt8], file: String, storedFiles: [String: [UInt8]]? = nil) -> Result<Strategy, StrategyError> {
        func fail(_ message: String, line: Int = 1, column: Int = 1) -> Result<Strategy, StrategyError> {
            .failure(StrategyError(diagnostics: [Diagnostic(file: file, line: line, column: column, message: message)]))
        }
        guard bytes.count <= StrategyDefaults.maxFileBytes else {
            return fail("strategy file is \(bytes.count) bytes; the limit is \(StrategyDefaults.maxFileBytes)")
        }
        var text = bytes[...]
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }
        guard let yaml = String(validating: text, as: UTF8.self) else {
            return fail("strategy file is not valid UTF-8")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            let (mark, message) = describe(error)
            return fail(message, line: mark?.line ?? 1, column: mark?.column ?? 1)
        } catch {
            return fail("cannot parse YAML: \(error)")
        }
        guard let root else { return fail("strategy file is empty") }
        var builder = StrategyBuilder(reader: YAMLReader(file: file), hash: SHA256.hex(bytes),
                                      baseDirectory: PathText.directory(of: file))
        builder.storedFiles = storedFiles
        var strategy = builder.build(root)
        strategy?.source = StrategySource(yaml: bytes, files: builder.readFiles)
        let diagnostics = builder.reader.diagnostics
        if let strategy, diagnostics.isEmpty { return .success(strategy) }
        return .failure(StrategyError(diagnostics: diagnostics))
    }

    private static func describe(_ error: YamlError) -> (Mark?, String) {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let prefix = context.map { "\($0.text): " } ?? ""
            return (mark, "YAML syntax: \(prefix)\(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return (context.mark, "duplicate key '\(duplicates.joined(separator: "', '"))' in the same mapping")
        case let .reader(problem, _, _, _):
            return (nil, "YAML reader: \(problem)")
        default:
            return (nil, "YAML: \(error)")
        }
    }
}
