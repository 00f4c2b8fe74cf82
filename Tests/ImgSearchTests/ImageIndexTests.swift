import Foundation
import Testing
@testable import ImgSearch

@Suite struct ImageIndexTests {
    static func open(_ database: String) throws -> ImageIndex {
        let index = try ImageIndex(path: database) { _ in SliceMeanEncoder() }
        try index.installModelIfNone(StoredModel(name: "slices", createdAt: "", trainedOn: "", settings: "{}", metrics: "{}", file: []))
        return index
    }

    /// A folder of `count` synthetic pictures indexed into a new index, handed to
    /// `body` with the indexing summary; both are removed afterwards.
    static func withIndexedFolder(count: Int, _ body: (ImageIndex, URL, IndexingSummary) throws -> Void) throws {
        let folder = try IndexerTests.photoFolder(count: count)
        let database = SQLiteConnectionTests.temporaryDatabase()
        defer {
            try? FileManager.default.removeItem(at: folder)
            SQLiteConnectionTests.remove(database)
        }
        let index = try open(database)
        try body(index, folder, try index.index(folders: [folder.path]))
    }

    @Test func everyIndexedImageFindsItselfFirst() throws { try Self.withIndexedFolder(count: 30) { index, folder, summary in
        #expect(summary.added == 30)

        let files = FolderWalker.files(under: [folder.path]) { _ in }
        for file in files {
            // Without the colour term, which has its own test below.
            let result = try index.query(imageAt: file.path, options: QueryOptions(k: 5, colourWeight: 0))
            #expect(result.matches.count == 5)
            #expect(result.matches.first?.hamming == 0)
            #expect(result.matches.first?.distance == 0)
            // Exact duplicates would tie at distance 0; the synthetic pictures have none.
            #expect(result.matches.first?.path == file.path)
            #expect(result.matches.first?.variant == .image)
            // By default the mirrored and turned copies are merged in, each
            // counted the penalty further, and the first `rerank` (all 5
            // here) are then ordered by the real distance alone, a
            // variant's scaled: that is the order.
            #expect(QueryOptions().rerank >= 5)
            func scaled(_ match: QueryMatch) -> Float {
                match.variant == .image ? match.distance : match.distance * QueryOptions.variantRealDistanceScale
            }
            #expect(result.matches.allSatisfy { $0.variant != nil })
            let ordered = zip(result.matches, result.matches.dropFirst()).allSatisfy { a, b in scaled(a) <= scaled(b) }
            #expect(ordered)
        }
    } }

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
        let result = try index.query(imageAt: copy.path, options: QueryOptions(k: 3))
        #expect(result.matches.first?.path == original.resolvingSymlinksInPath().path)
        #expect(result.matches.first?.hamming == 0)

        let withinRadius = try index.query(imageAt: copy.path, options: QueryOptions(k: 10, radius: 0))
        #expect(withinRadius.matches.allSatisfy { $0.hamming == 0 })

