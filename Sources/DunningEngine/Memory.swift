/// The process's resident memory between the night's phases.
enum Memory {
    /// Hands the pages of freed memory back to the system. glibc keeps what a phase freed (the
    /// loans after the decisions, the candidates after the contact plan) in its heap, scattered
    /// among live objects, so without this the resident size only ever grows: at a million
    /// customers each phase's scaffolding would stay resident through the commit.
    static func returnFreedPages() {
        #if os(Linux)
        _ = glibcMallocTrim(0)
        #endif
    }
}

#if os(Linux)
/// glibc's `malloc_trim` (malloc.h, which the Glibc module does not export): releases free heap
/// pages, including those between live allocations, with `madvise`.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
