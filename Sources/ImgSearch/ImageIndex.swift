import Foundation
import ImgSearchCore
import ImgSearchImaging
import ImgSearchLearning

/// An imgsearch index: the library's front door.
///
/// Opens (or creates) the SQLite index at a path, indexes folders into it,
/// and answers queries by file, by thumbnail or by code. Safe to share
/// between threads: calls that touch the database take turns on one
/// connection, and the loaded hashes are shared by concurrent queries.
///
/// ```swift
/// let index = try ImageIndex(path: "index/imgsearch.sqlite")
/// let summary = try index.index(folders: ["Photos"])
/// let result = try index.query(imageAt: "Photos/beach.jpg", k: 10)
/// for match in result.matches { print(match.rank, match.hamming, match.path) }
/// ```
public final class ImageIndex: @unchecked Sendable {
    /// The database file.
    public let path: String
    let store: IndexStore
    private let lock = NSLock()
    private var encoderCache: (modelID: Int64, encoder: any SemanticEncoder)?
    private var searchCache: (dataVersion: Int64, modelID: Int64, search: HashSearch)?
    let makeEncoder: @Sendable (StoredModel) throws -> any SemanticEncoder

    /// Opens the index at `path`, creating it when it does not exist.
    ///
    /// - Parameter readOnly: open without writing (queries only; the file
    ///   may be on read-only storage).
    /// - Parameter makeEncoder: turns a stored model into an encoder.
    init(path: String, readOnly: Bool = false,
         makeEncoder: @escaping @Sendable (StoredModel) throws -> any SemanticEncoder) throws {
        self.path = path
        if !readOnly {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        }
        store = try IndexStore(path: path, readOnly: readOnly)
        self.makeEncoder = makeEncoder
    }

