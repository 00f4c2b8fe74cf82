import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file found while walking a folder, with what the indexer
/// compares to decide whether it changed.
public struct FoundFile: Sendable, Equatable {
    /// Absolute path: the root's real path joined with the names below it.
    public let path: String
    /// Size in bytes.
    public let size: Int64
    /// Last modification, nanoseconds since 1970.
    public let modificationTime: Int64

    /// A file as the walker would report it (tests and callers that stat themselves).
    public init(path: String, size: Int64, modificationTime: Int64) {
        self.path = path
        self.size = size
        self.modificationTime = modificationTime
    }
}

/// Something the walk could not look into, named with its path.
public struct WalkError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String
    /// The walk could not see what is at or below `path` (a folder that
    /// would not open, a root that is missing, a name `stat` failed on for a
    /// reason other than being gone), so files indexed there must not be
    /// taken for deleted: an unmounted disk must not empty the index.
    public let leavesContentsUnknown: Bool
    public var description: String { "\(path): \(reason)" }

    public init(path: String, reason: String, leavesContentsUnknown: Bool = false) {
        self.path = path
        self.reason = reason
        self.leavesContentsUnknown = leavesContentsUnknown
    }
}

/// Lists the regular files below a set of folders, recursively.
///
/// Symbolic links are followed, to files and to folders, but every folder is
/// entered at most once (identified by device and inode), so a symlink loop
/// or two links to one folder cannot make the walk repeat itself. Names
/// within a folder are visited in byte order, so the result is deterministic.
/// A folder that cannot be opened, or a name that is not valid UTF-8, is
/// reported through `onError` and the walk goes on.
public enum FolderWalker {
    public static func files(under roots: [String], onError: (WalkError) -> Void) -> [FoundFile] {
        var found: [FoundFile] = []
        var visited = Set<DirectoryIdentity>()
        for root in roots {
            guard let real = realPath(root) else {
                onError(WalkError(path: root, reason: String(cString: strerror(errno)), leavesContentsUnknown: true))
                continue
            }
            var status = stat()
            guard stat(real, &status) == 0 else {
                onError(WalkError(path: root, reason: String(cString: strerror(errno)), leavesContentsUnknown: true))
                continue
            }
            if (status.st_mode & S_IFMT) == S_IFREG {
                found.append(FoundFile(path: real, status: status))
            } else if (status.st_mode & S_IFMT) == S_IFDIR {
                walk(real, status: status, into: &found, visited: &visited, onError: onError)
            } else {
                onError(WalkError(path: root, reason: "not a folder or a regular file"))
            }
        }
        return found
    }

    private struct DirectoryIdentity: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    private static func walk(
        _ folder: String, status: stat, into found: inout [FoundFile],
        visited: inout Set<DirectoryIdentity>, onError: (WalkError) -> Void
    ) {
        // An explicit stack instead of recursion: folder depth is unbounded.
        var pending: [(path: String, status: stat)] = [(folder, status)]
        while let (path, status) = pending.popLast() {
            guard visited.insert(DirectoryIdentity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))).inserted else {
                continue
            }
            guard let stream = opendir(path) else {
                onError(WalkError(path: path, reason: "cannot open folder: \(String(cString: strerror(errno)))", leavesContentsUnknown: true))
                continue
            }
            var names: [[UInt8]] = []
            while let entry = readdir(stream) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    Array(raw.prefix { $0 != 0 })
                }
                if name != [0x2E] && name != [0x2E, 0x2E] { names.append(name) }  // "." and ".."
            }
            closedir(stream)
            names.sort { $0.lexicographicallyPrecedes($1) }

            var subfolders: [(path: String, status: stat)] = []
            for rawName in names {
                guard let name = String(validating: rawName, as: UTF8.self) else {
                    let escaped = rawName.map { $0 < 0x80 ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }.joined()
                    onError(WalkError(path: path + "/" + escaped, reason: "file name is not valid UTF-8; skipped"))
                    continue
                }
                let child = path == "/" ? "/" + name : path + "/" + name
                var childStatus = stat()
                guard stat(child, &childStatus) == 0 else {
                    // A dangling symlink, a symlink loop or a file removed
                    // since readdir is gone; anything else (EACCES, EIO) may
                    // hide a folder of indexed files.
                    let failure = errno
                    onError(WalkError(path: child, reason: String(cString: strerror(failure)),
                                      leavesContentsUnknown: failure != ENOENT && failure != ELOOP && failure != ENOTDIR))
                    continue
                }
                switch childStatus.st_mode & S_IFMT {
                case S_IFREG: found.append(FoundFile(path: child, status: childStatus))
                case S_IFDIR: subfolders.append((child, childStatus))
                default: break  // sockets, devices, pipes: never images
                }
            }
            // Reversed so that popLast visits subfolders in name order.
            pending.append(contentsOf: subfolders.reversed())
        }
    }

    /// `path` with its symbolic links resolved, as the walker stores a
    /// root's files under it; a path that cannot be resolved (gone, unreadable)
    /// comes back as far as it could be resolved, so that the files indexed
    /// under a root that is missing now can still be matched to it.
    package static func resolvedRoot(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

extension FoundFile {
    /// The file at `path` as the walker would find it, or nil if it is not
    /// a regular file (or not there).
    package init?(statingPath path: String) {
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        self.init(path: path, status: status)
    }

    package init(path: String, status: stat) {
        self.path = path
        self.size = Int64(status.st_size)
        self.modificationTime = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
    }
}
