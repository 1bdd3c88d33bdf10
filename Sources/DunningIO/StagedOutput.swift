#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Output files written atomically, in two phases: `stage` writes each file in full to a hidden
/// temporary name in the target directory (then fsyncs it); `publish` renames them all into
/// place. A reader never sees a truncated file under a final name; a run that dies between the
/// phases leaves only hidden temporaries, which the next run removes.
public struct StagedOutput {
    public let directory: String
    public let mode: mode_t
    private var staged: [(temp: String, final: String)] = []
    /// The output directory did not exist before: a night that writes nothing leaves none.
    private let createdDirectory: Bool

    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var code: Int32
        /// True when the directory itself could not be created (as opposed to a failed write).
        public var isDirectory = false
        public var description: String { "\(path): \(String(cString: strerror(code)))" }
    }

    public static let tempPrefix = ".dunning-tmp-"

    public init(directory: String, mode: mode_t = 0o600) throws(WriteError) {
        self.directory = directory
        self.mode = mode
        createdDirectory = try Self.makeDirectories(directory)
        // A regular file or a link to nothing in its place is no directory to write into.
        var info = stat()
        guard stat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw WriteError(path: directory, code: ENOTDIR, isDirectory: true)
        }
        removeLeftovers()
    }

    public mutating func stage(_ name: String, _ bytes: [UInt8]) throws(WriteError) {
        try stage(name) { (file: inout FileWriter) throws(WriteError) in try file.write(bytes) }
    }

    /// An open temporary file that `body` streams into: large outputs never sit whole in memory.
    public struct FileWriter {
        fileprivate let fd: Int32
        fileprivate let path: String

        public func write(_ bytes: [UInt8]) throws(WriteError) {
            var written = 0
            while written < bytes.count {
                let n = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + written, bytes.count - written) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw WriteError(path: path, code: errno)
                }
                written += n
            }
        }
    }

    /// Writes `name` through `body` into a temporary file of this directory, synced to disk, to
    /// be renamed into place by `publish`.
    public mutating func stage(_ name: String, _ body: (inout FileWriter) throws(WriteError) -> Void) throws(WriteError) {
        let final = directory + "/" + name
        // `<prefix><name>.<pid>.<token>`: the pid tells a dead writer's leftovers from a live one's,
        // the token keeps two writers in one process (tests, a future server) apart.
        let token = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let temp = directory + "/" + Self.tempPrefix + name + ".\(getpid()).\(token)"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, mode)
        guard fd >= 0 else { throw WriteError(path: temp, code: errno) }
        var complete = false
        defer {
            close(fd)
            if !complete { unlink(temp) } // never leave a partial file behind, even hidden
        }
        fchmod(fd, mode) // the umask must not widen or narrow the configured mode
        var file = FileWriter(fd: fd, path: temp)
        try body(&file)
        guard fsync(fd) == 0 else { throw WriteError(path: temp, code: errno) }
        complete = true
        staged.append((temp, final))
    }

    public mutating func publish() throws(WriteError) {
        for (temp, final) in staged {
            guard rename(temp, final) == 0 else { throw WriteError(path: final, code: errno) }
        }
        staged.removeAll()
        let fd = open(directory, O_RDONLY)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    /// Removes staged temporaries (a dry run that was not asked to write, or a failed commit).
    public mutating func discard() {
        for (temp, _) in staged { unlink(temp) }
        staged.removeAll()
        if createdDirectory { rmdir(directory) } // only if empty: a dry run beside may be writing
    }

    private func removeLeftovers() {
        guard let dir = opendir(directory) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            // Only a dead writer's leftovers: another live process (a dry run writing here) keeps its files.
            let parts = name.split(separator: ".")
            guard name.hasPrefix(Self.tempPrefix), parts.count >= 3, let pid = Int32(parts[parts.count - 2]) else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory + "/" + name) }
        }
    }

    /// Makes `path` and its parents; true when `path` itself was made here.
    @discardableResult
    static func makeDirectories(_ path: String) throws(WriteError) -> Bool {
        var current = path.hasPrefix("/") ? "" : "."
        var madeLast = false
        for part in path.split(separator: "/") {
            current += "/" + part
            madeLast = mkdir(current, 0o755) == 0
            if !madeLast, errno != EEXIST { throw WriteError(path: current, code: errno, isDirectory: true) }
        }
        return madeLast
    }
}

/// `write(2)`, under a name the writer's own `write` does not hide.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(fd, bytes, count) }
