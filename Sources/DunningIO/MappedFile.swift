#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped privately into memory: reads come from the page cache, and writes (the CSV
/// reader's in-place unescaping) stay in this process and never reach the file.
/// Sendable: nothing changes after `init`; readers on several threads share one mapping.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let buffer: UnsafeMutableBufferPointer<UInt8>
    private let mapping: UnsafeMutableRawPointer?
    private let length: Int

    public enum OpenError: Error, Sendable { case notFound(String), unreadable(String, Int32), notRegular(String) }

    public init(path: String) throws(OpenError) {
        self.path = path
        // Non-blocking: opening a FIFO for reading would otherwise wait for a writer, for ever.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw errno == ENOENT ? .notFound(path) : .unreadable(path, errno)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw OpenError.unreadable(path, errno) }
        // A pipe, a device or a directory: never read (a pipe would hang, /dev/zero never end).
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw OpenError.notRegular(path) }
        length = Int(info.st_size)
        if length == 0 {
            mapping = nil
            buffer = UnsafeMutableBufferPointer(start: nil, count: 0)
            return
        }
        let pointer = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0)
        guard let pointer, pointer != MAP_FAILED else { throw OpenError.unreadable(path, errno) }
        madvise(pointer, length, MADV_SEQUENTIAL)
        mapping = pointer
        buffer = UnsafeMutableBufferPointer(start: pointer.assumingMemoryBound(to: UInt8.self), count: length)
    }

    /// Drops the pages of `range` from this process (they stay in the page cache): a reader that
    /// is done with them keeps its resident memory to what it still reads, not the file's size.
    /// Only for pages never written (no unescaped quotes): private copies would be lost.
    public func release(_ range: Range<Int>) {
        guard let mapping, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = range.upperBound / page * page
        guard end > start else { return }
        madvise(mapping + start, end - start, MADV_DONTNEED)
    }

    deinit {
        if let mapping { munmap(mapping, length) }
    }
}
