import Foundation
import Testing
@testable import ImgSearch

@Suite struct IndexStoreTests {
    static func model() -> StoredModel {
        StoredModel(name: "test", createdAt: "2026-11-26T00:00:00Z", trainedOn: "nothing", settings: "{}", metrics: "{}", file: [1, 2, 3])
    }

    static func record(_ number: Int, model: Int64, random: inout SplitMix64) -> ImageRecord {
        ImageRecord(
            id: 0, path: "/photos/\(number).jpg", size: Int64(number), modificationTime: Int64(number) * 1_000,
            contentHash: random.next(), width: 32, height: 24, hash: random.next() & 0x3FFF_FFFF,
            code: (0..<30).map { _ in Float.random(in: 0...1, using: &random) }, modelID: model,
            colour: storableColour(&random))
    }

    /// A histogram whose shares are whole multiples of 1/65535, which the
    /// store keeps exactly (it stores each share as a UInt16).
    static func storableColour(_ random: inout SplitMix64) -> ColourHistogram {
        ColourHistogram(shares: (0..<128).map { _ in Float(random.next() % 1024) / 65535 })
    }

    /// The hashes as the rows hold them, for comparison with the packed blocks.
    static func hashesFromRows(_ store: SQLiteIndexStore) throws -> (ids: [Int64], hashes: [SemanticHash]) {
        let select = try store.connection.prepare("SELECT id, hash FROM images ORDER BY id")
        var ids: [Int64] = [], hashes: [SemanticHash] = []
        while try select.step() {
            ids.append(select.integer(0))
            hashes.append(SemanticHash(truncatingIfNeeded: select.integer(1)))
        }
        return (ids, hashes)
    }

