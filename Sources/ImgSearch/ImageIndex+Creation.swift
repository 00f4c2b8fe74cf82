import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ImageIndex {
    /// Opens the index at `path`, creating it with the model file at
    /// `modelPath` as its active model when it does not exist yet.
    ///
    /// A new index is built whole in a temporary file beside `path` (schema
    /// and model) and only then put in place, with `link(2)`, which never
    /// replaces a file: a reader that looks meanwhile finds no index, never
    /// a half-made one ("no such table", "the index has no model"), and a
    /// creation that fails (an unreadable model, a full disk) leaves
    /// nothing behind. When two processes create the same index at once,
    /// the first to link wins and the other opens its index. The folder of
    /// `path` must exist; it is not created.
    public convenience init(path: String, creatingWithModelAt modelPath: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            try Self.createAtomically(path: path, modelPath: modelPath)
        }
        try self.init(path: path)
        // An index made by an older imgsearch, or by the plain initializer,
        // may have no model yet.
        try installModelIfNone(fileAt: modelPath)
    }

    private static func createAtomically(path: String, modelPath: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw CreationError(path: path, reason: "its folder \(folder) does not exist")
        }
        let temporary = path + ".creating-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer {
            for suffix in ["", "-wal", "-shm", ".lock"] { unlink(temporary + suffix) }
        }
        do {
            // Closed (and its write-ahead log folded in) before it is linked.
            let draft = try ImageIndex(path: temporary)
            try draft.installModelIfNone(fileAt: modelPath)
        }
        if link(temporary, path) == 0 || errno == EEXIST { return }
        // A file system without hard links (FAT, some network mounts):
        // rename, which could replace an index made in the same instant.
        let linkError = errno
        guard linkError == EPERM || linkError == ENOTSUP || linkError == EOPNOTSUPP,
              !FileManager.default.fileExists(atPath: path) else {
            throw CreationError(path: path, reason: String(cString: strerror(linkError)))
        }
        if rename(temporary, path) != 0 {
            throw CreationError(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// A new index could not be put in place.
    public struct CreationError: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): cannot create the index: \(reason)" }
    }
}
