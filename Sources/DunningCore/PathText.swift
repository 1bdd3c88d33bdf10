/// The directory and name parts of a path, as text.
///
/// Foundation's `NSString.deletingLastPathComponent` traps on some short relative paths on Linux
/// (`x`, `ab`: swift-corelibs-foundation, Swift 6.3), which would crash the binary on
/// `--db x`; these work on any string and never touch the file system.
public enum PathText {
    /// `dir/sub` for `dir/sub/name`, `/` for `/name`, and `""` for a bare `name`. Trailing slashes
    /// of the directory part are dropped.
    public static func directory(of path: String) -> String {
        var bytes = Array(path.utf8)
        while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        var end = slash
        while end > 0, bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
        return end == 0 ? "/" : String(decoding: bytes[..<end], as: UTF8.self)
    }

    /// Why `path` (given as `source`, a flag or a variable) is almost surely a typing or quoting
    /// mistake: spaces or line breaks at either end (`DUNNING_OUT="out "`), or control
    /// characters anywhere. Nil when it has none.
    public static func spacingProblem(_ path: String, source: String) -> String? {
        let visible = path.unicodeScalars.map { $0.properties.generalCategory == .control ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
        if path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "\(source) '\(visible)' contains a control character (a line break or tab?): give the path alone"
        }
        if let first = path.unicodeScalars.first, let last = path.unicodeScalars.last,
           first.properties.isWhitespace || last.properties.isWhitespace {
            return "\(source) '\(path)' starts or ends with a space: give the path without it"
        }
        return nil
    }

    /// `name` for `dir/name` (and for `name`).
    public static func lastComponent(_ path: String) -> String {
        var bytes = Array(path.utf8)
        while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: bytes[(slash + 1)...], as: UTF8.self)
    }
}
