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

    public var description: String {
        var text = "\(path): SQLite error \(code) (\(message))"
        if let sql { text += " - while executing \"\(sql)\"" }
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
