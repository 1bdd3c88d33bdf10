import DunningCore
import Yams

/// Walks a composed YAML tree and records every problem it meets as a located diagnostic, so a
/// strategy file reports all its mistakes in one go instead of the first.
struct YAMLReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) { self.file = file }

    /// A problem located in another file (e.g. the holiday calendar).
    mutating func diagnosticsAppend(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    mutating func error(at node: Node?, _ message: String) {
        let mark = node?.mark
        diagnostics.append(Diagnostic(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
    }

    /// The entries of a mapping as (key, key node, value), reporting keys not in `allowed`.
    mutating func mapping(_ node: Node, in context: String, allowed: [String]) -> [(String, Node, Node)]? {
        guard case .mapping(let mapping) = node else {
            error(at: node, "\(context) must be a mapping (key: value lines)")
            return nil
        }
        var entries: [(String, Node, Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                error(at: keyNode, "keys in \(context) must be plain words")
                continue
            }
            if allowed.contains(key) {
                entries.append((key, keyNode, value))
            } else {
                let hint = closest(to: key, in: allowed).map { "; did you mean '\($0)'?" } ?? ""
                error(at: keyNode, "unknown key '\(key)' in \(context)\(hint) (allowed: \(allowed.joined(separator: ", ")))")
            }
        }
        return entries
    }

    mutating func sequence(_ node: Node, _ what: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            error(at: node, "\(what) must be a list")
            return nil
        }
        return Array(sequence)
    }

    mutating func string(_ node: Node, _ what: String) -> String? {
        guard let scalar = node.scalar else {
            error(at: node, "\(what) must be a text value")
            return nil
        }
        guard !scalar.string.isEmpty else {
            error(at: node, "\(what) must not be empty")
            return nil
        }
        return scalar.string
    }

    mutating func int(_ node: Node, _ what: String, in range: ClosedRange<Int>? = nil) -> Int? {
        guard let text = node.scalar?.string, let value = Int(text) else {
            error(at: node, "\(what) must be a whole number")
            return nil
        }
        if let range, !range.contains(value) {
            error(at: node, "\(what) must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
            return nil
        }
        return value
    }

    /// `true` or `false`.
    mutating func flag(_ node: Node, _ what: String) -> Bool? {
        switch node.scalar?.string {
        case "true": return true
        case "false": return false
        default:
            error(at: node, "\(what) must be true or false")
            return nil
        }
    }

    /// A list of words, or a single word standing for a one-element list.
    mutating func words(_ node: Node, _ what: String) -> [String]? {
        if node.scalar != nil { return string(node, what).map { [$0] } }
        guard let items = sequence(node, what) else { return nil }
        var result: [String] = []
        for item in items { if let word = string(item, "each entry of \(what)") { result.append(word) } }
        return result
    }

    private func closest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(word, $0)) }.min { $0.1 < $1.1 }
        guard let best = scored, best.1 <= max(2, word.count / 3) else { return nil }
        return best.0
    }
}

/// Levenshtein distance, for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
