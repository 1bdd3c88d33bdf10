#if canImport(Glibc)
import Glibc
#endif

/// Reads a small file whole (a strategy, a calendar, a manifest), refusing what is not one: a
/// pipe (which would wait for ever), a device (`/dev/zero` never ends), or a file over `limit`
/// bytes, before reading any of it.
public enum BoundedFile {
    public enum ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        case notFound, notRegular, tooLarge(Int), unreadable(Int32)

        public var description: String {
            switch self {
            case .notFound: return "not found"
            case .notRegular: return "not a regular file (a pipe, a device or a directory)"
            case .tooLarge(let limit): return "over \(limit >> 20) MiB"
            case .unreadable(let code): return "cannot be read: \(String(cString: strerror(code)))"
            }
        }
    }

    public static func read(_ path: String, limit: Int) -> Result<[UInt8], ReadError> {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .failure(errno == ENOENT ? .notFound : .unreadable(errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(.unreadable(errno)) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .failure(.notRegular) }
        guard Int(info.st_size) <= limit else { return .failure(.tooLarge(limit)) }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 { if errno == EINTR { continue }; return .failure(.unreadable(errno)) }
            if n == 0 { break }
            done += n
        }
        return .success(Array(bytes.prefix(done)))
    }
}
