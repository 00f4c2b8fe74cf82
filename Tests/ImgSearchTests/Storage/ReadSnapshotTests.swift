import Testing
@testable import ImgSearch

/// `readingOneSnapshot`: what `info` and `dupes` read in one go sees one
/// committed state, while a writer on another connection commits meanwhile.
@Suite struct ReadSnapshotTests {
    static func record(_ number: Int, modelID: Int64) -> ImageRecord {
        ImageRecord(
            id: 0, path: "/photos/\(number).jpg", size: 1, modificationTime: 1, contentHash: UInt64(number),
            width: 32, height: 32, hash: UInt32(number), code: [Float](repeating: 0.5, count: 30), modelID: modelID)
    }

    @Test func readsInsideTheSnapshotDoNotSeeACommitMadeMeanwhile() throws {
        let path = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(path) }
        let writer = try SQLiteIndexStore(path: path)
        let modelID = try writer.addModel(IndexStoreTests.model())
        _ = try writer.write { try $0.insert(Self.record(1, modelID: modelID)) }
        let reader = try SQLiteIndexStore(path: path, readOnly: true)
        let (before, after, hashes) = try reader.readingOneSnapshot { () throws -> (Int, Int, Int) in
            let before = try reader.count()
            _ = try writer.write { try $0.insert(Self.record(2, modelID: modelID)) }
            return (before, try reader.count(), try reader.loadHashes().hashes.count)
        }
        #expect(before == 1 && after == 1 && hashes == 1)
        // Once it ends, the commit shows.
        #expect(try reader.count() == 2)
        #expect(try reader.loadHashes().hashes.count == 2)
    }

    @Test func aFailingBodyEndsTheSnapshotAndLeavesTheConnectionUsable() throws {
        let path = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(path) }
        let writer = try SQLiteIndexStore(path: path)
        let modelID = try writer.addModel(IndexStoreTests.model())
        struct Stop: Error {}
        #expect(throws: Stop.self) { try writer.readingOneSnapshot { _ = try writer.count(); throw Stop() } }
        // A write transaction could not begin inside a read one that was left open.
        _ = try writer.write { try $0.insert(Self.record(3, modelID: modelID)) }
        #expect(try writer.count() == 1)
    }
}
