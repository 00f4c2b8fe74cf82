import Foundation
import ImgSearchCore

/// The SQLite index: images, their codes, the models that made them; the
/// first ``IndexStorage``, one connection of ``SQLiteBackend``.
///
/// The semantic hashes are also kept packed in `hash_blocks`, one row per
/// 4096 consecutive image ids, so a query loads a million hashes in a few
/// hundred large reads rather than a million row fetches. Every change to
/// `images` goes through ``write(_:)``, which rebuilds the blocks it touched
/// from the rows inside the same transaction: the blocks can never disagree
/// with the rows, even after a crash (docs/index-format.md).
final class SQLiteIndexStore: IndexStorage {
    let connection: SQLiteConnection
    var path: String { connection.path }
    var location: String { connection.path }
    var isReadOnly: Bool { connection.isReadOnly }
    /// Whether `images` has the `format` and `colour` columns (schema version 3 on): a
    /// read-only open of an older index reads it as it is, without.
    let hasFormatColumn: Bool

    /// Opens the index at `path`. Unless `readOnly`, the file is created when
    /// missing and, with `migrating`, its schema brought up to date;
    /// otherwise the schema is only checked to be one this version reads.
    init(path: String, readOnly: Bool = false, migrating: Bool = true) throws {
        connection = try SQLiteConnection(path: path, readOnly: readOnly, create: !readOnly && migrating)
        if readOnly || !migrating {
            try IndexSchema.migrator.checkReadable(connection)
        } else {
            try IndexSchema.migrator.migrate(connection)
        }
        // A read-only open leaves an older index as it is: before version 3
        // there are no colour and format columns, and its rows read as
        // having neither.
        let version = try IndexSchema.migrator.currentVersion(of: connection)
        hasFormatColumn = version >= IndexSchema.formatColumnVersion
        hasChecksums = version >= IndexSchema.checksumVersion
        colourColumn = hasFormatColumn ? "colour" : "NULL"
        formatColumn = hasFormatColumn ? "format" : "NULL"
        checksumColumn = hasChecksums ? "checksum" : "NULL"
        recordColumns = SQLiteIndexWriter.columns(hasVersion3Columns: hasFormatColumn, hasChecksums: hasChecksums)
    }

    /// Whether the rows, blocks and models carry checksums (schema version
    /// 4 on); an older index opened read-only is read unchecked.
    let hasChecksums: Bool
    /// `checksum`, or NULL before schema version 4.
    private let checksumColumn: String
    /// What ``SQLiteIndexWriter/record(from:index:)`` reads, for this schema.
    private let recordColumns: String

    /// `colour`, or `NULL` in an index older than schema version 3.
    private let colourColumn: String
    /// `format`, or NULL in an index of an older schema opened read-only.
    private let formatColumn: String

    /// Runs `body` in one read transaction on this store's connection.
    func readingOneSnapshot<Result>(_ body: () throws -> Result) throws -> Result {
        try connection.readTransaction(body)
    }

    // MARK: - Writing

    /// Runs `body` in one transaction; the hash blocks of every image id it
    /// touched are rebuilt before the commit.
    func write<Result>(_ body: (any IndexBatch) throws -> Result) throws -> Result {
        try connection.transaction {
            let writer = SQLiteIndexWriter(connection: connection)
            let result = try body(writer)
            try Self.rebuildBlocks(writer.touchedBlocks.sorted(), on: connection)
            return result
        }
    }

    /// Rewrites `blocks` of `hash_blocks` from the rows of `images`: 16-bit
    /// offsets and 32-bit hashes (schema version 2), little-endian.
    static func rebuildBlocks(_ blocks: [Int64], on connection: SQLiteConnection) throws {
        try rebuildBlocks(blocks, on: connection, withChecksums: true)
    }

