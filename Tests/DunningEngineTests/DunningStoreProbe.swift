import DunningStore

/// Reads table counts of a store file without going through a run.
enum DunningStoreProbe {
    static func counts(_ path: String) throws -> [String: Int] {
        guard let store = try StateStore.openReadOnly(path: path) else { return [:] }
        return try store.tableCounts()
    }
}
