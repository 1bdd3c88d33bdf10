import DunningStore
import Foundation
import Testing

@Suite struct RunLockTests {
    func temporaryStorePath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("lock-\(UUID().uuidString).sqlite").path
    }

    @Test func aSecondHolderIsRefusedWhileTheFirstHoldsTheLock() throws {
        let path = temporaryStorePath()
        let first = try RunLock(storePath: path)
        #expect(throws: RunLock.LockError.self) { try RunLock(storePath: path) }
        do {
            _ = try RunLock(storePath: path)
        } catch {
            guard case .held(_, let pid) = error else { Issue.record("expected .held"); return }
            #expect(pid == String(getpid()))
        }
        withExtendedLifetime(first) {}
    }

    @Test func theLockIsFreeAgainOnceReleased() throws {
        let path = temporaryStorePath()
        do { _ = try RunLock(storePath: path) }
        let again = try RunLock(storePath: path)
        withExtendedLifetime(again) {}
    }

    /// Whatever sits at the lock's path that is not a lock file (a link to the store or any
    /// other file, a second name of a file, a file with content, a pipe) is refused untouched:
    /// 0.4.0 followed the link and truncated its target.
    @Test func anythingButALockFileAtTheLockPathIsRefusedUntouched() throws {
        let path = temporaryStorePath()
        let victim = path + ".precious"
        try "the store's bytes".write(toFile: victim, atomically: false, encoding: .utf8)
        func refused(_ expected: String) {
            #expect { try RunLock(storePath: path) } throws: { error in
                guard case .notALockFile(_, let what) = error as? RunLock.LockError else { return false }
                return what.contains(expected)
            }
            #expect((try? String(contentsOfFile: victim, encoding: .utf8)) == "the store's bytes")
        }
        try FileManager.default.createSymbolicLink(atPath: path + ".lock", withDestinationPath: victim)
        refused("a symbolic link")
        try FileManager.default.removeItem(atPath: path + ".lock")
        #expect(link(victim, path + ".lock") == 0)
        refused("2 names")
        try FileManager.default.removeItem(atPath: path + ".lock")
        try String(repeating: "x", count: 100).write(toFile: path + ".lock", atomically: false, encoding: .utf8)
        #expect { try RunLock(storePath: path) } throws: { error in
            guard case .notALockFile(_, let what) = error as? RunLock.LockError else { return false }
            return what.contains("100 bytes")
        }
        try FileManager.default.removeItem(atPath: path + ".lock")
        #expect(mkfifo(path + ".lock", 0o600) == 0)
        refused("not a regular file")
        try FileManager.default.removeItem(atPath: path + ".lock")
        // A lock file left by an earlier run (its pid inside) is a lock file.
        try "12345\n".write(toFile: path + ".lock", atomically: false, encoding: .utf8)
        let lock = try RunLock(storePath: path)
        withExtendedLifetime(lock) {}
    }

    /// Deterministic form of the check below: after a refused attempt, the last system call was
    /// the refusal itself, not a call on the descriptor it had already closed (EBADF).
    @Test func aRefusedLockMakesNoCallOnItsClosedDescriptor() throws {
        let path = temporaryStorePath()
        let holder = try RunLock(storePath: path)
        for _ in 0..<10 {
            errno = 0
            _ = try? RunLock(storePath: path)
            #expect(errno != EBADF)
        }
        withExtendedLifetime(holder) {}
    }

    /// A refused lock must not touch any other descriptor: it once closed (and truncated) its
    /// descriptor number a second time on the way out, and another thread's file that had just
    /// been given that number (a SQLite store, in the test suite) lost its descriptor.
    @Test func aRefusedLockLeavesOtherThreadsFilesAlone() throws {
        let path = temporaryStorePath()
        let holder = try RunLock(storePath: path)
        let file = temporaryStorePath() + ".data"
        let payload = [UInt8](repeating: 0x61, count: 4096)
        nonisolated(unsafe) var failures = 0
        let done = StopFlag()
        let writer = Thread {
            while !done.isSet {
                let fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0o600)
                guard fd >= 0 else { failures += 1; continue }
                var ok = payload.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) } == payload.count
                var back = [UInt8](repeating: 0, count: payload.count)
                ok = ok && back.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, 0) } == payload.count && back == payload
                if close(fd) != 0 || !ok { failures += 1 }
            }
        }
        writer.start()
        for _ in 0..<200_000 { _ = try? RunLock(storePath: path) }
        done.set()
        while writer.isExecuting || !writer.isFinished { usleep(1_000) }
        #expect(failures == 0)
        withExtendedLifetime(holder) {}
    }
}

/// A flag one thread sets and another polls.
private final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
