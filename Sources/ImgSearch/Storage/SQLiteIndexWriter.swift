import Foundation
import ImgSearchCore
import ImgSearchImaging

/// The changes one ``SQLiteIndexStore/write(_:)`` transaction makes.
///
/// Each change to `images` records the hash block of the id it touched, so
/// the store can rebuild exactly those blocks before committing.
final class SQLiteIndexWriter: IndexBatch {
    private let connection: SQLiteConnection
    private(set) var touchedBlocks = Set<Int64>()

    init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// The columns ``record(from:index:)`` reads; on an index from before schema
    /// version 3 opened read-only (no `colour` or `format` column), NULL in
    /// their places.
    static func columns(hasVersion3Columns: Bool = true, hasChecksums: Bool = true) -> String {
        "id, path, size, mtime_ns, content_hash, width, height, hash, code, model_id, "
            + (hasVersion3Columns ? "colour, format" : "NULL, NULL") + (hasChecksums ? ", checksum" : ", NULL")
    }

    /// Adds an image; `record.id` is ignored and the new id returned.
    @discardableResult
    func insert(_ record: ImageRecord) throws -> Int64 {
        let code = Self.bytes(of: record.code), colour = Self.colourBytes(record.colour)
        try connection.cachedStatement("""
            INSERT INTO images (path, size, mtime_ns, content_hash, width, height, hash, code, model_id, colour, format, checksum)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).bind(
                .text(record.path), .integer(record.size), .integer(record.modificationTime),
                .integer(Int64(bitPattern: record.contentHash)), .integer(Int64(record.width)),
                .integer(Int64(record.height)), .integer(Int64(record.hash)),
                .blob(code), .integer(record.modelID), colour.map { .blob($0) } ?? .null,
                Self.format(record.format), .integer(StoredChecksums.row(hash: Int64(record.hash), code: code, colour: colour))
            ).run()
        let id = connection.lastInsertedRowID
        touch(id)
        return id
    }

    /// Replaces everything stored for `record.id` (a re-encoded file); a
    /// record without a format keeps the stored one.
    func update(_ record: ImageRecord) throws {
        let code = Self.bytes(of: record.code), colour = Self.colourBytes(record.colour)
        try connection.cachedStatement("""
            UPDATE images SET path = ?, size = ?, mtime_ns = ?, content_hash = ?, width = ?, height = ?,
                hash = ?, code = ?, model_id = ?, colour = ?, format = COALESCE(?, format), checksum = ? WHERE id = ?
            """).bind(
                .text(record.path), .integer(record.size), .integer(record.modificationTime),
                .integer(Int64(bitPattern: record.contentHash)), .integer(Int64(record.width)),
                .integer(Int64(record.height)), .integer(Int64(record.hash)),
                .blob(code), .integer(record.modelID), colour.map { .blob($0) } ?? .null, Self.format(record.format),
                .integer(StoredChecksums.row(hash: Int64(record.hash), code: code, colour: colour)), .integer(record.id)
            ).run()
        touch(record.id)
    }

    /// Points an indexed image at a new path (a moved file keeps its code).
    func move(id: Int64, to path: String, size: Int64, modificationTime: Int64) throws {
        try connection.cachedStatement("UPDATE images SET path = ?, size = ?, mtime_ns = ? WHERE id = ?")
            .bind(.text(path), .integer(size), .integer(modificationTime), .integer(id)).run()
    }

    /// Records a new modification time for an unchanged file (touched, same bytes).
    func refresh(id: Int64, modificationTime: Int64) throws {
        try connection.cachedStatement("UPDATE images SET mtime_ns = ? WHERE id = ?")
            .bind(.integer(modificationTime), .integer(id)).run()
    }

    /// Removes images by id.
    func delete(ids: [Int64]) throws {
        let statement = try connection.cachedStatement("DELETE FROM images WHERE id = ?")
        for id in ids {
            try statement.bind(.integer(id)).run()
            touch(id)
        }
    }

    func recordIndexRun(_ run: IndexRun) throws {
        let json = String(decoding: try JSONEncoder().encode(run), as: UTF8.self)
        try connection.cachedStatement("INSERT OR REPLACE INTO state (key, value) VALUES ('last_index_run', ?)")
            .bind(.text(json)).run()
    }

    func setFormat(id: Int64, format: String) throws {
        try connection.cachedStatement("UPDATE images SET format = ? WHERE id = ?").bind(.text(format), .integer(id)).run()
    }

    func addModel(_ model: StoredModel) throws -> Int64 {
        try connection.cachedStatement("""
            INSERT INTO models (name, created_at, trained_on, settings, metrics, file, checksums) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).bind(.text(model.name), .text(model.createdAt), .text(model.trainedOn),
                      .text(model.settings), .text(model.metrics), .blob(model.file),
                      .blob(StoredChecksums.modelChunks(model.file))).run()
        return connection.lastInsertedRowID
    }

