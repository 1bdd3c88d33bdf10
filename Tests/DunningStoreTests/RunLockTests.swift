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
}