    /// ``rebuildBlocks(_:on:)``, without the checksum column for the
    /// version 2 migration, which runs before that column exists.
    static func rebuildBlocks(_ blocks: [Int64], on connection: SQLiteConnection, withChecksums: Bool) throws {
        let select = try connection.cachedStatement("SELECT id, hash FROM images WHERE id >= ? AND id < ? ORDER BY id")
        let upsert = try connection.cachedStatement(withChecksums
            ? "INSERT OR REPLACE INTO hash_blocks (block, ids, hashes, checksum) VALUES (?, ?, ?, ?)"
            : "INSERT OR REPLACE INTO hash_blocks (block, ids, hashes) VALUES (?, ?, ?)")
        let delete = try connection.cachedStatement("DELETE FROM hash_blocks WHERE block = ?")
        for block in blocks {
            let first = block * IndexSchema.blockSize
            try select.bind(.integer(first), .integer(first + IndexSchema.blockSize))
            var offsets: [UInt8] = [], hashes: [UInt8] = []
            while try select.step() {
                appendLittleEndian(UInt16(select.integer(0) - first), to: &offsets)
                appendLittleEndian(UInt32(truncatingIfNeeded: select.integer(1)), to: &hashes)
            }
            if offsets.isEmpty {
                try delete.bind(.integer(block)).run()
            } else {
                var values: [SQLiteValue] = [.integer(block), .blob(offsets), .blob(hashes)]
                if withChecksums { values.append(.integer(StoredChecksums.block(offsets: offsets, hashes: hashes))) }
                try upsert.bind(values).run()
            }
        }
    }

    // MARK: - Reading

    /// Every image's hash from the packed blocks, ids ascending, with the
    /// 16-bit offsets that locate each image instead of its 8-byte id
    /// (``HashLocations``). The blobs are copied as they are (both
    /// little-endian, as the host is), with no per-row work: a row-by-row
    /// copy was a sixth of a query's time (docs/benchmarks.md, "Query latency").
    func loadHashes() throws -> LoadedHashes {
        let count = try imageCountInBlocks()
        var blocks: [(firstRow: Int, block: Int64)] = []
        var hashes: [UInt32] = []
        let offsets = try [UInt16](unsafeUninitializedCapacity: count) { offsetsOut, offsetsInitialized in
            HugePageAdvice.advise(UnsafeMutableRawBufferPointer(offsetsOut))
            hashes = try [UInt32](unsafeUninitializedCapacity: count) { hashesOut, hashesInitialized in
                HugePageAdvice.advise(UnsafeMutableRawBufferPointer(hashesOut))
                let filled = try forEachHashBlock(upTo: count) { block, firstRow, rows, offsets, packed, hashBytes in
                    blocks.append((firstRow, block))
                    Self.copyLittleEndian(offsets, rows: rows, into: UnsafeMutableBufferPointer(rebasing: offsetsOut[firstRow...]))
                    let target = UnsafeMutableBufferPointer(rebasing: hashesOut[firstRow...])
                    if hashBytes == 4 {
                        Self.copyLittleEndian(packed, rows: rows, into: target)
                    } else {
                        for row in 0..<rows {
                            target[row] = UInt32(truncatingIfNeeded: packed.loadUnaligned(fromByteOffset: row &* 8, as: UInt64.self).littleEndian)
                        }
                    }
                }
                hashesInitialized = filled
            }
            offsetsInitialized = hashes.count
        }
        return LoadedHashes(hashes: hashes, locations: HashLocations(blockSize: IndexSchema.blockSize, offsets: offsets, blocks: blocks))
    }

    /// `rows` little-endian integers from `bytes` into `target`: one copy on a
    /// little-endian host.
    private static func copyLittleEndian<Integer: FixedWidthInteger>(
        _ bytes: UnsafeRawBufferPointer, rows: Int, into target: UnsafeMutableBufferPointer<Integer>
    ) {
        #if _endian(little)
        UnsafeMutableRawPointer(target.baseAddress!).copyMemory(from: bytes.baseAddress!, byteCount: rows * MemoryLayout<Integer>.size)
        #else
        for row in 0..<rows {
            target[row] = Integer(littleEndian: bytes.loadUnaligned(fromByteOffset: row * MemoryLayout<Integer>.size, as: Integer.self))
        }
        #endif
    }

