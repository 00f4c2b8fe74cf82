#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back a large, freshly allocated buffer with 2 MB
/// pages before it is first written.
///
/// A query process fills megabytes of hash arrays once and exits. With 4 KB
/// pages that is one page fault per 4 KB, which on a virtual machine can cost
/// more than the work itself; with transparent huge pages in `madvise` mode (the
/// Debian default) the same buffers take a handful. Only the whole 2 MB
/// pages inside the buffer are advised; elsewhere, or where the kernel says
/// no, nothing changes.
package enum HugePageAdvice {
    static let hugePageBytes = 2 << 20

    package static func advise(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard let base = buffer.baseAddress, buffer.count >= 2 * hugePageBytes else { return }
        let start = (Int(bitPattern: base) + hugePageBytes - 1) & ~(hugePageBytes - 1)
        let end = (Int(bitPattern: base) + buffer.count) & ~(hugePageBytes - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, MADV_HUGEPAGE)
        #endif
    }
}