    @Test func aVersion1IndexIsReadAsItIsAndMigratedTo32BitHashBlocks() throws {
        let path = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(path) }
        // A version 1 index as the previous imgsearch wrote it: 8-byte hashes in the blocks.
        do {
            let connection = try SQLiteConnection(path: path)
            try SchemaMigrator(steps: [.sql(IndexSchema.version1)]).migrate(connection)
            try connection.execute("""
                INSERT INTO models (id, name, created_at, trained_on, settings, metrics, file) VALUES (1, 'm', '', '', '{}', '{}', x'00');
                """)
            var random = SplitMix64(seed: 3)
            var blocks: [Int64: (offsets: [UInt8], hashes: [UInt8])] = [:]
            let insert = try connection.prepare("""
                INSERT INTO images (id, path, size, mtime_ns, content_hash, width, height, hash, code, model_id)
                VALUES (?, ?, 1, 1, 1, 32, 32, ?, x'00', 1)
                """)
            for id in Array(1...3_000) + Array(5_000...6_000) {
                let hash = random.next() & 0x3FFF_FFFF
                try insert.bind(.integer(Int64(id)), .text("/p/\(id).jpg"), .integer(Int64(hash))).run()
                let block = Int64(id) / IndexSchema.blockSize
                appendLittleEndian(UInt16(Int64(id) - block * IndexSchema.blockSize), to: &blocks[block, default: ([], [])].offsets)
                appendLittleEndian(hash, to: &blocks[block, default: ([], [])].hashes)
            }
            let upsert = try connection.prepare("INSERT INTO hash_blocks (block, ids, hashes) VALUES (?, ?, ?)")
            for (block, packed) in blocks { try upsert.bind(.integer(block), .blob(packed.offsets), .blob(packed.hashes)).run() }
        }
        // Read-only, it is read as it is.
        let reader = try SQLiteIndexStore(path: path, readOnly: true)
        var rows = try Self.hashesFromRows(reader)
        var packed = try reader.loadHashes()
        #expect(packed.ids == rows.ids && packed.hashes == rows.hashes && packed.ids.count == 4_001)
        // Opened for writing, it is migrated (through version 2 and every
        // step after): the same hashes, 4 bytes each.
        let store = try SQLiteIndexStore(path: path)
        #expect(try IndexSchema.migrator.currentVersion(of: store.connection) == IndexSchema.migrator.latestVersion)
        packed = try store.loadHashes()
        rows = try Self.hashesFromRows(store)
        #expect(packed.ids == rows.ids && packed.hashes == rows.hashes)
        let sizes = try store.connection.prepare("SELECT sum(length(hashes)), sum(length(ids)) FROM hash_blocks")
        #expect(try sizes.step() && sizes.integer(0) == 4 * 4_001 && sizes.integer(1) == 2 * 4_001)
    }

    @Test func packedBlocksStayInStepWithTheRowsThroughEveryKindOfChange() throws {
        let path = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(path) }
        let store = try SQLiteIndexStore(path: path)
        let modelID = try store.addModel(Self.model())
        var random = SplitMix64(seed: 7)

        // 10,000 images span three blocks of 4096 ids.
        var ids = try store.write { writer in
            try (0..<10_000).map { try writer.insert(Self.record($0, model: modelID, random: &random)) }
        }
        var packed = try store.loadHashes()
        var rows = try Self.hashesFromRows(store)
        #expect(packed.ids == rows.ids && packed.hashes == rows.hashes)
        #expect(packed.ids.count == 10_000)

        // Delete a random third, re-encode another third, add some more.
        ids.shuffle(using: &random)
        try store.write { writer in
            try writer.delete(ids: Array(ids[0..<3_333]))
            for id in ids[3_333..<6_666] {
                var record = try #require(try store.records(ids: [id]).first)
                record.hash = random.next() & 0x3FFF_FFFF
                try writer.update(record)
            }
            for number in 10_000..<10_500 { try writer.insert(Self.record(number, model: modelID, random: &random)) }
        }
        packed = try store.loadHashes()
        rows = try Self.hashesFromRows(store)
        #expect(packed.ids == rows.ids && packed.hashes == rows.hashes)
        #expect(packed.ids.count == 10_000 - 3_333 + 500)
        #expect(try store.count() == 7_167)
    }

    @Test func aFailedWriteChangesNeitherRowsNorBlocks() throws {
        struct Stop: Error {}
        let path = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(path) }
        let store = try SQLiteIndexStore(path: path)
        let modelID = try store.addModel(Self.model())
        var random = SplitMix64(seed: 8)
        try store.write { writer in
            for number in 0..<100 { try writer.insert(Self.record(number, model: modelID, random: &random)) }
        }
        let before = try store.loadHashes()
        #expect(throws: Stop.self) {
            try store.write { writer in
                try writer.delete(ids: Array(before.ids.prefix(50)))
                throw Stop()
            }
        }
        let after = try store.loadHashes()
        #expect(after.ids == before.ids && after.hashes == before.hashes)
    }

    @Test func recordsRoundTripExactly() throws {
        let path = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(path) }
        let store = try SQLiteIndexStore(path: path)
        let modelID = try store.addModel(Self.model())
        var random = SplitMix64(seed: 9)
        var record = Self.record(1, model: modelID, random: &random)
        record.contentHash = UInt64.max  // the sign bit survives the INTEGER column
        record.id = try store.write { try $0.insert(record) }
        #expect(try store.record(path: record.path) == record)
        #expect(try store.records(ids: [record.id, 999]) == [record])
        #expect(try store.record(path: "/elsewhere.jpg") == nil)

        try store.write { try $0.move(id: record.id, to: "/moved.jpg", size: 1, modificationTime: 2) }
        #expect(try store.record(path: "/moved.jpg")?.code == record.code)
        #expect(try store.fileStates()["/moved.jpg"] == StoredFileState(id: record.id, size: 1, modificationTime: 2, contentHash: UInt64.max))
    }

    @Test func aVersion2IndexGainsAnEmptyColourColumnAndItsFilesAreIndexedAgain() throws {
        let path = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(path) }
        // A version 2 index as the previous imgsearch wrote it: no colour column.
        do {
            let connection = try SQLiteConnection(path: path)
            try SchemaMigrator(steps: [.sql(IndexSchema.version1), .code(IndexSchema.version2)]).migrate(connection)
            try connection.execute("""
                INSERT INTO models (id, name, created_at, trained_on, settings, metrics, file) VALUES (1, 'm', '', '', '{}', '{}', x'00');
                INSERT INTO images (id, path, size, mtime_ns, content_hash, width, height, hash, code, model_id)
                    VALUES (1, '/p/1.jpg', 10, 20, 30, 32, 32, 5, x'0000803f', 1);
                """)
        }
        // Read-only, it is read as it is: no colour column, no histograms.
        let reader = try SQLiteIndexStore(path: path, readOnly: true)
        #expect(try IndexSchema.migrator.currentVersion(of: reader.connection) == 2)
        #expect(try reader.records(ids: [1]).first?.colour == nil && reader.record(path: "/p/1.jpg")?.code == [1])
        #expect(try reader.fileStates()["/p/1.jpg"]?.hasColour == false)
        // Opened for writing, it is migrated.
        let store = try SQLiteIndexStore(path: path)
        #expect(try IndexSchema.migrator.currentVersion(of: store.connection) == IndexSchema.migrator.latestVersion)
        let record = try #require(try store.record(path: "/p/1.jpg"))
        #expect(record.code == [1] && record.colour == nil)
        // Unchanged on disk, it is still a candidate for the next run (decoded again, for its colour).
        #expect(try store.fileStates()["/p/1.jpg"]?.hasColour == false)
        let plan = IndexPlan(
            found: [FoundFile(path: "/p/1.jpg", size: 10, modificationTime: 20)], stored: try store.fileStates(), roots: ["/p"])
        #expect(plan.unchanged.isEmpty && plan.candidates.map(\.file.path) == ["/p/1.jpg"])
    }

    @Test func modelsAreStoredAndOneIsActive() throws {
        let path = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(path) }
        let store = try SQLiteIndexStore(path: path)
        #expect(try store.activeModelID() == nil)
        let first = try store.addModel(Self.model())
        var second = Self.model()
        second.name = "second"
        let secondID = try store.addModel(second)
        try store.write { try $0.setActiveModel(first) }
        try store.write { try $0.setActiveModel(secondID) }
        #expect(try store.activeModelID() == secondID)
        #expect(try store.model(id: secondID) == second)
    }

    @Test func aQueryReadsOnlyTheEncoderPartOfAModel() throws {
        let path = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(path) }
        let store = try SQLiteIndexStore(path: path)
        var model = ModelFileTests.model()
        model.roundWeightsToHalfPrecision()
        var stored = Self.model()
        stored.file = try ModelFile.encode(model)
        let id = try store.addModel(stored)
        let encoderPart = try #require(try store.model(id: id, headerLength: ModelFile.headerSize,
                                                       leadingBytes: ModelFile.encoderByteCount(header:)))
        let expected = try #require(ModelFile.encoderByteCount(header: Array(stored.file.prefix(ModelFile.headerSize))))
        #expect(encoderPart.file == Array(stored.file.prefix(expected)) && expected < stored.file.count)
        #expect(encoderPart.name == stored.name && encoderPart.settings == stored.settings)
        #expect(try ModelFile.decodeEncoder(encoderPart.file, path: "m").layers == Array(model.layers.prefix(model.depth)))
        // A file whose header does not say (version 1, or a test's bytes) is read whole.
        let other = try store.addModel(Self.model())
        #expect(try store.model(id: other, headerLength: ModelFile.headerSize, leadingBytes: ModelFile.encoderByteCount(header:))?.file == [1, 2, 3])
        #expect(try store.model(id: 999, headerLength: ModelFile.headerSize, leadingBytes: { _ in nil }) == nil)
    }

    @Test func aReadOnlyStoreReadsAndRefusesToWrite() throws {
        let path = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(path) }
        let modelID = try SQLiteIndexStore(path: path).addModel(Self.model())
        let reader = try SQLiteIndexStore(path: path, readOnly: true)
        #expect(try reader.model(id: modelID) != nil)
        #expect(throws: SQLiteError.self) { try reader.addModel(Self.model()) }
    }

    @Test func aNewerSchemaIsRefused() throws {
        let path = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(path) }
        try SQLiteConnection(path: path).execute("PRAGMA user_version = 99")
        #expect(throws: IndexVersionError.self) { try SQLiteIndexStore(path: path) }
        #expect(throws: IndexVersionError.self) { try SQLiteIndexStore(path: path, readOnly: true) }
    }
}
