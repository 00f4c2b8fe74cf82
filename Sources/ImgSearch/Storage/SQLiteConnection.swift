internal import CImgSearchSQLite

/// One connection to an SQLite database, used from one thread at a time.
///
/// Every SQLite call goes through ``check(_:sql:)``, so every failure becomes
/// a ``SQLiteError`` naming the database and the statement. Opened in WAL
/// mode (readers never wait for the writer), with a busy timeout (a writer
/// waits for another writer instead of failing at once) and foreign keys on.
final class SQLiteConnection {
    let path: String
    private(set) var handle: OpaquePointer?

    /// How long a call waits for a lock held by another connection.
    static let busyTimeoutMilliseconds: Int32 = 10_000

    /// Opens (and with `create`, creates) the database at `path`.
    init(path: String, readOnly: Bool = false, create: Bool = true) throws(SQLiteError) {
        self.path = path
        var flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        if create && !readOnly { flags |= SQLITE_OPEN_CREATE }
        flags |= SQLITE_OPEN_NOMUTEX  // one thread per connection; SQLite need not lock
        var opened: OpaquePointer?
        let result = sqlite3_open_v2(path, &opened, flags, nil)
        handle = opened
        guard result == SQLITE_OK else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(result))
            sqlite3_close_v2(opened)
            handle = nil
            throw SQLiteError(code: result, message: message, sql: nil, path: path)
        }
        sqlite3_extended_result_codes(opened, 1)
        try check(sqlite3_busy_timeout(opened, Self.busyTimeoutMilliseconds), sql: nil)
        if !readOnly {
            try execute("PRAGMA journal_mode = WAL")
            // NORMAL is durable across application crashes in WAL mode; only
            // a power loss can drop the last transactions, never corrupt.
            try execute("PRAGMA synchronous = NORMAL")
        }
        try execute("PRAGMA foreign_keys = ON")
        // Reads through a memory map instead of a read() per 4 KB page: a
        // query reads a 14 MB model blob and megabytes of hash blocks, which
        // this makes about a fifth cheaper. Writes still go through write().
        try execute("PRAGMA mmap_size = \(Self.memoryMapBytes)")
    }

    /// The most of the file SQLite maps for reading.
    static let memoryMapBytes = 1 << 30

    deinit {
        statementCache.removeAll()  // finalize before closing
        sqlite3_close_v2(handle)
    }

    /// Turns an SQLite result code into a thrown ``SQLiteError`` unless it is
    /// a success code (OK, ROW, DONE).
    func check(_ result: Int32, sql: String?) throws(SQLiteError) {
        switch result & 0xFF {
        case SQLITE_OK, SQLITE_ROW, SQLITE_DONE:
            return
        default:
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(result))
            throw SQLiteError(code: result, message: message, sql: sql, path: path)
        }
    }

    /// Runs one or more statements that take no parameters and return no rows.
    func execute(_ sql: String) throws(SQLiteError) {
        try check(sqlite3_exec(handle, sql, nil, nil, nil), sql: sql)
    }

    /// Compiles `sql` for repeated use with bound parameters.
    func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        try SQLiteStatement(connection: self, sql: sql)
    }

    private var statementCache: [String: SQLiteStatement] = [:]

    /// The compiled statement for `sql`, compiled once per connection: for
    /// statements run once per image, where compiling would cost more than
    /// running.
    func cachedStatement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let statement = statementCache[sql] { return statement }
        let statement = try prepare(sql)
        statementCache[sql] = statement
        return statement
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back
    /// if it throws. `BEGIN IMMEDIATE` takes the write lock up front, so two
    /// writers queue on the busy timeout instead of deadlocking mid-way.
    func transaction<Result>(_ body: () throws -> Result) throws -> Result {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The row id of the last successful INSERT on this connection.
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by every INSERT, UPDATE and DELETE since the connection opened.
    var totalChanges: Int { Int(sqlite3_total_changes(handle)) }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }
}