    /// Calls `body` for each row of `hash_blocks`, in block order, with the
    /// block number, the index of its first image among all loaded so far,
    /// how many images it holds (at most `count` in all), its offsets blob,
    /// its hashes blob, and the bytes per hash there: 4 since schema version
    /// 2, 8 in a version 1 index opened read-only. Returns the images seen.
    private func forEachHashBlock(
        upTo count: Int,
        _ body: (_ block: Int64, _ firstRow: Int, _ rows: Int, _ offsets: UnsafeRawBufferPointer,
                 _ hashes: UnsafeRawBufferPointer, _ hashBytes: Int) throws -> Void
    ) throws -> Int {
        var filled = 0
        let select = try connection.prepare("SELECT block, ids, hashes, \(checksumColumn) FROM hash_blocks ORDER BY block")
        while try select.step() {
            let block = select.integer(0)
            try select.withBlob(1) { offsets in
                try select.withBlob(2) { packed in
                    if !select.isNull(3), StoredChecksums.block(offsets: offsets, hashes: packed) != select.integer(3) {
                        let first = block * IndexSchema.blockSize
                        throw IndexDamageError(path: path, damaged: "hash block \(block) (image ids \(first) ..< \(first + IndexSchema.blockSize))")
                    }
                    let hashBytes = offsets.count >= 2 && packed.count >= 8 * (offsets.count / 2) ? 8 : 4
                    let rows = min(offsets.count / 2, packed.count / hashBytes, count - filled)
                    guard rows > 0, offsets.baseAddress != nil, packed.baseAddress != nil else { return }
                    try body(block, filled, rows, offsets, packed, hashBytes)
                    filled += rows
                }
            }
        }
        return filled
    }

    /// The number of images the hash blocks hold, from the blobs' lengths.
    private func imageCountInBlocks() throws -> Int {
        let total = try connection.prepare("SELECT coalesce(sum(length(ids)), 0) / 2 FROM hash_blocks")
        return try total.step() ? Int(total.integer(0)) : 0
    }

    /// The stored record for `path`, if it is indexed.
    func record(path: String) throws -> ImageRecord? {
        let select = try connection.cachedStatement("SELECT \(recordColumns) FROM images WHERE path = ?")
        defer { select.reset() }
        try select.bind(.text(path))
        return try select.step() ? try SQLiteIndexWriter.record(from: select, index: self.path) : nil
    }

    /// The stored records for `ids` (missing ids are left out).
    func records(ids: [Int64]) throws -> [ImageRecord] {
        let select = try connection.cachedStatement("SELECT \(recordColumns) FROM images WHERE id = ?")
        defer { select.reset() }
        var found: [ImageRecord] = []
        for id in ids {
            try select.bind(.integer(id))
            if try select.step() { found.append(try SQLiteIndexWriter.record(from: select, index: path)) }
        }
        return found
    }

    /// What the incremental indexer compares against the disk: every
    /// indexed path with its id, size, modification time and content hash.
    func fileStates() throws -> [String: StoredFileState] {
        let select = try connection.prepare(
            "SELECT path, id, size, mtime_ns, content_hash, \(colourColumn) IS NOT NULL FROM images")
        var states: [String: StoredFileState] = [:]
        while try select.step() {
            states[select.text(0)] = StoredFileState(
                id: select.integer(1), size: select.integer(2), modificationTime: select.integer(3),
                contentHash: UInt64(bitPattern: select.integer(4)), hasColour: select.integer(5) != 0)
        }
        return states
    }

    /// Every indexed image's id, path, size and content hash, ids ascending.
    func indexedFiles() throws -> [IndexedFile] {
        let select = try connection.prepare("SELECT id, path, size, content_hash FROM images ORDER BY id")
        var files: [IndexedFile] = []
        while try select.step() {
            files.append(IndexedFile(id: select.integer(0), path: select.text(1), size: select.integer(2),
                                     contentHash: UInt64(bitPattern: select.integer(3))))
        }
        return files
    }

