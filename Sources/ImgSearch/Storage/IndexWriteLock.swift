#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock that one process holds for a whole run of
/// writes to an index (an `index` run: many chunk transactions).
///
/// SQLite's own lock covers one transaction at a time, which is not enough:
/// two indexers that planned the same new files at the start would both
/// insert them, and the second would fail on the unique path. With this
/// lock the second waits for the first and then finds everything done.
///
/// The lock is `flock(2)` on `<database>.lock`, a file that is created once
/// and never deleted (deleting it while someone waits on it would let a
/// third process lock a new file beside the second). The kernel releases
/// the lock when the holder exits, even by SIGKILL, so a crash never leaves
/// the index locked.
final class IndexWriteLock {
    /// The lock file.
    let path: String
    private let descriptor: Int32

    /// The lock file for the database at `database`.
    static func lockPath(for database: String) -> String { database + ".lock" }

    /// Takes the lock for `database`; when another process holds it, calls
    /// `onWait` once and blocks until that process releases it.
    init(database: String, onWait: () -> Void) throws(IndexLockError) {
        path = Self.lockPath(for: database)
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw IndexLockError(path: path, reason: String(cString: strerror(errno)))
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return }
        guard errno == EWOULDBLOCK else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw IndexLockError(path: path, reason: reason)
        }
        onWait()
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw IndexLockError(path: path, reason: reason)
            }
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

/// The lock file that keeps two writers apart could not be opened or taken.
public struct IndexLockError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The lock file.
    public var path: String
    /// What the system said.
    public var reason: String

    public var description: String {
        "\(path): cannot take the indexing lock: \(reason). HINT: the index's folder must be writable to index into it"
    }
}
