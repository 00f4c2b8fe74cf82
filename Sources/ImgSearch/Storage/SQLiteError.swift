/// A failed SQLite call, described with the database, SQLite's own code and
/// message, and the statement that was running.
///
/// Example: `index/imgsearch.sqlite: SQLite error 5 (database is locked) -
/// while executing "BEGIN IMMEDIATE"`.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// SQLite's result code (extended code where SQLite gives one).
    public let code: Int32
    /// SQLite's message for the failure.
    public let message: String
    /// The statement that failed, if any.
    public let sql: String?
    /// The database file.
    public let path: String

    public init(code: Int32, message: String, sql: String?, path: String) {
        self.code = code
        self.message = message
        self.sql = sql
        self.path = path
    }

    /// Whether another connection holds the lock the call needed (after the
    /// busy timeout ran out).
    public var isBusy: Bool { code & 0xFF == 5 || code & 0xFF == 6 }  // SQLITE_BUSY, SQLITE_LOCKED

    /// What a person can do about the common failures, or nil.
    public var hint: String? {
        switch code & 0xFF {
        case 5, 6:  // SQLITE_BUSY, SQLITE_LOCKED
            return "another process kept the index locked for too long; run the command again when it has finished"
        case 8:  // SQLITE_READONLY
            return "queries still work; to write, make the file and its folder writable, or use another --db"
        case 10 where message.hasSuffix("No space left on device"):  // SQLITE_IOERR from ENOSPC (growing the -shm, say)
            return Self.fullDiskHint
        case 10:  // SQLITE_IOERR
            return "the storage reported an error; check the disk and the file system"
        case 11, 26:  // SQLITE_CORRUPT, SQLITE_NOTADB
            return "the file is damaged or is not an imgsearch index; restore it from a backup, or delete it and index again"
        case 13:  // SQLITE_FULL
            return Self.fullDiskHint
        case 14:  // SQLITE_CANTOPEN
            return "check that the file's folder exists and is readable (and writable, to index)"
        default:
            return nil
        }
    }

    private static let fullDiskHint =
        "free some disk space and run the command again; what was written before is intact and indexing continues from there"

    public var description: String {
        var text = "\(path): SQLite error \(code) (\(message))"
        if let sql { text += " - while executing \"\(sql)\"" }
        if let hint { text += ". HINT: \(hint)" }
        return text
    }
}

/// The database was written by a newer imgsearch, or is not an imgsearch
/// database at all.
public struct IndexVersionError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let found: Int
    public let supported: Int

    public var description: String {
        "\(path): the index has schema version \(found), but this imgsearch understands versions up to \(supported). "
            + "HINT: use the imgsearch that created it, or a newer one."
    }
}
