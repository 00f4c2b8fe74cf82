import Foundation
import ImgSearchCore
import ImgSearchImaging
import ImgSearchLearning

/// An imgsearch index: the library's front door.
///
/// Opens (or creates) the index at a path, indexes folders into it, and
/// answers queries by file, by pixels or by code. Safe to share between
/// threads, and built for it: writes (index runs, removals, model
/// switches) take turns on one connection, while every query reads on a
/// connection of its own and decodes outside any lock, so queries wait
/// neither for an index run nor for each other.
///
/// ```swift
/// let index = try ImageIndex(path: "index/imgsearch.sqlite")
/// let summary = try index.index(folders: ["Photos"])
/// let result = try index.query(imageAt: "Photos/beach.jpg", options: QueryOptions(k: 10))
/// for match in result.matches { print(match.rank, match.hamming, match.path) }
/// ```
public final class ImageIndex: Sendable {
    /// Where the index is (the database file, for the SQLite default).
    public let path: String
    package let connections: IndexConnections
    let cache = QueryCache()
    let makeEncoder: @Sendable (StoredModel) throws -> any SemanticEncoder

    /// Opens the index in `backend`, creating it when it does not exist
    /// (unless `readOnly`: then queries only, and the index may be on
    /// read-only storage); `makeEncoder` turns a stored model into an encoder.
    init(backend: any IndexBackend, readOnly: Bool = false,
         makeEncoder: @escaping @Sendable (StoredModel) throws -> any SemanticEncoder) throws {
        path = backend.location
        connections = try IndexConnections(backend: backend, readOnly: readOnly)
        self.makeEncoder = makeEncoder
    }

    /// Opens the SQLite index at `path`, creating it and its folder when
    /// they do not exist.
    convenience init(path: String, readOnly: Bool = false,
                     makeEncoder: @escaping @Sendable (StoredModel) throws -> any SemanticEncoder) throws {
        if !readOnly {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        }
        try self.init(backend: SQLiteBackend(path: path), readOnly: readOnly, makeEncoder: makeEncoder)
    }

    // MARK: - Models

    /// Stores `model` and makes it the one new images are encoded with, if
    /// the index has none yet. Returns the model's id.
    @discardableResult
    func installModelIfNone(_ model: StoredModel) throws -> Int64 {
        try connections.writing { storage in
            if let active = try storage.activeModelID() { return active }
            return try storage.write { batch in
                // Again inside the batch: two processes creating the same new
                // index must not both install a model (the second would
                // switch the first's model under its running index).
                if let active = try storage.activeModelID() { return active }
                let id = try batch.addModel(model)
                try batch.setActiveModel(id)
                return id
            }
        }
    }

    /// Whether the index has a model to encode images with.
    public var hasModel: Bool {
        get throws { try connections.reading { try $0.activeModelID() != nil } }
    }

    /// The active model's id and encoder, read on `storage`; the encoder is
    /// loaded once per model and kept.
    package func activeEncoder(on storage: any IndexStorage) throws -> (modelID: Int64, encoder: any SemanticEncoder) {
        guard let modelID = try storage.activeModelID() else { throw ImageIndexError.noModel(path: path) }
        let encoder = try cache.encoder(modelID: modelID) {
            // Only the model file's encoder part: encoding never needs the decoder.
            guard let model = try storage.model(id: modelID, headerLength: ModelFile.headerSize,
                                                leadingBytes: ModelFile.encoderByteCount(header:)) else {
                throw ImageIndexError.noModel(path: path)
            }
            return try makeEncoder(model)
        }
        return (modelID, encoder)
    }

    /// The active model's encoder, read on a reader.
    func activeEncoder() throws -> any SemanticEncoder {
        try connections.reading { try activeEncoder(on: $0).encoder }
    }

    // MARK: - Indexing

