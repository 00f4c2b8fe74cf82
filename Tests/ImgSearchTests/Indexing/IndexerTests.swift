import Foundation
import ImgSearchTestFixtures
import Testing
@testable import ImgSearch

/// A stand-in for the trained model: the code is the mean of 30 slices of
/// the thumbnail, the hash its comparison with 0.5. Deterministic and cheap,
/// which is all the indexer's bookkeeping needs.
struct SliceMeanEncoder: SemanticEncoder {
    var thumbnailSide: Int { 32 }

    func encode(_ thumbnails: [Thumbnail]) throws -> [SemanticCode] {
        thumbnails.map { thumbnail in
            let slice = thumbnail.values.count / 30
            let code = (0..<30).map { part in
                thumbnail.values[part * slice..<(part + 1) * slice].reduce(0, +) / Float(slice)
            }
            return SemanticCode(code: code, hash: Self.hash(of: code))
        }
    }

    var codeOutput: CodeOutput { .activations }

    func hash(_ code: [Float]) throws -> SemanticHash { Self.hash(of: code) }

    /// The bits of the units above 0.5.
    static func hash(of code: [Float]) -> SemanticHash {
        code.enumerated().reduce(SemanticHash(0)) { bits, item in item.element > 0.5 ? bits | 1 << SemanticHash(item.offset) : bits }
    }
}

@Suite struct IndexerTests {
    /// A folder with synthetic pictures 0 ..< `count`: the even ones as
    /// `<number>.jpg`, the odd ones as `sub/<number>.jpg`. The bookkeeping
    /// needs distinct pictures, not photographs, so this runs without
    /// ../shared; two folders of the same count hold the same pictures.
    static func photoFolder(count: Int) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-index-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try SyntheticPhotos.write(0..<count, into: folder) { $0 % 2 == 0 ? "\($0).jpg" : "sub/\($0).jpg" }
        return folder
    }

    static func indexer(_ store: SQLiteIndexStore) throws -> Indexer {
        let modelID = try store.write { batch in
            let id = try batch.addModel(StoredModel(name: "slices", createdAt: "", trainedOn: "", settings: "{}", metrics: "{}", file: []))
            try batch.setActiveModel(id)
            return id
        }
        var indexer = Indexer(store: store, encoder: SliceMeanEncoder(), modelID: modelID)
        indexer.maximumChunkFiles = 16  // several chunks even on a small folder
        return indexer
    }

    @Test func reindexingDoesOnlyWhatChanged() throws {
        let folder = try Self.photoFolder(count: 40)
        let database = SQLiteConnectionTests.temporaryDatabase()
        defer {
            try? FileManager.default.removeItem(at: folder)
            SQLiteConnectionTests.remove(database)
        }
        let store = try SQLiteIndexStore(path: database)
        let indexer = try Self.indexer(store)

        var first = try indexer.run(roots: [folder.path])
        first.seconds = 0
        var expected = IndexingSummary()
        expected.added = 40
        expected.formats = ["jpeg": 40]
        #expect(first == expected)
        #expect(try store.count() == 40)

        var again = try indexer.run(roots: [folder.path])
        again.seconds = 0
        expected = IndexingSummary()
        expected.unchanged = 40
        #expect(again == expected)

        // Touch one (same bytes), replace one's bytes with another picture,
        // move one, delete one, add a broken file.
        let manager = FileManager.default
        let path = { (name: String) in folder.appendingPathComponent(name).path }
        let originalCode = try #require(try store.record(path: path("sub/3.jpg"))).code
        try manager.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: path("0.jpg"))
        try manager.removeItem(atPath: path("2.jpg"))
        try manager.copyItem(atPath: path("4.jpg"), toPath: path("2.jpg"))
        try manager.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 120)], ofItemAtPath: path("2.jpg"))
        try manager.moveItem(atPath: path("sub/3.jpg"), toPath: path("renamed.jpg"))
        try manager.removeItem(atPath: path("6.jpg"))
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0]).write(to: URL(fileURLWithPath: path("broken.jpg")))

        var failures: [IndexingFailure] = []
        var changed = try indexer.run(roots: [folder.path], onFailure: { failures.append($0) })
        changed.seconds = 0
        expected = IndexingSummary()
        expected.unchanged = 37  // 36 untouched + the touched one
        expected.updated = 1
        expected.moved = 1
        expected.removed = 1
        expected.failed = 1
        expected.formats = ["jpeg": 1]  // the one re-encoded
        expected.skipped = ["corrupt": 1]
        #expect(changed == expected)
        #expect(failures.count == 1 && failures.first?.path.hasSuffix("/broken.jpg") == true)
        #expect(failures.first?.reason.hasPrefix("corrupt image:") == true)

        #expect(try store.record(path: path("renamed.jpg"))?.code == originalCode)
        #expect(try store.record(path: path("sub/3.jpg")) == nil)
        #expect(try store.record(path: path("6.jpg")) == nil)
        let replaced = try #require(try store.record(path: path("2.jpg")))
        #expect(replaced.code == (try store.record(path: path("4.jpg")))?.code)
        #expect(try store.count() == 39)
        let hashes = try store.loadHashes()
        #expect(hashes.ids.count == 39)
    }

    @Test func indexingASecondFolderKeepsTheFirst() throws {
        let first = try Self.photoFolder(count: 6)
        let second = try Self.photoFolder(count: 4)
        let database = SQLiteConnectionTests.temporaryDatabase()
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
            SQLiteConnectionTests.remove(database)
        }
        let store = try SQLiteIndexStore(path: database)
        let indexer = try Self.indexer(store)
        _ = try indexer.run(roots: [first.path])
        let summary = try indexer.run(roots: [second.path])
        // The second folder holds copies of the first's pictures: they are
        // new files, not moves, because nothing in the first folder vanished.
        #expect(summary.added == 4 && summary.moved == 0 && summary.removed == 0)
        #expect(try store.count() == 10)
    }
}