    /// At most `limit` images after the first `offset`, ids ascending.
    func images(offset: Int, limit: Int) throws -> [IndexedImage] {
        let select = try connection.cachedStatement(
            "SELECT id, path, width, height, \(formatColumn), size FROM images ORDER BY id LIMIT ? OFFSET ?")
        defer { select.reset() }
        try select.bind(.integer(Int64(max(0, limit))), .integer(Int64(max(0, offset))))
        var page: [IndexedImage] = []
        while try select.step() { page.append(Self.image(from: select)) }
        return page
    }

    /// The image with row id `id`, if it is indexed.
    func image(id: Int64) throws -> IndexedImage? {
        let select = try connection.cachedStatement(
            "SELECT id, path, width, height, \(formatColumn), size FROM images WHERE id = ?")
        defer { select.reset() }
        try select.bind(.integer(id))
        return try select.step() ? Self.image(from: select) : nil
    }

    /// The listing columns of the current row, in the order the two queries above select them.
    private static func image(from select: SQLiteStatement) -> IndexedImage {
        IndexedImage(id: select.integer(0), path: select.text(1), width: Int(select.integer(2)),
                     height: Int(select.integer(3)), format: select.isNull(4) ? nil : select.text(4),
                     bytes: select.integer(5))
    }

    /// Images per recorded format, nil for rows without one.
    func formatCounts() throws -> [String?: Int] {
        let select = try connection.prepare(
            hasFormatColumn ? "SELECT format, count(*) FROM images GROUP BY format" : "SELECT NULL, count(*) FROM images")
        var counts: [String?: Int] = [:]
        while try select.step() {
            let count = Int(select.integer(1))
            if count > 0 { counts[select.isNull(0) ? nil : select.text(0), default: 0] += count }
        }
        return counts
    }

    /// Rows with a NULL format, by path: every row of an index opened
    /// read-only before version 3.
    func idsWithoutFormat() throws -> [String: Int64] {
        let select = try connection.prepare(
            hasFormatColumn ? "SELECT path, id FROM images WHERE format IS NULL" : "SELECT path, id FROM images")
        var ids: [String: Int64] = [:]
        while try select.step() { ids[select.text(0)] = select.integer(1) }
        return ids
    }

    /// The last `index` run's record; a record this build cannot decode
    /// (written by a newer imgsearch with other fields) counts as none,
    /// as `info` is the only reader and the rest of the index is sound.
    func lastIndexRun() throws -> IndexRun? {
        let select = try connection.prepare("SELECT value FROM state WHERE key = 'last_index_run'")
        guard try select.step() else { return nil }
        return try? JSONDecoder().decode(IndexRun.self, from: Data(select.text(0).utf8))
    }

    // MARK: - Models

    /// The id of the model new images are encoded with, if one was chosen.
    func activeModelID() throws -> Int64? {
        let select = try connection.prepare("SELECT value FROM state WHERE key = 'active_model'")
        return try select.step() ? Int64(select.text(0)) : nil
    }

    /// A stored model with its file's bytes.
    func model(id: Int64) throws -> StoredModel? {
        let select = try connection.prepare(
            "SELECT name, created_at, trained_on, settings, metrics, file, \(hasChecksums ? "checksums" : "NULL") FROM models WHERE id = ?")
        try select.bind(.integer(id))
        guard try select.step() else { return nil }
        let file = select.blob(5)
        if !select.isNull(6) { try checkModel(id: id, prefix: file, fileLength: file.count, stored: select.blob(6)) }
        return StoredModel(name: select.text(0), createdAt: select.text(1), trainedOn: select.text(2),
                           settings: select.text(3), metrics: select.text(4), file: file)
    }

