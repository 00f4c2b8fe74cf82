/// Brings a database's schema up to date, one numbered step at a time.
///
/// The schema version lives in `PRAGMA user_version`. Step `n` (1-based)
/// moves the schema from version `n - 1` to `n` inside one transaction, so a
/// crash mid-migration leaves the previous version intact. A database whose
/// version is newer than the steps known here was written by a newer
/// imgsearch and is refused with ``IndexVersionError`` rather than misread.
struct SchemaMigrator: Sendable {
    /// One step: SQL, or code for what SQL cannot say (repacking blobs).
    enum Step: ExpressibleByStringLiteral, Sendable {
        case sql(String)
        case code(@Sendable (SQLiteConnection) throws -> Void)

        init(stringLiteral sql: String) { self = .sql(sql) }
    }

    /// The steps in order; `steps[0]` creates version 1.
    let steps: [Step]

    var latestVersion: Int { steps.count }

    /// The schema version recorded in the database (0 for a new file).
    func currentVersion(of connection: SQLiteConnection) throws(SQLiteError) -> Int {
        let statement = try connection.prepare("PRAGMA user_version")
        return try statement.step() ? Int(statement.integer(0)) : 0
    }

    /// Refuses a database from a newer imgsearch; for a read-only caller
    /// that cannot migrate.
    func checkReadable(_ connection: SQLiteConnection) throws {
        let version = try currentVersion(of: connection)
        if version > latestVersion {
            throw IndexVersionError(path: connection.path, found: version, supported: latestVersion)
        }
    }

    /// Applies the missing steps in order.
    func migrate(_ connection: SQLiteConnection) throws {
        try checkReadable(connection)
        // Up to date (the usual case): no write transaction. Taking the
        // write lock just to read the version would make every open wait
        // for a running indexer's transaction.
        if try currentVersion(of: connection) == latestVersion { return }
        while true {
            // Re-read inside the write lock: another process may have
            // migrated between our check and our BEGIN IMMEDIATE.
            let done = try connection.transaction { () throws -> Bool in
                let version = try currentVersion(of: connection)
                if version > latestVersion {
                    throw IndexVersionError(path: connection.path, found: version, supported: latestVersion)
                }
                guard version < latestVersion else { return true }
                switch steps[version] {
                case .sql(let sql): try connection.execute(sql)
                case .code(let step): try step(connection)
                }
                try connection.execute("PRAGMA user_version = \(version + 1)")
                return false
            }
            if done { return }
        }
    }
}