    func setActiveModel(_ id: Int64) throws {
        try connection.cachedStatement("INSERT OR REPLACE INTO state (key, value) VALUES ('active_model', ?)")
            .bind(.text(String(id))).run()
    }

    func deleteUnusedModels() throws {
        try connection.cachedStatement("""
            DELETE FROM models WHERE id NOT IN (SELECT CAST(value AS INTEGER) FROM state WHERE key = 'active_model')
                AND id NOT IN (SELECT DISTINCT model_id FROM images)
            """).run()
    }

    private static func format(_ format: String?) -> SQLiteValue {
        format.map { .text($0) } ?? .null
    }

    private func touch(_ id: Int64) {
        touchedBlocks.insert(id / IndexSchema.blockSize)
    }

    // MARK: - Row conversion

    static func bytes(of code: [Float]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(code.count * 4)
        for value in code { appendLittleEndian(value.bitPattern, to: &bytes) }
        return bytes
    }

    static func code(from bytes: UnsafeRawBufferPointer) -> [Float] {
        (0..<bytes.count / 4).map { Float(bitPattern: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self).littleEndian) }
    }

    /// A histogram as stored: its shares as little-endian UInt16 (x 65535),
    /// a quarter of the Float bytes, exact to 1/65535 of the pixels.
    static func colourBytes(_ colour: ColourHistogram?) -> [UInt8]? {
        guard let colour else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(colour.shares.count * 2)
        for share in colour.shares {
            appendLittleEndian(UInt16((min(1, max(0, share)) * 65535).rounded()), to: &bytes)
        }
        return bytes
    }

    /// The histogram stored by ``colourBytes(_:)``, or nil for NULL or a
    /// blob of another length (then the row has no colour term).
    static func colour(from bytes: UnsafeRawBufferPointer) -> ColourHistogram? {
        guard bytes.count == 2 * 128 else { return nil }
        return ColourHistogram(shares: (0..<128).map {
            Float(bytes.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self).littleEndian) / 65535
        })
    }

    /// The record in the current row of a statement that selected
    /// ``columns(hasVersion3Columns:hasChecksums:)``, its checksum verified
    /// when it has one.
    /// - Throws: ``IndexDamageError`` naming `index` and the row.
    static func record(from row: SQLiteStatement, index: String) throws -> ImageRecord {
        if !row.isNull(12) {
            if StoredChecksums.row(of: row, hash: 7, code: 8, colour: 10) != row.integer(12) {
                throw IndexDamageError(path: index, damaged: "the row of image id \(row.integer(0)) (\(row.text(1)))")
            }
        }
        return ImageRecord(
            id: row.integer(0), path: row.text(1), size: row.integer(2), modificationTime: row.integer(3),
            contentHash: UInt64(bitPattern: row.integer(4)), width: Int(row.integer(5)), height: Int(row.integer(6)),
            hash: SemanticHash(truncatingIfNeeded: row.integer(7)), code: row.withBlob(8) { code(from: $0) }, modelID: row.integer(9),
            colour: row.isNull(10) ? nil : row.withBlob(10) { colour(from: $0) },
            format: row.isNull(11) ? nil : row.text(11))
    }
}
