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

    init(storePath: String, night: Day, previousNight: Day?) {
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
                return try StoreBackups(storePath: storePath).keep(before: night, store: source, previousNight: previousNight)
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
}
