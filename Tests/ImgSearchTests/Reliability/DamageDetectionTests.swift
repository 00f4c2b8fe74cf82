import Foundation
import Testing
@testable import ImgSearch
@testable import ImgSearchCore

/// Damage that SQLite's own checks cannot see (issue 19): bytes changed
/// inside a hash block, a row's code or a model's file pass
/// `PRAGMA integrity_check`, so the stored checksums must catch them, every
/// reader must refuse to answer from them, writers must refuse to build on
/// them, and `repair` must mend what can be mended.
@Suite struct DamageDetectionTests {
    /// A model file of 200 KB of seeded bytes: the slice-mean encoder
    /// ignores it, but it spans several checksum chunks and many pages.
    static let modelBytes: [UInt8] = {
        var generator = SplitMix64(seed: 19)
        return (0..<200_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    }()

    /// An index of `count` synthetic pictures, closed (its WAL folded into
    /// the main file, so the file's bytes are all there is).
    static func closedIndex(count: Int) throws -> (folder: URL, database: String) {
        let folder = try IndexerTests.photoFolder(count: count)
        let database = SQLiteConnectionTests.temporaryDatabase()
        do {
            let index = try open(database)
            _ = try index.index(folders: [folder.path])
        }
        return (folder, database)
    }

    static func open(_ database: String) throws -> ImageIndex {
        let index = try ImageIndex(path: database) { _ in SliceMeanEncoder() }
        try index.installModelIfNone(StoredModel(name: "slices", createdAt: "", trainedOn: "", settings: "{}", metrics: "{}", file: modelBytes))
        return index
    }

    /// Overwrites `length` bytes in the middle of the stored value that
    /// `sql` selects, found by its bytes in the closed database file. Only
    /// the value's payload changes, never a page header, so SQLite's
    /// integrity check still passes: exactly the damage it cannot see.
    static func damage(_ database: String, valueOf sql: String, length: Int = 8) throws {
        let value: [UInt8] = try {
            let connection = try SQLiteConnection(path: database, readOnly: true)
            let select = try connection.prepare(sql)
            #expect(try select.step())
            return select.blob(0)
        }()
        var file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: database)))
        let middle = value.count / 2
        let probe = Array(value[middle..<min(value.count, middle + 24)])
        let at = try #require(findBytes(probe, in: file))
        for offset in 0..<length { file[at + offset] ^= 0x5A }
        try Data(file).write(to: URL(fileURLWithPath: database))
    }

    static func findBytes(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<start + needle.count]) == needle { return start }
        }
        return nil
    }

    static func integrityCheck(_ database: String) throws -> String {
        let connection = try SQLiteConnection(path: database, readOnly: true)
        let select = try connection.prepare("PRAGMA integrity_check")
        #expect(try select.step())
        return select.text(0)
    }

    @Test func aSoundIndexChecksClean() throws {
        let (folder, database) = try Self.closedIndex(count: 12)
        defer { try? FileManager.default.removeItem(at: folder); SQLiteConnectionTests.remove(database) }
        let report = try Self.open(database).check(full: true)
        #expect(report.isSound, "\(report.problems())")
        #expect(report.images == 12 && report.hashBlocks == 1 && report.models == 1)
    }

    @Test func aDamagedHashBlockIsNeverAnsweredFromAndIsRebuilt() throws {
        let (folder, database) = try Self.closedIndex(count: 12)
        defer { try? FileManager.default.removeItem(at: folder); SQLiteConnectionTests.remove(database) }
        try Self.damage(database, valueOf: "SELECT hashes FROM hash_blocks")
        #expect(try Self.integrityCheck(database) == "ok")

        let index = try Self.open(database)
        let query = folder.appendingPathComponent("0.jpg").path
        #expect(throws: IndexDamageError.self) { try index.query(imageAt: query) }
        #expect(throws: IndexDamageError.self) { try index.duplicates() }
        // A writer refuses: an index run that found every file unchanged
        // used to report success over the damaged block.
        #expect(throws: IndexDamageError.self) { try index.index(folders: [folder.path]) }
        #expect(throws: IndexDamageError.self) { try index.remove(paths: [query]) }

        let report = try index.check()
        #expect(report.damagedBlocks == [0])
        #expect(!report.isSound && !report.isStructureDamaged)
        let summary = try index.repair()
        #expect(summary.blocksRebuilt == 1 && summary.rowsRemoved.isEmpty && summary.unrepairable.isEmpty)
        #expect(try index.check().isSound)
        let first = try #require(try index.query(imageAt: query).matches.first)
        #expect(first.path == query && first.hamming == 0)
    }

    @Test func aDamagedRowIsRemovedAndIndexedAgain() throws {
        let (folder, database) = try Self.closedIndex(count: 12)
        defer { try? FileManager.default.removeItem(at: folder); SQLiteConnectionTests.remove(database) }
        let damagedPath = try {
            let connection = try SQLiteConnection(path: database, readOnly: true)
            let select = try connection.prepare("SELECT path FROM images WHERE id = 5")
            #expect(try select.step())
            return select.text(0)
        }()
        try Self.damage(database, valueOf: "SELECT code FROM images WHERE id = 5")
        #expect(try Self.integrityCheck(database) == "ok")

        let index = try Self.open(database)
        #expect(throws: IndexDamageError.self) { try index.query(imageAt: damagedPath) }
        let report = try index.check()
        #expect(report.damagedRows.map(\.path) == [damagedPath])
        let summary = try index.repair()
        #expect(summary.rowsRemoved == [damagedPath] && summary.reindexed == [damagedPath])
        #expect(try index.check().isSound)
        #expect(try index.count() == 12)
        let first = try #require(try index.query(imageAt: damagedPath).matches.first)
        #expect(first.path == damagedPath && first.hamming == 0)
    }

    @Test func aDamagedHashAloneIsMadeAgainFromItsCode() throws {
        let (folder, database) = try Self.closedIndex(count: 12)
        defer { try? FileManager.default.removeItem(at: folder); SQLiteConnectionTests.remove(database) }
        // The hash column is an integer in the row's record, not a blob to
        // find: change it through SQL, leaving the checksum as it was.
        do {
            let connection = try SQLiteConnection(path: database)
            try connection.execute("UPDATE images SET hash = (hash | 1) - (hash & 1) WHERE id = 3")
        }
        let index = try Self.open(database)
        let report = try index.check()
        #expect(report.damagedRows.map(\.id) == [3])
        #expect(report.staleBlocks == [0], "the block still holds the old hash")
        let summary = try index.repair()
        #expect(summary.hashesRemade == 1 && summary.rowsRemoved.isEmpty)
        #expect(try index.check().isSound)
    }

    @Test func aDamagedModelStopsReadersAndWritersAndIsNotRepairedSilently() throws {
        let (folder, database) = try Self.closedIndex(count: 12)
        defer { try? FileManager.default.removeItem(at: folder); SQLiteConnectionTests.remove(database) }
        try Self.damage(database, valueOf: "SELECT file FROM models", length: 64)
        #expect(try Self.integrityCheck(database) == "ok")

        let index = try Self.open(database)
        #expect(throws: IndexDamageError.self) { try index.index(folders: [folder.path]) }
        let report = try index.check()
        #expect(report.damagedModels == [1])
        let summary = try index.repair()
        #expect(summary.unrepairable.count == 1)
        #expect(summary.unrepairable[0].contains("model 1 is damaged and is the active model"))
    }

    @Test func aBrokenFileStructureIsReportedAndLeftAlone() throws {
        let (folder, database) = try Self.closedIndex(count: 12)
        defer { try? FileManager.default.removeItem(at: folder); SQLiteConnectionTests.remove(database) }
        // 8 KB over the model's overflow pages: their page pointers break.
        do {
            var file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: database)))
            let connection = try SQLiteConnection(path: database, readOnly: true)
            let select = try connection.prepare("SELECT file FROM models")
            #expect(try select.step())
            let model = select.blob(0)
            let at = try #require(Self.findBytes(Array(model[100_000..<100_024]), in: file))
            for offset in 0..<8192 { file[at + offset] = UInt8(truncatingIfNeeded: offset &* 37) }
            try Data(file).write(to: URL(fileURLWithPath: database))
        }
        #expect(try Self.integrityCheck(database) != "ok")
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let index = try ImageIndex(path: database) { _ in SliceMeanEncoder() }
        let report = try index.check()
        #expect(report.isStructureDamaged && !report.isSound)
        let summary = try index.repair()
        #expect(summary.unrepairable.count == 1 && summary.unrepairable[0].contains("structure is damaged"))
        #expect(summary.blocksRebuilt == 0 && summary.rowsRemoved.isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before, "repair wrote into a broken file")
    }

    @Test func aVersion3IndexGetsItsChecksumsWhenMigrated() throws {
        let path = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(path) }
        do {
            let connection = try SQLiteConnection(path: path)
            try SchemaMigrator(steps: Array(IndexSchema.migrator.steps.prefix(3))).migrate(connection)
            try connection.execute("""
                INSERT INTO models (id, name, created_at, trained_on, settings, metrics, file) VALUES (1, 'm', '', '', '{}', '{}', x'0102');
                INSERT INTO images (id, path, size, mtime_ns, content_hash, width, height, hash, code, model_id, colour)
                    VALUES (1, '/p/1.jpg', 10, 20, 30, 32, 32, 5, x'0000803f', 1, NULL),
                           (4097, '/p/2.jpg', 10, 20, 31, 32, 32, 9, x'00000040', 1, x'0100');
                """)
            try SQLiteIndexStore.rebuildBlocks([0, 1], on: connection, withChecksums: false)
        }
        // Read-only, the old index is read unchecked.
        let reader = try SQLiteIndexStore(path: path, readOnly: true)
        #expect(try reader.check(full: false).rowsWithoutChecksum == 2)
        // Opened for writing, every row, block and model gets its checksum.
        let store = try SQLiteIndexStore(path: path)
        let report = try store.check(full: false)
        #expect(report.isSound && report.rowsWithoutChecksum == 0 && report.hashBlocks == 2, "\(report.problems())")
        #expect(try store.loadHashes().hashes == [5, 9])
        #expect(try store.model(id: 1)?.file == [1, 2])
    }

    @Test func theChecksumSeesEveryByte() {
        // Each single-byte change of values from 0 to 100 bytes long (the
        // short tail path and the four-lane body) changes the checksum.
        var generator = SplitMix64(seed: 7)
        for length in [0, 1, 7, 31, 32, 33, 64, 100] {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let original = DamageChecksum.of(bytes)
            for position in 0..<length {
                for flip: UInt8 in [1, 0x80, 0xFF] {
                    var changed = bytes
                    changed[position] ^= flip
                    #expect(DamageChecksum.of(changed) != original, "length \(length), byte \(position)")
                }
            }
            #expect(DamageChecksum.of(bytes + [0]) != original, "a zero byte appended")
        }
    }
}
