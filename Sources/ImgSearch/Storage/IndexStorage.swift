import ImgSearchCore

/// Where indexes live: opens connections to one index.
///
/// The facade and the indexer know storage only through this protocol,
/// ``IndexStorage`` and ``IndexBatch``; ``SQLiteBackend`` is the first
/// implementation, and a second backend is an addition beside it.
package protocol IndexBackend: Sendable {
    /// The index's location, as messages name it (a file path, a URL).
    var location: String { get }

    /// Opens one connection to the index.
    ///
    /// - Parameter readOnly: the connection must never write (the index
    ///   may be on read-only storage).
    /// - Parameter migrating: create the index if it is missing and bring
    ///   its schema up to date first; the first connection of a writable
    ///   index does this, later ones only check that they can read it.
    func openStorage(readOnly: Bool, migrating: Bool) throws -> any IndexStorage
}

/// One connection to an index: what the product reads and writes.
///
/// A connection is used by one thread at a time. Reads made on it inside
/// ``write(_:)`` see that batch's changes.
package protocol IndexStorage: AnyObject {
    /// The index's location, as messages name it.
    var location: String { get }
    /// Whether writes on this connection would be refused.
    var isReadOnly: Bool { get }

    // MARK: Images

    /// Number of indexed images.
    func count() throws -> Int
    /// The stored record for `path`, if it is indexed.
    func record(path: String) throws -> ImageRecord?
    /// The stored records for `ids`; missing ids are left out.
    func records(ids: [Int64]) throws -> [ImageRecord]
    /// Every indexed path with what the incremental indexer compares against the disk.
    func fileStates() throws -> [String: StoredFileState]
    /// Every indexed image's id, path, size and content hash, ids ascending.
    func indexedFiles() throws -> [IndexedFile]
    /// At most `limit` images after the first `offset`, ids ascending.
    func images(offset: Int, limit: Int) throws -> [IndexedImage]
    /// The image with row id `id`, if it is indexed.
    func image(id: Int64) throws -> IndexedImage?
    /// Every image's hash, in the order the search scans them, with where each image is.
    func loadHashes() throws -> LoadedHashes
    /// How many images were decoded as each format (``ImageFormat`` raw
    /// values); rows whose format is not recorded (indexed before the index
    /// recorded formats) are counted under nil.
    func formatCounts() throws -> [String?: Int]
    /// The record of the last `index` run that finished, if any did since
    /// the index recorded runs.
    func lastIndexRun() throws -> IndexRun?
    /// The ids of the rows whose format is not recorded, by path.
    func idsWithoutFormat() throws -> [String: Int64]

    // MARK: Models

    /// The id of the model new images are encoded with, if one was chosen.
    func activeModelID() throws -> Int64?
    /// A stored model with its whole file.
    func model(id: Int64) throws -> StoredModel?
    /// A stored model with only the leading bytes of its file that
    /// `leadingBytes` asks for, given the file's first `headerLength` bytes
    /// (nil: the whole file): a query needs only the encoder part.
    func model(id: Int64, headerLength: Int, leadingBytes: ([UInt8]) -> Int?) throws -> StoredModel?

    /// Runs `body` so that every read in it sees one committed state: a
    /// commit by another connection meanwhile shows only after it returns.
    /// Writers are not held up (in SQLite, a read transaction on the WAL).
    func readingOneSnapshot<Result>(_ body: () throws -> Result) throws -> Result

    // MARK: Writing and change

    /// Runs `body` as one atomic batch: all of its changes are committed
    /// together if it returns, none if it throws.
    func write<Result>(_ body: (any IndexBatch) throws -> Result) throws -> Result

    /// Runs `body` holding the index's write lock, which one writer (an
    /// `index` run, a model switch) holds for a whole run of batches. When
    /// another process holds it, `onWait` is called once and this waits.
    func withWriteLock<Result>(onWait: () -> Void, _ body: () throws -> Result) throws -> Result

    /// A value that changes whenever another connection (of this process or
    /// another) commits; comparable only between calls on this connection.
    func changeToken() throws -> Int64

    /// Bytes the index takes on disk, where that is known.
    func bytesOnDisk() -> Int64

    // MARK: Damage

    /// Checks everything against the backend's own checks and the stored
    /// checksums (``IndexCheckReport``); writes nothing.
    func check(full: Bool) throws -> IndexCheckReport
    /// Repairs what `report` found in one batch; rows it cannot mend are
    /// deleted and named (see ``SQLiteIndexStore/repair(_:hashOfCode:)``).
    func repair(_ report: IndexCheckReport,
                hashOfCode: (_ modelID: Int64, _ code: [Float]) -> SemanticHash?) throws -> IndexRepairSummary
}

/// The changes one ``IndexStorage/write(_:)`` batch may make.
package protocol IndexBatch: AnyObject {
    /// Adds an image; `record.id` is ignored and the new id returned.
    @discardableResult
    func insert(_ record: ImageRecord) throws -> Int64
    /// Replaces everything stored for `record.id` (a re-encoded file).
    func update(_ record: ImageRecord) throws
    /// Points an indexed image at a new path (a moved file keeps its code).
    func move(id: Int64, to path: String, size: Int64, modificationTime: Int64) throws
    /// Records a new modification time for an unchanged file (touched, same bytes).
    func refresh(id: Int64, modificationTime: Int64) throws
    /// Removes images by id.
    func delete(ids: [Int64]) throws
    /// Keeps `run` as the last `index` run, replacing the one before.
    func recordIndexRun(_ run: IndexRun) throws
    /// Records the format of an indexed image whose row has none.
    func setFormat(id: Int64, format: String) throws

    /// Stores a model file and what is known about it; returns its id.
    func addModel(_ model: StoredModel) throws -> Int64
    /// Makes `id` the model new images are encoded with; in the same batch
    /// as the re-encoding, so queries see the old model and codes or the new.
    func setActiveModel(_ id: Int64) throws
    /// Deletes the models that are neither active nor used by any image.
    func deleteUnusedModels() throws
}

/// Every image's hash as a search scans them, and which image each is.
package struct LoadedHashes: Sendable {
    /// One hash per image, in storage order.
    package var hashes: [SemanticHash]
    /// Where each hash's image is, from which its id follows.
    package var locations: HashLocations

    /// The image ids in hash order (one pass, for callers that need them all).
    package var ids: [Int64] { locations.allIDs() }
}
