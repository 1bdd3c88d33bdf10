import Dispatch

/// Work split over contiguous index ranges, one per worker, with the results in range order: what
/// comes out never depends on the number of workers or on timing, only the wall time does.
public enum Parallel {
    /// Calls `body` on `workers` (at most) contiguous parts of `0..<count`, each at least
    /// `minimumPerPart` long, concurrently, and returns their results in order.
    public static func map<T>(count: Int, workers: Int, minimumPerPart: Int = 4096, _ body: (Range<Int>) -> T) -> [T] {
        let parts = max(1, min(workers, count / max(1, minimumPerPart)))
        if parts == 1 { return [body(0..<count)] }
        let bounds = (0...parts).map { count * $0 / parts }
        var results = [T?](repeating: nil, count: parts)
        withoutActuallyEscaping(body) { body in
            results.withUnsafeMutableBufferPointer { buffer in
                // Each part writes only its own slot, and the body reads shared values only.
                nonisolated(unsafe) let out = buffer.baseAddress!
                nonisolated(unsafe) let work = body
                DispatchQueue.concurrentPerform(iterations: parts) { i in out[i] = work(bounds[i]..<bounds[i + 1]) }
            }
        }
        return results.map { $0! }
    }
}
