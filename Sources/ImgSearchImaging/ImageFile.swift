#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads whole image files with plain POSIX calls, so that every failure
/// (missing, a directory, unreadable, too big) becomes an
/// ``ImageDecodingError`` naming the file.
package enum ImageFile {
    /// Files larger than this are refused unread: no supported image within
    /// the pixel limit comes near it.
    static let maximumByteCount = 1 << 30

    /// The bytes of the regular image file at `path`.
    ///
    /// With `checkingSignature`, the first 64 bytes are read and recognized first
    /// (``ImageFormat/init(signatureOf:)``): a file that is no image format
    /// at all is refused after 64 bytes, not after reading it whole (a
    /// 1,000 MB file of zeros named `.jpg` cost 5 s and 2 GB before).
    /// (the two-stage indexer reads without it: it reports a non-image at
    /// its decode stage).
    package static func read(_ path: String, checkingSignature: Bool = false) throws(ImageDecodingError) -> [UInt8] {
        // O_NONBLOCK: opening a FIFO (a named pipe called photo.jpg) would
        // otherwise wait forever for a writer; it is refused below as not a
        // regular file. Reads from regular files ignore the flag.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw failure(path) }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure(path) }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            let kind = (status.st_mode & S_IFMT) == S_IFDIR ? "is a directory" : "is not a regular file"
            throw ImageDecodingError(path: path, reason: .unreadable(kind))
        }
        let expected = Int(status.st_size)
        guard expected <= maximumByteCount else {
            throw ImageDecodingError(path: path, reason: .unreadable("file of \(expected) bytes is over the \(maximumByteCount)-byte limit"))
        }

        var head = [UInt8](repeating: 0, count: 64)
        let headCount = head.withUnsafeMutableBytes { buffer in Glibc.pread(descriptor, buffer.baseAddress!, buffer.count, 0) }
        guard headCount >= 0 else { throw failure(path) }
        head.removeSubrange(headCount...)
        if checkingSignature && headCount > 0 && ImageFormat(signatureOf: head) == nil {
            throw ImageDecodingError(path: path, reason: .unsupportedFormat)
        }

        // Read until end of file rather than trusting st_size: the file may
        // change while it is read. The buffer is the size stat gave; only a
        // file that grows meanwhile makes it larger (doubling it at the end
        // of every file, to look for more, held twice the file's size).
        var bytes = [UInt8](repeating: 0, count: max(expected, 1))
        var filled = 0
        while true {
            if filled == bytes.count {
                var probe: UInt8 = 0
                let more = Glibc.pread(descriptor, &probe, 1, off_t(filled))
                if more == 0 { break }
                if more < 0 {
                    if errno == EINTR { continue }
                    throw failure(path)
                }
                guard bytes.count < maximumByteCount else {
                    throw ImageDecodingError(path: path, reason: .unreadable("file grew past the \(maximumByteCount)-byte limit while being read"))
                }
                bytes.append(contentsOf: repeatElement(0, count: bytes.count))
            }
            let got = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw failure(path)
            }
            if got == 0 { break }
            filled += got
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// The first `count` bytes of the regular file at `path` (fewer for a
    /// shorter file), or nil when it cannot be read: enough to recognize a
    /// format (``ImageFormat/init(signatureOf:)`` looks at 64).
    package static func head(_ path: String, count: Int = 64) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { buffer in Glibc.pread(descriptor, buffer.baseAddress!, count, 0) }
        guard got >= 0 else { return nil }
        bytes.removeSubrange(got...)
        return bytes
    }

    private static func failure(_ path: String) -> ImageDecodingError {
        ImageDecodingError(path: path, reason: .unreadable(String(cString: strerror(errno))))
    }
}