    func locked<Result>(_ body: () throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: - Models

    /// Stores `model` and makes it the one new images are encoded with, if
    /// the index has none yet. Returns the model's id.
    @discardableResult
    func installModelIfNone(_ model: StoredModel) throws -> Int64 {
        try locked {
            if let active = try store.activeModelID() { return active }
            return try store.write { _ in
                // Again inside the write lock: two processes creating the
                // same new index must not both install a model (the second
                // would switch the first's model under its running index).
                if let active = try store.activeModelID() { return active }
                let id = try store.addModel(model)
                try store.setActiveModel(id)
                return id
            }
        }
    }

    /// Whether the index has a model to encode images with.
    public var hasModel: Bool {
        get throws { try locked { try store.activeModelID() != nil } }
    }

    /// The active model's id and encoder (loaded once per model).
    func activeEncoder() throws -> (modelID: Int64, encoder: any SemanticEncoder) {
        guard let modelID = try store.activeModelID() else { throw ImageIndexError.noModel(path: path) }
        if let cached = encoderCache, cached.modelID == modelID { return cached }
        // Only the model file's encoder part: encoding never needs the decoder.
        guard let model = try store.model(id: modelID, headerLength: ModelFile.headerSize,
                                          leadingBytes: ModelFile.encoderByteCount(header:)) else {
            throw ImageIndexError.noModel(path: path)
        }
        let loaded = (modelID, try makeEncoder(model))
        encoderCache = loaded
        return loaded
    }

    // MARK: - Indexing

    /// Brings the index up to date with `folders` (see docs/index-format.md):
    /// new files are added, changed ones re-encoded, moved ones keep their
    /// code, vanished ones are removed. Files that fail are reported through
    /// `onFailure` and counted; the run goes on.
    ///
    /// One process indexes into a database at a time: while another holds
    /// the index's write lock (``IndexWriteLock``), `onWait` is called once
    /// and the call waits for it to finish. Queries are never blocked.
    ///
    /// - Throws: ``IndexingError/noFolderReadable(_:)`` when no folder could
    ///   be read (nothing is removed then), ``SQLiteError`` when the
    ///   database cannot be written (read-only, disk full: what was committed
    ///   before stays, and the next run goes on from there).
    public func index(
        folders: [String], jobs: Int = 2,
        onWait: () -> Void = {},
        progress: (WorkProgress) -> Void = { _ in },
        onFailure: (IndexingFailure) -> Void = { _ in }
    ) throws -> IndexingSummary {
        try locked {
            try refuseIfReadOnly()
            let writeLock = try IndexWriteLock(database: path, onWait: onWait)
            defer { withExtendedLifetime(writeLock) {} }
            let (modelID, encoder) = try activeEncoder()
            let indexer = Indexer(store: store, encoder: encoder, modelID: modelID, jobs: max(1, jobs))
            return try indexer.run(roots: folders, progress: progress, onFailure: onFailure)
        }
    }

    /// A read-only index says so before any work, in the words SQLite
    /// would use at the first write.
    func refuseIfReadOnly() throws {
        if store.connection.isReadOnly {
            throw SQLiteError(code: 8, message: "the index was opened read-only", sql: nil, path: path)
        }
    }

    /// Removes indexed images by path (see ``indexedRecord(path:)`` for the forms it takes);
    /// returns how many were removed.
    public func remove(paths: [String]) throws -> Int {
        try locked {
            try refuseIfReadOnly()
            let ids = try paths.compactMap { path in try indexedRecord(path: path)?.id }
            if !ids.isEmpty { try store.write { try $0.delete(ids: ids) } }
            return ids.count
        }
    }

    /// Number of indexed images.
    public func count() throws -> Int {
        try locked { try store.count() }
    }

    // MARK: - Querying

    /// The `k` indexed images nearest to the image file at `path`, nearest
    /// first; with `radius`, only those within that Hamming distance.
    ///
    /// A file that is indexed and unchanged (same size and modification
    /// time) uses its stored code; any other file is decoded and encoded.
    /// With `flip`, the image mirrored left to right is queried too and the
    /// two result lists merged, each image at its nearer distance
    /// (Krizhevsky & Hinton's query with transformed copies): a scene seen
    /// the other way round is found as well.
    ///
    /// With `rerank` N > 0, the first N results by (Hamming distance, real
    /// distance) are put in the order of their real distance alone: the
    /// hash as the address, the real code for the final order. A
    /// recompressed or resized copy of an indexed photo then finds it first
    /// far more often (docs/quality.md, "Near duplicates").
    public func query(imageAt path: String, k: Int = 10, radius: Int? = nil, flip: Bool = false, rerank: Int = 0) throws -> QueryResult {
        let codes = try locked { () throws -> [SemanticCode] in
            var codes: [SemanticCode] = []
            if let record = try indexedRecord(path: path), try Self.isUnchanged(record) {
                codes.append(SemanticCode(code: record.code, hash: record.hash))
                if !flip { return codes }
            }
            let (_, encoder) = try activeEncoder()
            let thumbnail = try ImageDecoder.thumbnail(contentsOf: path, side: encoder.thumbnailSide)
            var thumbnails = codes.isEmpty ? [thumbnail] : []
            if flip { thumbnails.append(thumbnail.mirrored) }
            codes += try encoder.encode(thumbnails)
            return codes
        }
        return QueryResult(query: path, matches: try query(codes: codes, k: k, radius: radius, rerank: rerank))
    }

    /// The `k` indexed images nearest to an image already in memory (the
    /// upright pixels, any size), as ``query(imageAt:k:radius:flip:rerank:)`` would
    /// find them for a file holding it; `name` is the result's query label.
    public func query(pixels image: RGBImage, name: String = "(pixels)", k: Int = 10, radius: Int? = nil, rerank: Int = 0) throws -> QueryResult {
        let code = try locked { () throws -> SemanticCode in
            let (_, encoder) = try activeEncoder()
            guard let code = try encoder.encode([Thumbnail(of: image, side: encoder.thumbnailSide)]).first else {
                throw ImageIndexError.noModel(path: path)
            }
            return code
        }
        return QueryResult(query: name, matches: try query(codes: [code], k: k, radius: radius, rerank: rerank))
    }

    /// The `k` indexed images nearest to an already computed code.
    public func query(code: SemanticCode, k: Int = 10, radius: Int? = nil) throws -> [QueryMatch] {
        try query(codes: [code], k: k, radius: radius)
    }

    /// The `k` indexed images nearest to any of `codes` (an image and its
    /// variants), each ranked by its nearest code: (Hamming distance, real
    /// distance) of the closest variant; with `rerank` N, the first N of
    /// that order by real distance alone (see ``query(imageAt:k:radius:flip:rerank:)``).
    public func query(codes: [SemanticCode], k: Int = 10, radius: Int? = nil, rerank: Int = 0) throws -> [QueryMatch] {
        guard let first = codes.first else { return [] }
        let wanted = max(k, rerank)
        return try locked { () throws -> [QueryMatch] in
            let search = try currentSearch(bitCount: first.code.count)
            var nearest: [Int64: RankedImage] = [:]
            for code in codes {
                // Each variant's k nearest hold the merged k nearest: an image
                // among the merged first k is among the first k of the variant
                // that ranks it best.
                for found in try search.nearest(hash: code.hash, code: code.code, k: wanted, radius: radius, store: store) {
                    if let known = nearest[found.record.id], (known.hamming, known.distance) <= (found.hamming, found.distance) {
                        continue
                    }
                    nearest[found.record.id] = found
                }
            }
            var ranked = nearest.values
                .sorted { a, b in (a.hamming, a.distance, a.record.id) < (b.hamming, b.distance, b.record.id) }
            let reranked = min(rerank, ranked.count)
            ranked[0..<reranked].sort { a, b in (a.distance, a.record.id) < (b.distance, b.record.id) }
            return ranked.prefix(k).enumerated().map { rank, found in
                    QueryMatch(rank: rank + 1, path: found.record.path, hamming: found.hamming, distance: found.distance)
                }
        }
    }

    /// The loaded hashes, reloaded when another connection (or this one)
    /// has changed the database since they were read.
    private func currentSearch(bitCount: Int) throws -> HashSearch {
        let version = try dataVersion()
        let modelID = try store.activeModelID() ?? 0
        if let cached = searchCache, cached.dataVersion == version, cached.modelID == modelID {
            return cached.search
        }
        let search = try HashSearch(store: store, bitCount: bitCount)
        searchCache = (version, modelID, search)
        return search
    }

    /// Changes whenever any connection commits (SQLite's `data_version`
    /// only counts other connections, so writes here add a change count).
    private func dataVersion() throws -> Int64 {
        let statement = try store.connection.prepare("PRAGMA data_version")
        let other = try statement.step() ? statement.integer(0) : 0
        return other << 32 | Int64(store.connection.totalChanges & 0xFFFF_FFFF)
    }

    // MARK: - Helpers

    /// The row for a path as a user types it. The walker stores the real
    /// path of the indexed folder joined with the names below it, so a file
    /// reached through a symbolic link keeps the link's name; the lookup
    /// tries the path made absolute, then with its folder resolved, then
    /// fully resolved.
    func indexedRecord(path: String) throws -> ImageRecord? {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL
        let candidates = [
            absolute.path,
            absolute.deletingLastPathComponent().resolvingSymlinksInPath().appendingPathComponent(absolute.lastPathComponent).path,
            absolute.resolvingSymlinksInPath().path,
        ]
        var tried = Set<String>()
        for candidate in candidates where tried.insert(candidate).inserted {
            if let record = try store.record(path: candidate) { return record }
        }
        return nil
    }

    /// Whether the file at the record's path still has the stored size and
    /// modification time, so its stored code can stand for it.
    static func isUnchanged(_ record: ImageRecord) throws -> Bool {
        guard let file = FoundFile(statingPath: record.path) else { return false }
        return file.size == record.size && file.modificationTime == record.modificationTime
    }
}

/// Why an ``ImageIndex`` call could not be served.
public enum ImageIndexError: Error, Sendable, CustomStringConvertible {
    /// The index has no model to encode images with.
    case noModel(path: String)

    /// Training needs more images than the index holds.
    case tooFewImages(path: String, count: Int, minimum: Int)
    /// Too many indexed files could not be read again to re-encode them; nothing was switched.
    case tooManyUnreadable(path: String, failed: Int, total: Int, example: String)

    public var description: String {
        switch self {
        case .noModel(let path):
            return "\(path): the index has no model. HINT: create it with the default model or run `imgsearch train`."
        case .tooFewImages(let path, let count, let minimum):
            return "\(path): \(count) indexed images are too few to train a model on; at least \(minimum) are needed. HINT: index more images first, or keep the default model."
        case .tooManyUnreadable(let path, let failed, let total, let example):
            return "\(path): \(failed) of \(total) indexed files could not be read again (for example \(example)); the model was not switched. HINT: if the files are gone, run `imgsearch index` to drop them, then train again."
        }
    }
}
