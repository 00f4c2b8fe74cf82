internal import CImgSearchSQLite

/// A compiled statement with parameter binding; values never go into SQL text.
///
/// Parameters are numbered from 1, columns from 0, as in SQLite's C API.
final class SQLiteStatement {
    // Unowned: the connection caches its statements, so a strong reference
    // back made a cycle, the connection was never closed, and every process
    // exited with its WAL unmerged (a copy of the .sqlite file alone then
    // lacked everything since the last checkpoint). A statement never
    // outlives its connection.
    private unowned let connection: SQLiteConnection
    private var handle: OpaquePointer?
    let sql: String

    // SQLite copies bound text and blobs when told the memory is transient.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(connection: SQLiteConnection, sql: String) throws(SQLiteError) {
        self.connection = connection
        self.sql = sql
        var compiled: OpaquePointer?
        try connection.check(sqlite3_prepare_v2(connection.handle, sql, -1, &compiled, nil), sql: sql)
        handle = compiled
    }

    deinit {
        sqlite3_finalize(handle)
    }

    // MARK: - Binding

    /// Binds `values` to parameters 1, 2, ... after resetting the statement.
    @discardableResult
    func bind(_ values: SQLiteValue...) throws(SQLiteError) -> SQLiteStatement {
        try bind(values)
    }

    @discardableResult
    func bind(_ values: [SQLiteValue]) throws(SQLiteError) -> SQLiteStatement {
        sqlite3_reset(handle)
        try connection.check(sqlite3_clear_bindings(handle), sql: sql)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let result: Int32
            switch value {
            case .null: result = sqlite3_bind_null(handle, index)
            case .integer(let number): result = sqlite3_bind_int64(handle, index, number)
            case .real(let number): result = sqlite3_bind_double(handle, index, number)
            case .text(let text): result = sqlite3_bind_text(handle, index, text, -1, Self.transient)
            case .blob(let bytes):
                result = bytes.withUnsafeBytes { buffer in
                    // A zero-length blob must still be a blob, not NULL.
                    sqlite3_bind_blob64(handle, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), sqlite3_uint64(buffer.count), Self.transient)
                }
            }
            try connection.check(result, sql: sql)
        }
        return self
    }

    // MARK: - Stepping

    /// Advances to the next row; `false` when the statement is done.
    func step() throws(SQLiteError) -> Bool {
        let result = sqlite3_step(handle)
        try connection.check(result, sql: sql)
        return result == SQLITE_ROW
    }

    /// Ends the current run so the statement holds no read snapshot; `bind`
    /// and `run` do this themselves, a caller that stops stepping early must.
    func reset() {
        sqlite3_reset(handle)
    }

    /// Runs a statement that returns no rows.
    func run() throws(SQLiteError) {
        while try step() {}
        sqlite3_reset(handle)
    }

    // MARK: - Columns of the current row

    func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func real(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String {
        guard let characters = sqlite3_column_text(handle, column) else { return "" }
        return String(cString: characters)
    }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    /// Calls `body` with the blob's bytes in place, without copying; the
    /// buffer is valid only during the call.
    func withBlob<Result>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        let count = Int(sqlite3_column_bytes(handle, column))
        return try body(UnsafeRawBufferPointer(start: sqlite3_column_blob(handle, column), count: count))
    }
}

/// A value bound to a statement parameter.
enum SQLiteValue {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}
