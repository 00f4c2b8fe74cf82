internal import CImgSearchSQLite
import Foundation
#if canImport(Glibc)
import Glibc
#endif

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
    ///
    /// Opened for writing, a file the operating system will not let us
    /// write (permissions, read-only storage) is refused at once with
    /// SQLITE_READONLY and the system's reason, rather than failing later at
    /// the first write. Opened read-only, a WAL database on read-only storage
    /// whose `-shm` file is gone (it was closed cleanly) cannot be read the
    /// normal way; it is then reopened as immutable, which is what it is.
    init(path: String, readOnly: Bool = false, create: Bool = true) throws(SQLiteError) {
        self.path = path
        var flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        if create && !readOnly { flags |= SQLITE_OPEN_CREATE }
        flags |= SQLITE_OPEN_NOMUTEX  // one thread per connection; SQLite need not lock
        handle = try Self.open(path, flags: flags, reportedAs: path)
        if !readOnly && sqlite3_db_readonly(handle, "main") == 1 {
            throw SQLiteError(code: SQLITE_READONLY, message: "the database cannot be written: \(Self.writeDenial(path))", sql: nil, path: path)
        }
        try configure(readOnly: readOnly)
        if readOnly {
            do {
                try execute("SELECT count(*) FROM sqlite_schema")
            } catch {
                // CANTOPEN: the -shm cannot be created (read-only storage);
                // READONLY_CANTINIT (1288) and READONLY_DIRECTORY (1544): it
                // cannot be made or written (a folder this user may not
                // write). With no -wal, the main file is the whole index.
                let cannotShare = error.code & 0xFF == SQLITE_CANTOPEN || error.code == 1288 || error.code == 1544
                guard cannotShare, !FileManager.default.fileExists(atPath: path + "-wal") else { throw error }
                sqlite3_close_v2(handle)
                handle = nil
                handle = try Self.open(Self.immutableURI(path), flags: flags | SQLITE_OPEN_URI, reportedAs: path)
                try configure(readOnly: true)
            }
        }
    }

    private static func open(_ filename: String, flags: Int32, reportedAs path: String) throws(SQLiteError) -> OpaquePointer? {
        var opened: OpaquePointer?
        let result = sqlite3_open_v2(filename, &opened, flags, nil)
        guard result == SQLITE_OK else {
            var message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(result))
            if let opened, sqlite3_system_errno(opened) != 0 {
                message += ": " + String(cString: strerror(sqlite3_system_errno(opened)))
            }
            sqlite3_close_v2(opened)
            throw SQLiteError(code: result, message: message, sql: nil, path: path)
        }
        return opened
    }

    private func configure(readOnly: Bool) throws(SQLiteError) {
        sqlite3_extended_result_codes(handle, 1)
        try check(sqlite3_busy_timeout(handle, Self.busyTimeoutMilliseconds), sql: nil)
        if !readOnly {
            try execute("PRAGMA journal_mode = WAL")
            // NORMAL is durable across application crashes in WAL mode; only
            // a power loss can drop the last transactions, never corrupt.
            try execute("PRAGMA synchronous = NORMAL")
        }
        try execute("PRAGMA foreign_keys = ON")
        // Reads through a memory map instead of a read() per page: a query
        // reads large blobs (the model's encoder part, the hash blocks),
        // which a map hands over without a copy per page. Writes still go
        // through write().
        try execute("PRAGMA mmap_size = \(Self.memoryMapBytes)")
    }

    /// The most of the file SQLite maps for reading.
    static let memoryMapBytes = 1 << 30

    /// Why the system refuses to open `path` for writing ("Read-only file
    /// system", "Permission denied").
    private static func writeDenial(_ path: String) -> String {
        let descriptor = Glibc.open(path, O_RDWR | O_CLOEXEC)
        if descriptor >= 0 {
            Glibc.close(descriptor)
            return "opened read-only by SQLite"
        }
        return String(cString: strerror(errno))
    }

    /// `file:` URI that opens `path` as immutable: no locks, no WAL files.
    static func immutableURI(_ path: String) -> String {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/".utf8)
        var encoded = "file:"
        for byte in path.utf8 {
            encoded += unreserved.contains(byte) ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
        }
        return encoded + "?immutable=1"
    }

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
            var message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(result))
            // For I/O failures the system's reason (EIO, ENOSPC, EACCES) is
            // what a person can act on; SQLite's own text is generic.
            let primary = result & 0xFF
            if primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN, let handle, sqlite3_system_errno(handle) != 0 {
                message += ": " + String(cString: strerror(sqlite3_system_errno(handle)))
            }
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

    /// Runs `body` in one read transaction: in WAL mode every read in it
    /// sees the database as of its first read, while writers commit on.
    func readTransaction<Result>(_ body: () throws -> Result) throws -> Result {
        try execute("BEGIN DEFERRED")
        defer { try? execute("COMMIT") }  // nothing written: commit and rollback both just end it
        return try body()
    }

    /// Whether SQLite will refuse writes on this connection.
    var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }

    /// The row id of the last successful INSERT on this connection.
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by every INSERT, UPDATE and DELETE since the connection opened.
    var totalChanges: Int { Int(sqlite3_total_changes(handle)) }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }
}
