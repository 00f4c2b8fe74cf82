import Foundation
import ImgSearchTestFixtures
import Testing
@testable import ImgSearch

/// The per-format and per-reason counts of an index run, the format column
/// of schema version 3, and what `info` makes of an index from before it.
/// Fixtures are written at test time: no ../shared.
@Suite struct FormatCountsTests {
    static func mixedFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-formats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try MixedFormatFolder.write(into: folder)
        return folder
    }

    static var expectedFormats: [String: Int] {
        MixedFormatFolder.formats.values.reduce(into: [:]) { $0[$1.rawValue, default: 0] += 1 }
    }

    static var expectedSkipped: [String: Int] {
        MixedFormatFolder.skipped.values.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    @Test func aRunCountsDecodedFilesByFormatAndSkippedOnesByReason() throws {
        let folder = try Self.mixedFolder()
        let database = SQLiteConnectionTests.temporaryDatabase()
        defer {
            try? FileManager.default.removeItem(at: folder)
            SQLiteConnectionTests.remove(database)
        }
        let store = try SQLiteIndexStore(path: database)
        let indexer = try IndexerTests.indexer(store)

        var failures: [IndexingFailure] = []
        let summary = try indexer.run(roots: [folder.path], onFailure: { failures.append($0) })
        #expect(summary.added == MixedFormatFolder.formats.count)
        #expect(summary.formats == Self.expectedFormats)
        #expect(summary.failed == MixedFormatFolder.skipped.count)
        #expect(summary.skipped == Self.expectedSkipped)
        // Each skipped file is still named, with its own reason's kind.
        let kinds = Dictionary(uniqueKeysWithValues: failures.map { (URL(fileURLWithPath: $0.path).lastPathComponent, $0.kind.rawValue) })
        #expect(kinds == MixedFormatFolder.skipped)

        // The rows hold their formats; the run's record holds its counts.
        let stored = try store.formatCounts()
        #expect(stored == Dictionary(uniqueKeysWithValues: Self.expectedFormats.map { (Optional($0.key), $0.value) }))
        for (name, format) in MixedFormatFolder.formats {
            let path = FolderWalker.resolvedRoot(folder.path) + "/" + name
            #expect(try store.record(path: path)?.format == format.rawValue, "\(name)")
        }
        let run = try #require(try store.lastIndexRun())
        #expect(run.folders == [FolderWalker.resolvedRoot(folder.path)])
        #expect(run.summary.skipped == Self.expectedSkipped)

        // Nothing changed: nothing decoded, the same files skipped again,
        // and the record is the new run's.
        let again = try indexer.run(roots: [folder.path])
        #expect(again.formats.isEmpty)
        #expect(again.unchanged == MixedFormatFolder.formats.count)
        #expect(again.skipped == Self.expectedSkipped)
        #expect(try store.lastIndexRun()?.summary.unchanged == MixedFormatFolder.formats.count)
        let info = try IndexInfo(reading: store)
        #expect(info.formats == Self.expectedFormats)
        #expect(info.lastIndexRun?.summary.failed == MixedFormatFolder.skipped.count)
    }

    @Test func theSummaryJSONKeepsItsFieldsAndAddsTheCounts() throws {
        var summary = IndexingSummary()
        summary.added = 2
        summary.record(IndexingFailure(path: "a.gif", reason: "corrupt image: x", kind: .corrupt))
        summary.formats = ["png": 2]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(summary), as: UTF8.self)
        #expect(json == #"{"added":2,"failed":1,"formats":{"png":2},"moved":0,"removed":0,"seconds":0,"skipped":{"corrupt":1},"unchanged":0,"updated":0}"#)
        // A summary written before the counts existed still decodes.
        let old = try JSONDecoder().decode(IndexingSummary.self, from: Data(
            #"{"added":1,"updated":0,"unchanged":3,"moved":0,"removed":0,"failed":0,"seconds":0.5}"#.utf8))
        #expect(old.added == 1 && old.unchanged == 3 && old.formats.isEmpty && old.skipped.isEmpty)
    }

    /// An index written by schema version 2 (no format column, no run
    /// record): read-only it reads as it is, every image "unknown"; opened
    /// for writing it migrates; the next run records the unchanged file's
    /// format from its first bytes, without re-encoding it.
    @Test func anIndexFromSchemaVersionTwoOpensAndCountsItsImagesAsUnknown() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-v2-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = SQLiteConnectionTests.temporaryDatabase()
        defer {
            try? FileManager.default.removeItem(at: folder)
            SQLiteConnectionTests.remove(database)
        }
        let photo = folder.appendingPathComponent("photo.png")
        try Data(PNGEncoder.encode(SyntheticPhotos.image(3))).write(to: photo)
        let path = FolderWalker.resolvedRoot(folder.path) + "/photo.png"
        let file = try #require(FoundFile(statingPath: path))
        let bytes = try ImageFile.read(path)
        let code = try SliceMeanEncoder().encode([Thumbnail(of: try ImageDecoder.decode(bytes, path: path).image, side: 32)])[0]

        // What imgsearch wrote with schema version 2, row for row.
        do {
            let connection = try SQLiteConnection(path: database)
            try SchemaMigrator(steps: Array(IndexSchema.migrator.steps.prefix(2))).migrate(connection)
            try connection.transaction {
                try connection.prepare("""
                    INSERT INTO models (name, created_at, trained_on, settings, metrics, file) VALUES ('slices', '', '', '{}', '{}', x'')
                    """).run()
                try connection.execute("INSERT INTO state (key, value) VALUES ('active_model', '1')")
                try connection.prepare("""
                    INSERT INTO images (path, size, mtime_ns, content_hash, width, height, hash, code, model_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)
                    """).bind(.text(path), .integer(file.size), .integer(file.modificationTime),
                              .integer(Int64(bitPattern: ContentHash.of(bytes))), .integer(64), .integer(48),
                              .integer(Int64(code.hash)), .blob(SQLiteIndexWriter.bytes(of: code.code))).run()
                try SQLiteIndexStore.rebuildBlocks([0], on: connection, withChecksums: false)
            }
            #expect(try IndexSchema.migrator.currentVersion(of: connection) == 2)
        }

        let reader = try SQLiteIndexStore(path: database, readOnly: true)
        #expect(!reader.hasFormatColumn)
        #expect(try reader.record(path: path)?.format == nil)
        let oldInfo = try IndexInfo(reading: reader)
        #expect(oldInfo.images == 1)
        #expect(oldInfo.formats == [IndexInfo.unknownFormat: 1])
        #expect(oldInfo.lastIndexRun == nil)

        let store = try SQLiteIndexStore(path: database)
        #expect(try IndexSchema.migrator.currentVersion(of: store.connection) == IndexSchema.migrator.latestVersion)
        #expect(try store.formatCounts() == [nil: 1])
        var indexer = Indexer(store: store, encoder: SliceMeanEncoder(), modelID: 1)
        indexer.jobs = 1
        let summary = try indexer.run(roots: [folder.path])
        // A version 2 row has no colour histogram either, so its file is
        // decoded again (an update), which records its format on the way.
        #expect(summary.unchanged == 0 && summary.added == 0 && summary.updated == 1)
        #expect(try store.formatCounts() == ["png": 1])
        #expect(try store.record(path: path)?.colour != nil)
        #expect(try IndexInfo(reading: store).formats == ["png": 1])
    }
}
