import ArgumentParser
import Foundation
import ImgSearch

/// `--db`, shared by every command that uses an index.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp(
        "The index database (default: $IMGSEARCH_DB, else index/imgsearch.sqlite).", valueName: "path"))
    var database: String?

    /// The database when no `--db` or `IMGSEARCH_DB` names one.
    static let defaultPath = "index/imgsearch.sqlite"

    /// `--db`, else `IMGSEARCH_DB`, else `index/imgsearch.sqlite` in the working folder.
    var path: String {
        if let database { return database }
        if let fromEnvironment = ProcessInfo.processInfo.environment["IMGSEARCH_DB"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return Self.defaultPath
    }

    /// An empty `--db` used to index into nothing and report success (SQLite
    /// takes "" as a temporary database that vanishes at exit), and a
    /// folder is never a database: both are usage errors, before any work.
    func validate() throws {
        guard !path.isEmpty else { throw ValidationError("--db must name a database file, not an empty path") }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw ValidationError("--db \(path) is a folder; name a database file (for example \(path)/imgsearch.sqlite)")
        }
    }

    /// Opens the index, creating it with the default model when it is new.
    /// A new index appears whole or not at all (``ImageIndex/init(path:creatingWithModelAt:)``).
    /// Only the default location's folder (`index/`) is made when missing:
    /// a folder named by `--db` that does not exist is more likely a typo
    /// than a wish, so it is an error, not a new tree of folders.
    func openForWriting() throws -> ImageIndex {
        if FileManager.default.fileExists(atPath: path) {
            let index = try ImageIndex(path: path)
            if try index.hasModel { return index }
        }
        guard let model = DefaultModel.locate() else {
            throw CommandFailure("\(path): a new index needs a model, and the default model (index/\(DefaultModel.fileName)) was not found. HINT: set IMGSEARCH_MODEL to a model file.")
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
            guard path == Self.defaultPath else {
                throw CommandFailure("\(path): the folder \(folder) does not exist. HINT: create it first, or check the --db path.")
            }
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        return try ImageIndex(path: path, creatingWithModelAt: model)
    }

    /// Opens an existing index for reading only: a reader never takes
    /// SQLite's write lock (so it never waits for an indexer), and works on
    /// read-only storage. A missing file is an error, not a new index.
    func openForReading() throws -> ImageIndex {
        try openExisting(readOnly: true)
    }

    /// Opens an existing index; a missing file is an error, not a new index.
    func openExisting(readOnly: Bool) throws -> ImageIndex {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure("\(path): no index here. HINT: run `imgsearch index DIR` first, or pass --db.")
        }
        return try ImageIndex(path: path, readOnly: readOnly)
    }
}
