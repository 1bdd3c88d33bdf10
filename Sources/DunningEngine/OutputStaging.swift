import DunningIO
import Foundation

/// The night's output files, staged on a thread of their own while the store commits.
///
/// `start` runs the staging once; `wait` blocks until it is done and rethrows its error. The
/// staged files stay under temporary names until the caller publishes (or discards) them.
final class OutputStaging: @unchecked Sendable {
    // Only the staging thread touches `staged` and `error` until `group` is left; the caller
    // reads them only after `wait`.
    var staged: StagedOutput
    private var error: StagedOutput.WriteError?
    private(set) var milliseconds: Int?
    private let group = DispatchGroup()

    init(_ staged: StagedOutput) { self.staged = staged }

    func start(_ body: @escaping (inout StagedOutput) throws(StagedOutput.WriteError) -> Void) {
        nonisolated(unsafe) let work = body
        group.enter()
        DispatchQueue.global().async {
            let began = DispatchTime.now().uptimeNanoseconds
            do throws(StagedOutput.WriteError) { try work(&self.staged) } catch { self.error = error }
            self.milliseconds = Int((DispatchTime.now().uptimeNanoseconds - began) / 1_000_000)
            self.group.leave()
        }
    }

    /// Waits for the staging (at once if it never started or is done) and rethrows its error.
    func wait() throws(StagedOutput.WriteError) {
        group.wait()
        if let error { throw error }
    }
}
