#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock (`flock`) on `<store>.lock`, held for a whole run.
///
/// The kernel releases a `flock` when its holder exits for any reason, SIGKILL included, so a
/// crashed run never leaves a stale lock behind: the file may remain, the lock does not.
public final class RunLock {
    public let path: String
    private let fd: Int32

    public enum LockError: Error, Sendable {
        /// Another process holds the lock; its pid if it wrote one.
        case held(path: String, pid: String?)
        case unavailable(path: String, code: Int32)
        /// Something other than a lock file is at its path (a link, a file with content, a file
        /// with other names): it is never opened for writing, let alone truncated.
        case notALockFile(path: String, what: String)
    }

    public init(storePath: String) throws(LockError) {
        path = storePath + ".lock"
        // Acquired before `fd` is set: if that fails, this object was never fully initialised, so
        // `deinit` never runs on a descriptor already closed (and perhaps reused by another
        // thread's file, which it would truncate and close).
        fd = try Self.acquire(path)
        // Record the holder for the on-call engineer; informational only, the flock is the lock.
        let pid = "\(getpid())\n"
        ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    /// Opens and locks `path`; a descriptor that does not get the lock is closed here.
    private static func acquire(_ path: String) throws(LockError) -> Int32 {
        // Close-on-exec: a process this one starts must never inherit (and so prolong) the lock.
        // No following a link, and only a file that can be nothing but a lock (one name, a pid
        // at most in it): truncating it must never empty somebody's file, or the store.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP { throw .notALockFile(path: path, what: "a symbolic link") }
            throw .unavailable(path: path, code: code)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else { let code = errno; close(fd); throw .unavailable(path: path, code: code) }
        let what: String? = (info.st_mode & S_IFMT) != S_IFREG ? "not a regular file"
            : info.st_nlink != 1 ? "a file with \(info.st_nlink) names (a hard link)"
            : info.st_size > 32 ? "a file of \(info.st_size) bytes, not a pid" : nil
        if let what { close(fd); throw .notALockFile(path: path, what: what) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, 31, 0)
            close(fd)
            if code == EWOULDBLOCK {
                let pid = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingNewlines() : nil
                throw .held(path: path, pid: pid)
            }
            throw .unavailable(path: path, code: code)
        }
        return fd
    }

    deinit {
        ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }
}

extension String {
    func trimmingNewlines() -> String {
        var s = Substring(self)
        while let l = s.last, l == "\n" || l == "\r" || l == "\0" { s.removeLast() }
        return String(s)
    }
}
