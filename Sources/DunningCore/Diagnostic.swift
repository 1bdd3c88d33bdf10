/// A problem found in a strategy or data file, located so that an editor can jump to it.
///
/// Rendered as `file:line:column: error: message`, the format compilers use, so terminals and
/// editors turn it into a link.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible, Comparable {
    public enum Severity: String, Sendable { case error, warning }

    public var file: String
    public var line: Int
    public var column: Int
    public var severity: Severity
    public var message: String

    public init(file: String, line: Int, column: Int, severity: Severity = .error, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(severity.rawValue): \(message)" }

    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        (a.file, a.line, a.column, a.message) < (b.file, b.line, b.column, b.message)
    }
}
