import DunningCore
@testable import DunningStrategy
import Testing

enum Load {
    static func result(_ yaml: String, file: String = "test.yaml") -> Result<Strategy, StrategyError> {
        StrategyLoader.load(bytes: Array(yaml.utf8), file: file)
    }

    /// The strategy, or an issue listing the diagnostics.
    static func strategy(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> Strategy? {
        switch result(yaml) {
        case .success(let s): return s
        case .failure(let e):
            Issue.record("expected a valid strategy, got:\n\(e)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// The diagnostics of an invalid strategy (empty, with an issue, if it loaded).
    static func diagnostics(_ yaml: String, file: String = "test.yaml",
                            sourceLocation: SourceLocation = #_sourceLocation) -> [Diagnostic] {
        switch result(yaml, file: file) {
        case .success:
            Issue.record("expected diagnostics, but the strategy loaded", sourceLocation: sourceLocation)
            return []
        case .failure(let e): return e.diagnostics
        }
    }

    /// A valid strategy with `extra` appended (sections that are not already present).
    static func minimal(_ extra: String = "", segments: String = "segments:\n  - name: everyone\n") -> String {
        "name: minimal\nbusiness_time_zone: Asia/Shanghai\ncurrency: CNY\n" + extra + segments
    }
}

extension Array where Element == Diagnostic {
    var rendered: [String] { map(\.description) }
    /// `line:column message` of every diagnostic, file name left out.
    var located: [String] { map { "\($0.line):\($0.column) \($0.message)" } }
}
