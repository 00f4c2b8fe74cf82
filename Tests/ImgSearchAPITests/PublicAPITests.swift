import Foundation
import ImgSearch  // no @testable: only what another tool can use
import ImgSearchTestFixtures
import Testing

/// The pictures the facade test indexes: synthetic ones everywhere, and
/// CIFAR-10 horses as well where ../shared/data is there.
enum PhotoSet: String, CustomTestStringConvertible {
    case synthetic, cifarHorses

    static var available: [PhotoSet] {
        FileManager.default.fileExists(atPath: PublicAPITests.data.path) ? [.synthetic, .cifarHorses] : [.synthetic]
    }

    var testDescription: String { rawValue }

    /// Writes picture `number` of the set to `file`.
    func write(_ number: Int, to file: URL) throws {
        switch self {
        case .synthetic:
            try SyntheticPhotos.writeJPEG(number, to: file)
        case .cifarHorses:
            try FileManager.default.copyItem(
                at: PublicAPITests.data.appendingPathComponent(String(format: "cifar10/train/horse/%04d.jpg", number)), to: file)
        }
    }
}

/// The library as another tool embeds it: public API only.
@Suite struct PublicAPITests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let data = repository.appendingPathComponent("../shared/data").standardizedFileURL
    static let model = repository.appendingPathComponent("index/default-model.isae").path

    @Test(arguments: PhotoSet.available)
    func indexesAFolderAndQueriesItWithThePublicAPI(photoSet: PhotoSet) throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-api-\(UUID().uuidString)")
        let photos = work.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        for number in 0..<12 {
            try photoSet.write(number, to: photos.appendingPathComponent(String(format: "%04d.jpg", number)))
        }

        let index = try ImageIndex(path: work.appendingPathComponent("index.sqlite").path)
        try index.installModelIfNone(fileAt: Self.model)
        var progressReports = 0
        let summary = try index.index(folders: [photos.path], jobs: 2, progress: { _ in progressReports += 1 })
        #expect(summary.added == 12 && summary.failed == 0)
        #expect(progressReports >= 2)
        #expect(try index.count() == 12)

        let query = photos.appendingPathComponent("0003.jpg").path
        let result = try index.query(imageAt: query, options: QueryOptions(k: 4))
        #expect(result.matches.count == 4)
        #expect(result.matches.contains { $0.path.hasSuffix("/0003.jpg") && $0.hamming == 0 })

        let thumbnail = try ImageDecoder.thumbnail(contentsOf: query)
        #expect(thumbnail.values.count == 3072)
        // Many files at once: one result per path, in order, nil for a failure.
        var failures: [IndexingFailure] = []
        let loaded = ThumbnailLoader(jobs: 2).load([query, photos.appendingPathComponent("missing.jpg").path],
                                                   onFailure: { failures.append($0) })
        #expect(loaded.count == 2 && loaded[0]?.thumbnail == thumbnail && loaded[1] == nil)
        #expect(failures.map { ($0.path as NSString).lastPathComponent } == ["missing.jpg"])
        // By pixels: the decoded image finds its file, like the file itself.
        let pixels = try ImageDecoder.decode(contentsOf: query).image
        let byPixels = try index.query(pixels: pixels, name: "in memory", options: QueryOptions(k: 4))
        #expect(byPixels.query == "in memory")
        #expect(byPixels.matches.contains { $0.path.hasSuffix("/0003.jpg") && $0.hamming == 0 && $0.distance < 1e-4 })

        // Copies re-saved at quality 50 and scaled to half size find their original first.
        for distortion in [ImageDistortion.jpegQuality50, .halfSize] {
            let copy = try distortion.apply(to: pixels, seed: 1)
            let found = try index.query(pixels: copy, name: distortion.rawValue, options: QueryOptions(k: 1))
            #expect(found.matches.first.map { $0.path.hasSuffix("/0003.jpg") } == true, "\(distortion.rawValue): \(found.matches)")
        }

        // A copy under another name is a duplicate; training needs a larger collection.
        try FileManager.default.copyItem(atPath: query, toPath: photos.appendingPathComponent("copy.jpg").path)
        #expect(try index.index(folders: [photos.path]).added == 1)
        let groups = try index.duplicates(radius: 0)
        #expect(groups.contains { Set($0.paths.map { ($0 as NSString).lastPathComponent }) == ["0003.jpg", "copy.jpg"] })
        #expect(throws: ImageIndexError.self) { try index.train() }

        #expect(try index.remove(paths: [query]) == 1)
    }

    @Test func decodingErrorsNameTheFile() {
        do {
            _ = try ImageDecoder.decode([0x47, 0x49, 0x46, 0x38], path: "anim.gif")
            Issue.record("a GIF was decoded")
        } catch {
            #expect(error.description == "anim.gif: unsupported format (not a JPEG, PNG, WebP, GIF, TIFF, BMP, HEIC or AVIF file)")
        }
    }
}
