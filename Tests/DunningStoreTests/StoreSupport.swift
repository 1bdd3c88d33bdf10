import Foundation
@testable import DunningStore

/// Stores for the store's own tests, made as `dunning init` makes them.
enum StoreSupport {
    static func temporaryPath(_ prefix: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString).sqlite").path
    }

    /// A new, migrated store, open for writing.
    static func newStore(_ prefix: String = "store") throws -> StateStore {
        let path = temporaryPath(prefix)
        try StateStore.create(path: path, adoptBefore: nil, engineVersion: "test", createdAt: "2026-12-04T00:00:00Z")
        return try StateStore.openForWriting(path: path)
    }
}
