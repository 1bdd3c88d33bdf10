import DunningCore
import DunningStore
import Foundation

/// The copy of the store from before tonight, taken on a thread of its own while the night reads
/// its inputs and decides (at a million customers the store is about 850 MB: two seconds of
/// copying that need not wait for the rest of the night). It reads through its own read-only
/// connection; the run lock keeps every writer away until the commit, which waits for it.
final class BackupTask: @unchecked Sendable {
    // Written by the backup thread before it leaves `group`; read only after `wait`.
    private var outcome: Result<StoreBackups.Kept, StoreBackups.BackupError>?
    private(set) var milliseconds = 0
    private let group = DispatchGroup()

    private let storePath: String, night: Day

    init(storePath: String, night: Day) {
        self.storePath = storePath
        self.night = night
        group.enter()
        DispatchQueue.global().async {
            let began = DispatchTime.now().uptimeNanoseconds
            self.outcome = Result { () throws(StoreBackups.BackupError) -> StoreBackups.Kept in
                let source: StateStore
                do {
                    guard let store = try StateStore.openReadOnly(path: storePath) else { throw StateStore.StoreError.missing(storePath) }
                    source = store
                } catch {
                    throw .io("cannot open the state store \(storePath) to back it up: \(error)")
                }
                return try StoreBackups(storePath: storePath).keep(before: night, store: source)
            }
            self.milliseconds = Int((DispatchTime.now().uptimeNanoseconds - began) / 1_000_000)
            self.group.leave()
        }
    }

    /// Waits for the copy and hands back what was kept, or its error.
    func wait() throws(StoreBackups.BackupError) -> StoreBackups.Kept {
        group.wait()
        return try outcome!.get()
    }

    /// Set once the night is committed: from then on the copy is the night's undo.
    var committed = false

    /// Unless the night committed: waits for the copy and deletes it if this night made it (one
    /// found from an earlier run of the night stays). Nothing is left half-made either.
    func discardUnlessCommitted() {
        guard !committed else { return }
        if (try? wait()) == .taken { StoreBackups(storePath: storePath).discard(before: night) }
    }
}
