import ArgumentParser
import Foundation
import ImgSearch

/// `--db`, shared by every command that uses an index.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp(
        "The index database (default: $IMGSEARCH_DB, else index/imgsearch.sqlite).", valueName: "path"))
    var database: String?

    /// `--db`, else `IMGSEARCH_DB`, else `index/imgsearch.sqlite` in the working folder.
    var path: String {
        if let database { return database }
        if let fromEnvironment = ProcessInfo.processInfo.environment["IMGSEARCH_DB"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "index/imgsearch.sqlite"
    }

    /// Opens the index, creating it with the default model when it is new.
    func openForWriting() throws -> ImageIndex {
        let index = try ImageIndex(path: path)
        if try !index.hasModel {
            guard let model = DefaultModel.locate() else {
                throw CommandFailure("\(path): a new index needs a model, and the default model (index/\(DefaultModel.fileName)) was not found. HINT: set IMGSEARCH_MODEL to a model file.")
            }
            try index.installModelIfNone(fileAt: model)
        }
        return index
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
