import Foundation
import Testing
@testable import ImgSearch

@Suite(.enabled(if: SharedData.isAvailable, SharedData.skipMessage))
struct ImageIndexTests {
    static func open(_ database: String) throws -> ImageIndex {
        let index = try ImageIndex(path: database) { _ in SliceMeanEncoder() }
        try index.installModelIfNone(StoredModel(name: "slices", createdAt: "", trainedOn: "", settings: "{}", metrics: "{}", file: []))
        return index
    }

    @Test func everyIndexedImageFindsItselfFirst() throws {
        let folder = try IndexerTests.photoFolder(count: 30)
        let database = SQLiteConnectionTests.temporaryDatabase()
        defer {
            try? FileManager.default.removeItem(at: folder)
            SQLiteConnectionTests.remove(database)
        }
        let index = try Self.open(database)
        let summary = try index.index(folders: [folder.path])
        #expect(summary.added == 30)

        let files = FolderWalker.files(under: [folder.path]) { _ in }
        for file in files {
            let result = try index.query(imageAt: file.path, k: 5)
            #expect(result.matches.count == 5)
            #expect(result.matches.first?.hamming == 0)
            #expect(result.matches.first?.distance == 0)
            // Exact duplicates would tie at distance 0; CIFAR has none here.
            #expect(result.matches.first?.path == file.path)
            let ordered = zip(result.matches, result.matches.dropFirst()).allSatisfy { a, b in
                (a.hamming, a.distance) <= (b.hamming, b.distance)
            }
            #expect(ordered)
        }
    }

    @Test func anUnindexedCopyIsEncodedAndFindsItsOriginal() throws {
        let folder = try IndexerTests.photoFolder(count: 10)
        let database = SQLiteConnectionTests.temporaryDatabase()
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-copy-\(UUID().uuidString).jpg")
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: copy)
            SQLiteConnectionTests.remove(database)
        }
        let index = try Self.open(database)
        _ = try index.index(folders: [folder.path])
        let original = folder.appendingPathComponent("sub/1.jpg")
        try FileManager.default.copyItem(at: original, to: copy)
        let result = try index.query(imageAt: copy.path, k: 3)
        #expect(result.matches.first?.path == original.resolvingSymlinksInPath().path)
        #expect(result.matches.first?.hamming == 0)

        let withinRadius = try index.query(imageAt: copy.path, k: 10, radius: 0)
        #expect(withinRadius.matches.allSatisfy { $0.hamming == 0 })

        #expect(try index.remove(paths: [original.path]) == 1)
        #expect(try index.count() == 9)
        let after = try index.query(imageAt: copy.path, k: 3)
        #expect(!after.matches.contains { $0.path == original.resolvingSymlinksInPath().path })
    }

    @Test func anIndexWithoutAModelSaysSo() throws {
        let database = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(database) }
        let index = try ImageIndex(path: database) { _ in SliceMeanEncoder() }
        #expect(throws: ImageIndexError.self) { try index.index(folders: ["/nonexistent"]) }
    }
}
