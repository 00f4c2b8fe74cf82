import Foundation
import Testing
@testable import ImgSearch

/// The index when its storage misbehaves: locked by a writer, full,
/// read-only, from a newer imgsearch. The slow and root-only variants
/// (SIGKILL, a real full tmpfs, a read-only mount) are in scripts/stress.sh.
@Suite struct StorageFaultTests {
    /// A new index of `count` synthetic pictures with the slice-mean encoder.
    static func indexedFolder(count: Int) throws -> (folder: URL, database: String, index: ImageIndex) {
        let folder = try IndexerTests.photoFolder(count: count)
        let database = SQLiteConnectionTests.temporaryDatabase()
        let index = try ImageIndexTests.open(database)
        _ = try index.index(folders: [folder.path])
        return (folder, database, index)
    }

    static func pathsAndHashes(_ store: SQLiteIndexStore) throws -> [String: UInt64] {
        let select = try store.connection.prepare("SELECT path, hash FROM images")
        var rows: [String: UInt64] = [:]
        while try select.step() { rows[select.text(0)] = UInt64(bitPattern: select.integer(1)) }
        return rows
    }

    static func integrity(_ connection: SQLiteConnection) throws -> String {
        let check = try connection.prepare("PRAGMA integrity_check")
        return try check.step() ? check.text(0) : ""
    }

    @Test func openingAnUpToDateIndexDoesNotWaitForAWriter() throws {
        let database = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(database) }
        _ = try SQLiteIndexStore(path: database)
        let writer = try SQLiteConnection(path: database)
        try writer.execute("BEGIN IMMEDIATE")
        defer { try? writer.execute("ROLLBACK") }
        // Before the fix the migrator took the write lock to read the
        // version, so this waited out the busy timeout and failed.
        let store = try SQLiteIndexStore(path: database)
        #expect(try store.count() == 0)
        let reader = try SQLiteIndexStore(path: database, readOnly: true)
        #expect(try reader.count() == 0)
    }

    @Test func aFullDiskStopsIndexingWithAClearErrorAndLosesNothing() throws {
        let (folder, database, index) = try Self.indexedFolder(count: 10)
        let more = try IndexerTests.photoFolder(count: 60)
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: more)
            SQLiteConnectionTests.remove(database)
        }
        let before = try Self.pathsAndHashes(try index.sqliteWriter)
        // SQLite's max_page_count stands in for a full disk: no page beyond
        // those the database has now.
        let pages = try index.sqliteWriter.connection.prepare("PRAGMA page_count")
        #expect(try pages.step())
        try index.sqliteWriter.connection.execute("PRAGMA max_page_count = \(pages.integer(0))")
        do {
            _ = try index.index(folders: [more.path])
            Issue.record("indexing into a full database succeeded")
        } catch {
            let failure = try #require(error as? SQLiteError)
            #expect(failure.code & 0xFF == 13)  // SQLITE_FULL
            #expect(failure.description.hasPrefix("\(database): SQLite error 13 (database or disk is full)"))
            #expect(failure.description.contains("HINT: free some disk space"))
        }
        #expect(try Self.integrity(try index.sqliteWriter.connection) == "ok")
        #expect(try Self.pathsAndHashes(try index.sqliteWriter) == before)
        #expect(try index.query(imageAt: folder.appendingPathComponent("0.jpg").path, options: QueryOptions(k: 1)).matches.count == 1)

        // Space again: the next run completes, and the packed blocks agree.
        try index.sqliteWriter.connection.execute("PRAGMA max_page_count = 1073741823")
        #expect(try index.index(folders: [more.path]).added == 60)
        #expect(try index.count() == 70)
        #expect(try index.sqliteWriter.loadHashes().ids == IndexStoreTests.hashesFromRows(try index.sqliteWriter).ids)
    }

    @Test func aReadOnlyIndexAnswersQueriesAndRefusesWrites() throws {
        let (folder, database, _) = try Self.indexedFolder(count: 8)
        defer {
            try? FileManager.default.removeItem(at: folder)
            SQLiteConnectionTests.remove(database)
        }
        let reader = try ImageIndex(path: database, readOnly: true) { _ in SliceMeanEncoder() }
        let image = folder.appendingPathComponent("0.jpg").path
        #expect(try reader.query(imageAt: image, options: QueryOptions(k: 3)).matches.count == 3)
        let attempts: [() throws -> Void] = [{ _ = try reader.index(folders: [folder.path]) }, { _ = try reader.remove(paths: [image]) }]
        for attempt in attempts {
            do {
                try attempt()
                Issue.record("a read-only index accepted a write")
            } catch {
                let failure = try #require(error as? SQLiteError)
                #expect(failure.code == 8)  // SQLITE_READONLY
                #expect(failure.description.contains("read-only"))
                #expect(failure.description.contains("HINT: queries still work"))
            }
        }
        #expect(try reader.count() == 8)
    }

    @Test func aDatabaseFromANewerImgsearchIsRefusedForReadingAndWriting() throws {
        let database = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(database) }
        try SQLiteConnection(path: database).execute("PRAGMA user_version = 42")
        for readOnly in [false, true] {
            do {
                _ = try ImageIndex(path: database, readOnly: readOnly) { _ in SliceMeanEncoder() }
                Issue.record("a newer schema was opened (readOnly: \(readOnly))")
            } catch {
                #expect("\(error)".contains("schema version 42"))
                #expect("\(error)".contains("versions up to \(IndexSchema.migrator.latestVersion)"))
            }
        }
    }

    @Test func aFullDiskSeenAsAnIOErrorGetsTheFullDiskHint() {
        // What SQLite says when the -shm cannot grow on a full file system.
        let error = SQLiteError(code: 4874, message: "disk I/O error: No space left on device", sql: nil, path: "i.sqlite")
        #expect(error.hint?.hasPrefix("free some disk space") == true)
        #expect(SQLiteError(code: 10, message: "disk I/O error: Input/output error", sql: nil, path: "i.sqlite").hint?.hasPrefix("the storage") == true)
    }

    @Test func theImmutableURIEscapesEverythingButPlainCharacters() {
        #expect(SQLiteConnection.immutableURI("/a b/c?d#e%f.sqlite") == "file:/a%20b/c%3Fd%23e%25f.sqlite?immutable=1")
    }
}