    /// Brings the index up to date with `folders` (see docs/index-format.md):
    /// new files are added, changed ones re-encoded, moved ones keep their
    /// code, vanished ones are removed. Files that fail are reported through
    /// `onFailure` and counted; the run goes on.
    ///
    /// One writer indexes into an index at a time: while another (a thread
    /// of this process, or another process holding the index's write lock)
    /// is writing, `onWait` is called once and the call waits for it to
    /// finish. Queries are never blocked.
    ///
    /// The model encodes `jobs` parts of each chunk at once, one per thread:
    /// set ``BLAS/threadCount`` to 1 first, as `imgsearch index` does, or
    /// OpenBLAS's own threads compete with them.
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
        try connections.writing(onBusy: onWait) { storage in
            try storage.withWriteLock(onWait: onWait) {
                try refuseIfDamaged(on: storage)
                let (modelID, encoder) = try activeEncoder(on: storage)
                let indexer = Indexer(store: storage, encoder: encoder, modelID: modelID, jobs: max(1, jobs))
                return try indexer.run(roots: folders, progress: progress, onFailure: onFailure)
            }
        }
    }

    /// Removes indexed images by path (see ``indexedRecord(path:on:)`` for the
    /// forms it takes); returns how many were removed.
    public func remove(paths: [String]) throws -> Int {
        try connections.writing { storage in
            try refuseIfDamaged(on: storage)
            let ids = try paths.compactMap { path in try indexedRecord(path: path, on: storage)?.id }
            if !ids.isEmpty { try storage.write { try $0.delete(ids: ids) } }
            return ids.count
        }
    }

    /// Number of indexed images.
    public func count() throws -> Int {
        try connections.reading { try $0.count() }
    }

    /// A number that changes whenever anything in the index changes, by
    /// this process or any other (a commit of any connection): a long-lived
    /// caller keeps what it derived from the index (a listing, duplicate
    /// groups) until it moves. Comparable only between calls on one
    /// ``ImageIndex``.
    public func changeToken() throws -> Int64 {
        try connections.changeToken()
    }

    // MARK: - Querying

    /// The indexed images nearest to the image file at `path`, nearest
    /// first, as `options` asks (see ``QueryOptions``).
    ///
    /// A file that is indexed and unchanged (same size and modification
    /// time) uses its stored code; any other file is decoded and encoded.
    public func query(imageAt path: String, options: QueryOptions = QueryOptions()) throws -> QueryResult {
        var codes: [SemanticCode] = []
        var colours: [ColourHistogram] = []
        var variants: [(kind: QueryVariant, thumbnail: Thumbnail)] = []
        if let record = try connections.reading({ try indexedRecord(path: path, on: $0) }), try Self.isUnchanged(record) {
            codes.append(SemanticCode(code: record.code, hash: record.hash))
            if let colour = record.colour { colours.append(colour) }
        }
        if codes.isEmpty || options.hasVariants || (colours.isEmpty && options.colourWeight > 0) {
            let encoder = try activeEncoder()
            let thumbnail = try ImageDecoder.thumbnail(contentsOf: path, side: encoder.thumbnailSide)
            variants = options.presentVariants(of: thumbnail)
            codes += try encoder.encode((codes.isEmpty ? [thumbnail] : []) + variants.map(\.thumbnail))
            colours = Self.colours(of: thumbnail, variants: variants)
        }
        return QueryResult(query: path, matches: try query(
            codes: codes, kinds: [.image] + variants.map(\.kind), colours: colours, options: options))
    }

    /// The indexed images nearest to an image already in memory (the
    /// upright pixels, any size), as ``query(imageAt:options:)`` would find
    /// them for a file holding it; `name` is the result's query label.
    public func query(pixels image: RGBImage, name: String = "(pixels)", options: QueryOptions = QueryOptions()) throws -> QueryResult {
        let encoder = try activeEncoder()
        return try query(thumbnail: Thumbnail(of: image, side: encoder.thumbnailSide), encoder: encoder, name: name, options: options)
    }

    /// The indexed images nearest to the image file whose bytes are
    /// `bytes` (an upload, say: any format ``ImageDecoder`` reads,
    /// recognized by content), as ``query(imageAt:options:)`` finds them
    /// for a file that is not indexed; `name` labels the result and names
    /// the image in a decoding error.
    ///
    /// - Throws: ``ImageDecodingError`` when the bytes are not a picture it can decode.
    public func query(imageBytes bytes: [UInt8], name: String, options: QueryOptions = QueryOptions()) throws -> QueryResult {
        let encoder = try activeEncoder()
        let thumbnail = try ImageDecoder.thumbnail(bytes, path: name, side: encoder.thumbnailSide)
        return try query(thumbnail: thumbnail, encoder: encoder, name: name, options: options)
    }

    /// The indexed images nearest to the indexed image with row id `id`,
    /// from its stored code and colours (it comes first itself, unless an
    /// identical copy has a lower id): nothing is decoded,
    /// so the transformed copies of ``QueryOptions/flip`` and
    /// ``QueryOptions/rotations`` (which need pixels) are left out unless
    /// `decodingForVariants` is set, when the file is decoded for them.
    ///
    /// - Throws: ``ImageIndexError/unknownImage(path:id:)`` when no indexed image has that id.
    public func similar(toImageWithID id: Int64, options: QueryOptions = QueryOptions(), decodingForVariants: Bool = false) throws -> QueryResult {
        guard let record = try connections.reading({ try $0.records(ids: [id]).first }) else {
            throw ImageIndexError.unknownImage(path: path, id: id)
        }
        if decodingForVariants && options.hasVariants {
            let encoder = try activeEncoder()
            let thumbnail = try ImageDecoder.thumbnail(contentsOf: record.path, side: encoder.thumbnailSide)
            let variants = options.presentVariants(of: thumbnail)
            let codes = [SemanticCode(code: record.code, hash: record.hash)] + (try encoder.encode(variants.map(\.thumbnail)))
            return QueryResult(query: record.path, matches: try query(
                codes: codes, kinds: [.image] + variants.map(\.kind),
                colours: record.colour.map { [$0] } ?? Self.colours(of: thumbnail, variants: variants), options: options))
        }
        return QueryResult(query: record.path, matches: try query(
            codes: [SemanticCode(code: record.code, hash: record.hash)], kinds: [.image],
            colours: record.colour.map { [$0] } ?? [], options: options))
    }

    /// A page of the indexed images, ids ascending: at most `limit` after the first `offset`.
    public func images(offset: Int = 0, limit: Int = 100) throws -> IndexedImagePage {
        try connections.reading { storage in
            try storage.readingOneSnapshot {
                IndexedImagePage(total: try storage.count(), offset: max(0, offset),
                                 images: try storage.images(offset: offset, limit: limit))
            }
        }
    }

    /// The indexed image with row id `id`, if there is one.
    public func image(id: Int64) throws -> IndexedImage? {
        try connections.reading { try $0.image(id: id) }
    }

    /// The query of `thumbnail` and, as `options` asks, its transformed copies.
    private func query(thumbnail: Thumbnail, encoder: any SemanticEncoder, name: String, options: QueryOptions) throws -> QueryResult {
        let variants = options.presentVariants(of: thumbnail)
        let codes = try encoder.encode([thumbnail] + variants.map(\.thumbnail))
        return QueryResult(query: name, matches: try query(
            codes: codes, kinds: [.image] + variants.map(\.kind), colours: Self.colours(of: thumbnail, variants: variants),
            options: options))
    }

    /// The histograms a query's colour term compares with: the thumbnail's
    /// and, when its black bars were cut, the trimmed copy's (a mirror or a
    /// turn has the same histogram as the image).
    private static func colours(of thumbnail: Thumbnail, variants: [(kind: QueryVariant, thumbnail: Thumbnail)]) -> [ColourHistogram] {
        [ColourHistogram(of: thumbnail)] + variants.filter { $0.kind == .trimmed }.map { ColourHistogram(of: $0.thumbnail) }
    }

    /// The indexed images nearest to any of `codes` (an image and its
    /// variants), each ranked by its nearest code; `options.flip` and
    /// `options.rotations` do not apply (the codes are the variants), and
    /// without a picture there is no colour term (``QueryOptions/colourWeight``).
    public func query(codes: [SemanticCode], options: QueryOptions = QueryOptions()) throws -> [QueryMatch] {
        try query(codes: codes, kinds: nil, colours: [], options: options)
    }

    private func query(
        codes: [SemanticCode], kinds: [QueryVariant]?, colours: [ColourHistogram], options: QueryOptions
    ) throws -> [QueryMatch] {
        guard let first = codes.first else { return [] }
        let token = try connections.changeToken()
        return try connections.reading { storage in
            let search = try cache.search(changeToken: token) { try HashSearch(store: storage, bitCount: first.code.count) }
            // One read transaction for the candidates' rows: each statement
            // outside one would take and drop the database's read lock
            // (system calls) for every row.
            return try storage.readingOneSnapshot {
                try VariantMerging.nearest(
                    to: codes, kinds: kinds, colours: colours, options: options, search: search, storage: storage)
            }
        }
    }

    // MARK: - Helpers

    /// The row for a path as a user types it. The walker stores the real
    /// path of the indexed folder joined with the names below it, so a file
    /// reached through a symbolic link keeps the link's name; the lookup
    /// tries the path made absolute, then with its folder resolved, then
    /// fully resolved.
    func indexedRecord(path: String, on storage: any IndexStorage) throws -> ImageRecord? {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL
        let candidates = [
            absolute.path,
            absolute.deletingLastPathComponent().resolvingSymlinksInPath().appendingPathComponent(absolute.lastPathComponent).path,
            absolute.resolvingSymlinksInPath().path,
        ]
        var tried = Set<String>()
        for candidate in candidates where tried.insert(candidate).inserted {
            if let record = try storage.record(path: candidate) { return record }
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