        #expect(try index.remove(paths: [original.path]) == 1)
        #expect(try index.count() == 9)
        let after = try index.query(imageAt: copy.path, options: QueryOptions(k: 3))
        #expect(!after.matches.contains { $0.path == original.resolvingSymlinksInPath().path })
    }

    @Test func rerankingOrdersTheFirstResultsByRealDistance() throws { try Self.withIndexedFolder(count: 30) { index, folder, _ in
        // An indexed image's real code with a scrambled hash: Hamming order
        // and real-distance order disagree.
        let file = FolderWalker.files(under: [folder.path]) { _ in }[3]
        let stored = try #require(try index.indexedRecord(path: file.path, on: index.sqliteWriter))
        let query = SemanticCode(code: stored.code, hash: stored.hash ^ 0b1011_0110_1001)
        let plain = try index.query(codes: [query], options: QueryOptions(k: 10, rerank: 0))
        #expect(zip(plain, plain.dropFirst()).allSatisfy { ($0.hamming, $0.distance) <= ($1.hamming, $1.distance) })
        // Re-ranking all 30: the 10 nearest by real distance, in that order,
        // the image itself (distance 0) first whatever its Hamming distance.
        let all = try index.query(codes: [query], options: QueryOptions(k: 10, rerank: 30))
        #expect(all.first?.path == stored.path && all.first?.distance == 0)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.distance <= $1.distance })
        let everything = try index.query(codes: [query], options: QueryOptions(k: 30, rerank: 0))
        #expect(all.map(\.distance) == Array(everything.map(\.distance).sorted().prefix(10)))
        #expect(all.map(\.rank) == Array(1...10))
        // Re-ranking 5: the same first five as without, in distance order; the rest unchanged.
        let five = try index.query(codes: [query], options: QueryOptions(k: 10, rerank: 5))
        #expect(Set(five.prefix(5).map(\.path)) == Set(plain.prefix(5).map(\.path)))
        #expect(zip(five.prefix(5), five.prefix(5).dropFirst()).allSatisfy { $0.distance <= $1.distance })
        #expect(five.suffix(5).map(\.path) == plain.suffix(5).map(\.path))
    } }

    @Test func theColourTermOrdersTheReRankedShortlist() throws { try Self.withIndexedFolder(count: 30) { index, folder, _ in
        let files = FolderWalker.files(under: [folder.path]) { _ in }
        for file in files.prefix(5) {
            let options = QueryOptions(k: 30, flip: false, rotations: false, trimBars: false, rerank: 30, colourWeight: 16)
            let matches = try index.query(imageAt: file.path, options: options).matches
            #expect(matches.count == 30 && matches.first?.path == file.path)
            // Every image re-ranked by real distance plus 16 x the L1 distance of the histograms.
            let query = try #require(try index.indexedRecord(path: file.path, on: index.sqliteWriter)?.colour)
            let keys = try matches.map { match -> Float in
                let colour = try #require(try index.indexedRecord(path: match.path, on: index.sqliteWriter)?.colour)
                return match.distance + 16 * query.distance(to: colour)
            }
            #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 <= $1 * 1.000_01 }, "\(keys)")
            // And it changes the order: the real distance alone orders them otherwise.
            let plain = try index.query(imageAt: file.path, options: QueryOptions(
                k: 30, flip: false, rotations: false, trimBars: false, rerank: 30, colourWeight: 0)).matches
            #expect(plain.map(\.path) != matches.map(\.path))
            #expect(Set(plain.map(\.path)) == Set(matches.map(\.path)))
        }
    } }

    @Test func imagesIndexedBeforeColoursWereStoredAreDecodedAgainByTheNextRun() throws {
        let folder = try IndexerTests.photoFolder(count: 12)
        let database = SQLiteConnectionTests.temporaryDatabase()
        defer {
            try? FileManager.default.removeItem(at: folder)
            SQLiteConnectionTests.remove(database)
        }
        let index = try Self.open(database)
        #expect(try index.index(folders: [folder.path]).added == 12)
        // As an index made before version 3 has them after its migration
        // (a row without a checksum is read unchecked; the migration to
        // version 4 gives every row one, over its NULL colour).
        try SQLiteConnection(path: database).execute("UPDATE images SET colour = NULL, checksum = NULL")
        let files = FolderWalker.files(under: [folder.path]) { _ in }
        #expect(try index.indexedRecord(path: files[0].path, on: index.sqliteWriter)?.colour == nil)
        let again = try index.index(folders: [folder.path])
        #expect(again.updated == 12 && again.unchanged == 0 && again.failed == 0)
        for file in files {
            #expect(try index.indexedRecord(path: file.path, on: index.sqliteWriter)?.colour != nil)
        }
        // And then they are unchanged.
        #expect(try index.index(folders: [folder.path]).unchanged == 12)
    }

    @Test func aSidewaysOrUpsideDownCopyIsFoundWithRotations() throws { try Self.withIndexedFolder(count: 12) { index, folder, _ in
        var foundWithout = 0, foundWith = 0, queried = 0
        let files = FolderWalker.files(under: [folder.path]) { _ in }
        for file in files.prefix(4) {
            let picture = try ImageDecoder.decode(contentsOf: file.path).image
            for orientation in [ExifOrientation.left, .down, .right] {
                let turned = picture.applying(orientation)
                queried += 1
                let plain = try index.query(pixels: turned, options: QueryOptions(k: 1, flip: false, rotations: false, trimBars: false))
                if plain.matches.first?.path == file.path, plain.matches.first?.hamming == 0 { foundWithout += 1 }
                let merged = try index.query(pixels: turned, options: QueryOptions(k: 3, flip: false, rotations: true, variantPenalty: 0))
                #expect(merged.matches.count == 3)
                let first = try #require(merged.matches.first)
                #expect(first.path == file.path && first.hamming == 0 && first.distance < 1e-3, "\(file.path) \(orientation)")
                // The turn that undoes the copy's: .left is a quarter anticlockwise, three more undo it.
                let undoing: [ExifOrientation: QueryVariant] = [.left: .turned270, .down: .turned180, .right: .turned90]
                #expect(first.variant == undoing[orientation])
                if first.path == file.path { foundWith += 1 }
                // Each image once, at its nearest variant.
                #expect(Set(merged.matches.map(\.path)).count == merged.matches.count)
                // A penalty orders by the penalized distance but reports the true one.
                let penalized = try index.query(pixels: turned, options: QueryOptions(k: 3, flip: false, rotations: true, variantPenalty: 3))
                let original = try #require(penalized.matches.first { $0.path == file.path })
                #expect(original.hamming == 0)
            }
        }
        #expect(foundWith == queried)
        // The slice-mean test encoder is not rotation-invariant, so the option is what finds them.
        #expect(foundWithout < queried)
    } }

    @Test func anIndexWithoutAModelSaysSo() throws {
        let database = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(database) }
        let index = try ImageIndex(path: database) { _ in SliceMeanEncoder() }
        #expect(throws: ImageIndexError.self) { try index.index(folders: ["/nonexistent"]) }
    }
}