    /// Throws ``IndexDamageError`` when the chunks of model `id` that
    /// `prefix` covers do not match `stored` (its `checksums` column).
    private func checkModel(id: Int64, prefix: [UInt8], fileLength: Int, stored: [UInt8]) throws {
        if let chunk = StoredChecksums.firstDamagedModelChunk(prefix, fileLength: fileLength, stored: stored) {
            let start = chunk * StoredChecksums.modelChunk
            throw IndexDamageError(path: path, damaged: "model \(id) (its file's bytes \(start) ..< \(min(fileLength, start + StoredChecksums.modelChunk)))")
        }
    }

    /// A stored model with only the leading bytes of its file that
    /// `leadingBytes` asks for, given the file's first `headerLength` bytes
    /// (nil: the whole file). A query needs only the encoder part of a
    /// model file (``ModelFile/encoderByteCount(header:)``); reading it
    /// through an incremental blob leaves the rest (the decoder, three
    /// quarters of the bytes) unread.
    func model(id: Int64, headerLength: Int, leadingBytes: ([UInt8]) -> Int?) throws -> StoredModel? {
        let select = try connection.prepare(
            "SELECT name, created_at, trained_on, settings, metrics, \(hasChecksums ? "checksums" : "NULL") FROM models WHERE id = ?")
        try select.bind(.integer(id))
        guard try select.step() else { return nil }
        let blob = try SQLiteBlob(connection: connection, table: "models", column: "file", rowid: id)
        let header = try blob.read(offset: 0, length: headerLength)
        let length = min(blob.count, leadingBytes(header) ?? blob.count)
        var file: [UInt8]
        if select.isNull(5) {
            file = length <= header.count ? Array(header.prefix(length))
                : header + (try blob.read(offset: header.count, length: length - header.count))
        } else {
            // Whole checksummed chunks, so that every byte used is checked.
            let chunk = StoredChecksums.modelChunk
            let checked = min(blob.count, (length + chunk - 1) / chunk * chunk)
            file = try blob.read(offset: 0, length: max(checked, header.count))
            try checkModel(id: id, prefix: file, fileLength: blob.count, stored: select.blob(5))
            file.removeLast(file.count - length)
        }
        return StoredModel(name: select.text(0), createdAt: select.text(1), trainedOn: select.text(2),
                           settings: select.text(3), metrics: select.text(4), file: file)
    }

    // MARK: - Counts and change

    /// Number of indexed images.
    func count() throws -> Int {
        let select = try connection.prepare("SELECT count(*) FROM images")
        return try select.step() ? Int(select.integer(0)) : 0
    }

    /// SQLite's `data_version` counts commits by other connections only;
    /// this connection's own changes are added in, so a write here changes
    /// the token too.
    func changeToken() throws -> Int64 {
        let statement = try connection.cachedStatement("PRAGMA data_version")
        defer { statement.reset() }
        let other = try statement.step() ? statement.integer(0) : 0
        return other << 32 | Int64(connection.totalChanges & 0xFFFF_FFFF)
    }

    /// The database file and its write-ahead log.
    func bytesOnDisk() -> Int64 {
        var size: Int64 = 0
        for suffix in ["", "-wal"] {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + suffix)
            size += (attributes?[.size] as? NSNumber)?.int64Value ?? 0
        }
        return size
    }

    func withWriteLock<Result>(onWait: () -> Void, _ body: () throws -> Result) throws -> Result {
        let lock = try IndexWriteLock(database: path, onWait: onWait)
        return try withExtendedLifetime(lock) { try body() }
    }
}

/// Indexes in SQLite files: the default backend.
struct SQLiteBackend: IndexBackend {
    /// The database file.
    let path: String
    var location: String { path }

    func openStorage(readOnly: Bool, migrating: Bool) throws -> any IndexStorage {
        try SQLiteIndexStore(path: path, readOnly: readOnly, migrating: migrating)
    }
}

func appendLittleEndian<Integer: FixedWidthInteger>(_ value: Integer, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
}

