import Foundation
import Testing
@testable import ImgSearch

@Suite struct SQLiteConnectionTests {
    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-test-\(UUID().uuidString).sqlite").path
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    @Test func bindsAndReadsEveryKindOfValue() throws {
        let path = Self.temporaryDatabase()
        defer { Self.remove(path) }
        let connection = try SQLiteConnection(path: path)
        try connection.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, e BLOB, n INTEGER)")
        try connection.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)")
            .bind(.integer(Int64.min), .real(0.25), .text("it's \"quoted\"; DROP TABLE t"), .blob([0, 255, 7]), .blob([]), .null)
            .run()
        let select = try connection.prepare("SELECT i, r, s, b, e, n, typeof(e) FROM t")
        #expect(try select.step())
        #expect(select.integer(0) == Int64.min)
        #expect(select.real(1) == 0.25)
        #expect(select.text(2) == "it's \"quoted\"; DROP TABLE t")
        #expect(select.blob(3) == [0, 255, 7])
        #expect(select.blob(4) == [])
        #expect(select.text(6) == "blob")
        #expect(select.isNull(5))
        #expect(try !select.step())
    }

    @Test func errorsNameTheDatabaseTheCodeAndTheStatement() throws {
        let path = Self.temporaryDatabase()
        defer { Self.remove(path) }
        let connection = try SQLiteConnection(path: path)
        try connection.execute("CREATE TABLE t (x INTEGER NOT NULL)")
        do {
            try connection.prepare("INSERT INTO t VALUES (?)").bind(.null).run()
            Issue.record("NULL into NOT NULL was accepted")
        } catch {
            #expect(error.code == 1299)  // SQLITE_CONSTRAINT_NOTNULL
            #expect(error.description == "\(path): SQLite error 1299 (NOT NULL constraint failed: t.x) - while executing \"INSERT INTO t VALUES (?)\"")
        }
    }

    @Test func aTransactionThatThrowsLeavesNothingBehind() throws {
        struct Stop: Error {}
        let path = Self.temporaryDatabase()
        defer { Self.remove(path) }
        let connection = try SQLiteConnection(path: path)
        try connection.execute("CREATE TABLE t (x INTEGER)")
        #expect(throws: Stop.self) {
            try connection.transaction {
                try connection.execute("INSERT INTO t VALUES (1)")
                throw Stop()
            }
        }
        try connection.transaction { try connection.execute("INSERT INTO t VALUES (2)") }
        let count = try connection.prepare("SELECT count(*), sum(x) FROM t")
        #expect(try count.step())
        #expect(count.integer(0) == 1 && count.integer(1) == 2)
    }

    @Test func opensInWALModeWithForeignKeys() throws {
        let path = Self.temporaryDatabase()
        defer { Self.remove(path) }
        let connection = try SQLiteConnection(path: path)
        let mode = try connection.prepare("PRAGMA journal_mode")
        #expect(try mode.step())
        #expect(mode.text(0) == "wal")
        let keys = try connection.prepare("PRAGMA foreign_keys")
        #expect(try keys.step())
        #expect(keys.integer(0) == 1)
    }

    @Test func aFileThatIsNotADatabaseIsAClearError() throws {
        let path = Self.temporaryDatabase()
        defer { Self.remove(path) }
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
        do {
            let connection = try SQLiteConnection(path: path)
            _ = try SchemaMigrator(steps: ["CREATE TABLE t (x)"]).currentVersion(of: connection)
            Issue.record("garbage opened as a database")
        } catch {
            #expect(error.code == 26)  // SQLITE_NOTADB
            #expect(error.description.hasPrefix("\(path): SQLite error 26 (file is not a database)"))
        }
    }
}

@Suite struct SchemaMigratorTests {
    let migrator = SchemaMigrator(steps: [
        "CREATE TABLE a (x INTEGER)",
        "ALTER TABLE a ADD COLUMN y TEXT",
    ])

    @Test func migratesStepByStepAndOnlyOnce() throws {
        let path = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(path) }
        let connection = try SQLiteConnection(path: path)
        #expect(try migrator.currentVersion(of: connection) == 0)
        try migrator.migrate(connection)
        #expect(try migrator.currentVersion(of: connection) == 2)
        try migrator.migrate(connection)  // a second run changes nothing and does not fail
        try connection.prepare("INSERT INTO a (x, y) VALUES (?, ?)").bind(.integer(1), .text("z")).run()
    }

    @Test func aDatabaseFromANewerImgsearchIsRefusedNamingBothVersions() throws {
        let path = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(path) }
        let connection = try SQLiteConnection(path: path)
        try connection.execute("PRAGMA user_version = 7")
        do {
            try migrator.migrate(connection)
            Issue.record("a newer schema was accepted")
        } catch let error as IndexVersionError {
            #expect(error.found == 7 && error.supported == 2)
            #expect(error.description.contains("schema version 7"))
            #expect(error.description.contains("versions up to 2"))
        }
    }

    @Test func aFailingStepLeavesThePreviousVersion() throws {
        let path = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(path) }
        let connection = try SQLiteConnection(path: path)
        let broken = SchemaMigrator(steps: ["CREATE TABLE a (x INTEGER)", "ALTER TABLE missing ADD COLUMN y"])
        #expect(throws: SQLiteError.self) { try broken.migrate(connection) }
        #expect(try broken.currentVersion(of: connection) == 1)
    }
}