/// Codes that differ from ``SliceMeanEncoder``'s, to tell which model made a stored code.
struct InvertedSliceEncoder: SemanticEncoder {
    var thumbnailSide: Int { 32 }
    var codeOutput: CodeOutput { .activations }
    func hash(_ code: [Float]) throws -> SemanticHash { SliceMeanEncoder.hash(of: code) }

    func encode(_ thumbnails: [Thumbnail]) throws -> [SemanticCode] {
        try SliceMeanEncoder().encode(thumbnails).map { slices in
            SemanticCode(code: slices.code.map { 1 - $0 }, hash: ~slices.hash & (1 << 30 - 1))
        }
    }
}

extension ImageIndexTests {
    @Test func trainingSwitchesEveryImageToTheNewModelEvenThoseChangedMeanwhile() throws {
        let folder = try IndexerTests.photoFolder(count: 1_001)
        let late = try IndexerTests.photoFolder(count: 1)
        let database = SQLiteConnectionTests.temporaryDatabase()
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: late)
            SQLiteConnectionTests.remove(database)
        }
        let index = try ImageIndex(path: database) { stored in
            stored.name == "slices" ? SliceMeanEncoder() as any SemanticEncoder : InvertedSliceEncoder()
        }
        try index.installModelIfNone(StoredModel(name: "slices", createdAt: "", trainedOn: "", settings: "{}", metrics: "{}", file: []))
        #expect(try index.index(folders: [folder.path]).added == 1_001)
        let removedMeanwhile = folder.appendingPathComponent("0.jpg").path

        var settings = ThumbnailModelSettings()
        settings.layerSizes = [3072, 16, 8]
        settings.pretrainingEpochs = 1
        settings.fineTuningEpochs = 1
        var changedDuringTraining = false
        let summary = try index.train(settings: settings, trainingProgress: { _ in
            // Another writer while the model trains: one image added, one removed.
            if !changedDuringTraining {
                changedDuringTraining = true
                _ = try? index.index(folders: [folder.path, late.path])
                _ = try? index.remove(paths: [removedMeanwhile])
            }
            return .proceed
        })
        #expect(summary.trainedOn == 1_001)
        #expect(summary.reencoded == 1_001)  // 1,001 - 1 removed + 1 added
        #expect(summary.removed == 0)

        let store = try index.sqliteWriter
        let active = try #require(try store.activeModelID())
        let rows = try store.records(ids: try store.indexedFiles().map { $0.id })
        #expect(rows.count == 1_001)
        #expect(rows.allSatisfy { $0.modelID == active })
        let models = try store.connection.prepare("SELECT id FROM models")
        #expect(try models.step() && models.integer(0) == active && !models.step())  // the old model is gone
        let added = try #require(rows.first { $0.path.hasPrefix(late.resolvingSymlinksInPath().path) })
        let expected = try InvertedSliceEncoder().encode([ImageDecoder.thumbnail(contentsOf: added.path)])[0]
        #expect(added.code == expected.code && added.hash == expected.hash)
        // Queries now go through the new model.
        let result = try index.query(imageAt: added.path, options: QueryOptions(k: 1))
        #expect(result.matches.first?.path == added.path)
    }
}

/// An encoder that refuses to work: a query that succeeds with it used a stored code.
struct RefusingEncoder: SemanticEncoder {
    var thumbnailSide: Int { 32 }
    var codeOutput: CodeOutput { .activations }
    func hash(_ code: [Float]) throws -> SemanticHash { throw Refused() }
    struct Refused: Error {}
    func encode(_ thumbnails: [Thumbnail]) throws -> [SemanticCode] { throw Refused() }
}

extension ImageIndexTests {
    @Test func aFileReachedThroughASymlinkIsFoundByTheLinkPath() throws {
        let source = try IndexerTests.photoFolder(count: 3)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-links-\(UUID().uuidString)")
        let database = SQLiteConnectionTests.temporaryDatabase()
        defer {
            try? FileManager.default.removeItem(at: source)
            try? FileManager.default.removeItem(at: folder)
            SQLiteConnectionTests.remove(database)
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let link = folder.appendingPathComponent("link.jpg")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: source.appendingPathComponent("0.jpg"))
        _ = try Self.open(database).index(folders: [folder.path])

        let storedOnly = try ImageIndex(path: database) { _ in RefusingEncoder() }
        // The image alone: transformed copies would need the encoder.
        let result = try storedOnly.query(imageAt: link.path, options: QueryOptions(k: 1, flip: false, rotations: false, trimBars: false))
        #expect(result.matches.first?.path == folder.resolvingSymlinksInPath().appendingPathComponent("link.jpg").path)
        #expect(try storedOnly.remove(paths: [link.path]) == 1)
    }
}
