#if canImport(Glibc)
import Glibc
#endif

/// The process's resident memory between the night's phases.
enum Memory {
    /// Hands the pages of freed memory back to the system. An allocator keeps what a phase freed
    /// (the loans after the decisions, the candidates after the contact plan) scattered among
    /// live objects, so without this each phase's scaffolding would stay resident through the
    /// commit at a million customers. The `dunning` binary runs on mimalloc (`mi_collect`);
    /// anything else linking the engine, such as the tests, on glibc (`malloc_trim`).
    static func returnFreedPages() {
        #if os(Linux)
        if let collect = mimallocCollect { collect(true) } else { _ = glibcMallocTrim(0) }
        #endif
    }

    #if os(Linux)
    private typealias Collect = @convention(c) (Bool) -> Void
    /// mimalloc's `mi_collect(force)`, when the process has it: looked up at run time, since only
    /// the executable links mimalloc.
    private static let mimallocCollect: Collect? = dlsym(nil, "mi_collect").map { unsafeBitCast($0, to: Collect.self) }
    #endif
}

#if os(Linux)
/// glibc's `malloc_trim` (malloc.h, which the Glibc module does not export): releases free heap
/// pages, including those between live allocations, with `madvise`.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
