internal import CImgSearchSQLite

/// One blob opened for incremental reading (`sqlite3_blob_open`): a part of
/// a large value is read without SQLite assembling the whole value first,
/// so a query reads a model's encoder part and leaves its decoder on disk.
final class SQLiteBlob {
    private let connection: SQLiteConnection
    private var handle: OpaquePointer?
    /// The blob's length in bytes.
    let count: Int

    /// Opens `table.column` of the row with `rowid` for reading.
    /// - Throws: ``SQLiteError`` (no such row, not a blob, I/O).
    init(connection: SQLiteConnection, table: String, column: String, rowid: Int64) throws(SQLiteError) {
        self.connection = connection
        var opened: OpaquePointer?
        let sql = "blob \(table).\(column) of row \(rowid)"
        let result = sqlite3_blob_open(connection.handle, "main", table, column, rowid, 0, &opened)
        if result != SQLITE_OK { sqlite3_blob_close(opened) }
        try connection.check(result, sql: sql)
        handle = opened
        count = Int(sqlite3_blob_bytes(opened))
    }

    deinit { sqlite3_blob_close(handle) }

    /// The bytes `offset ..< offset + length`, clamped to the blob's end.
    func read(offset: Int, length: Int) throws(SQLiteError) -> [UInt8] {
        let length = max(0, min(length, count - offset))
        guard length > 0 else { return [] }
        var result: Int32 = SQLITE_OK
        let bytes = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            result = sqlite3_blob_read(handle, buffer.baseAddress, Int32(length), Int32(offset))
            initialized = length
        }
        try connection.check(result, sql: "reading \(length) bytes at \(offset) of a blob")
        return bytes
    }
}
