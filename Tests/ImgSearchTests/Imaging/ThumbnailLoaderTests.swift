import Foundation
import Testing
@testable import ImgSearch

/// The one loader behind the indexer, re-encoding, training on a folder,
/// evaluation sets and duplicates, on files it writes itself (no ../shared).
@Suite struct ThumbnailLoaderTests {
    /// A temporary folder of five pictures (JPEGs of different sizes and
    /// colours, one of them wider than tall) and three bad files: text named
    /// `.jpg`, a JPEG cut in half, and a name with nothing behind it.
    struct Folder {
        let root: String
        /// Every path in the order loaded; `bad` names the ones that fail.
        let paths: [String]
        let bad: [String]

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-loader-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            var generator = SplitMix64(seed: 13)
            var paths: [String] = [], bad: [String] = []
            for index in 0..<5 {
                let (width, height) = index == 2 ? (96, 40) : (48 + 8 * index, 48)
                let base = (0..<3).map { _ in UInt8.random(in: 0...255, using: &generator) }
                var pixels: [UInt8] = []
                for y in 0..<height {
                    for x in 0..<width {
                        pixels += [base[0] &+ UInt8(x), base[1] &+ UInt8(y), base[2]]
                    }
                }
                let path = root + "/image-\(index).jpg"
                try Data(JPEGEncoder.encode(RGBImage(width: width, height: height, pixels: pixels), quality: 90))
                    .write(to: URL(fileURLWithPath: path))
                paths.append(path)
                if index == 1 {
                    let text = root + "/notes.jpg"
                    try Data("not a picture".utf8).write(to: URL(fileURLWithPath: text))
                    paths.append(text)
                    bad.append(text)
                }
                if index == 3 {
                    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
                    let cut = root + "/cut.jpg"
                    try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: cut))
                    paths.append(cut)
                    bad.append(cut)
                }
            }
            let missing = root + "/missing.jpg"
            paths.insert(missing, at: 4)
            bad.insert(missing, at: 1)
            self.paths = paths
            self.bad = bad
        }

        /// What decoding each path alone gives, or its error.
        func expected(side: Int) -> [Result<Thumbnail, ImageDecodingError>] {
            paths.map { path in Result { () throws(ImageDecodingError) in try ImageDecoder.thumbnail(contentsOf: path, side: side) } }
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    @Test(arguments: [1, 3])
    func loadsInOrderReportingEachFailureWhileTheRestLoad(jobs: Int) throws {
        let folder = try Folder()
        defer { folder.remove() }
        // Chunks of 3 over 8 paths: three chunks, the last one short.
        let loader = ThumbnailLoader(side: 16, jobs: jobs, hashesContents: true, chunkSize: 3)
        var failures: [IndexingFailure] = [], reports: [WorkProgress] = []
        let images = loader.load(folder.paths, phase: "reading test images",
                                 progress: { reports.append($0) }, onFailure: { failures.append($0) })

        #expect(images.count == folder.paths.count)
        for (path, (image, expected)) in zip(folder.paths, zip(images, folder.expected(side: 16))) {
            switch expected {
            case .success(let thumbnail):
                let image = try #require(image, "\(path) loads")
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
                #expect(image.path == path)
                #expect(image.thumbnail == thumbnail)
                #expect(image.thumbnail.side == 16)
                #expect(image.byteCount == bytes.count)
                #expect(image.contentHash == ContentHash.of(bytes))
            case .failure:
                #expect(image == nil, "\(path) fails")
            }
        }
        let wideAt = try #require(folder.paths.firstIndex(of: folder.root + "/image-2.jpg"))
        let wide = try #require(images[wideAt])
        #expect((wide.width, wide.height) == (96, 40))

        // Each failure once, in path order, with the decoder's own reason.
        #expect(failures.map(\.path) == folder.bad)
        let reasons = folder.expected(side: 16).compactMap { result -> String? in
            if case .failure(let error) = result { return error.reasonDescription } else { return nil }
        }
        #expect(failures.map(\.reason) == reasons)
        #expect(failures.first?.reason == "unsupported format (not a JPEG, PNG, WebP, GIF, TIFF, BMP, HEIC or AVIF file)")
        #expect(failures[1].reason.hasPrefix("cannot read file"))
        #expect(failures[2].reason.hasPrefix("corrupt image"))

        #expect(reports.map(\.completed) == [0, 3, 6, 8])
        #expect(reports.allSatisfy { $0.total == 8 && $0.phase == "reading test images" && $0.unit == "files" })
    }

    @Test func chunksArriveInOrderWithTheirOffsets() throws {
        let folder = try Folder()
        defer { folder.remove() }
        var offsets: [Int] = [], collected: [LoadedImage?] = []
        ThumbnailLoader(jobs: 2, chunkSize: 5).load(folder.paths) { offset, chunk in
            offsets.append(offset)
            collected += chunk
        }
        #expect(offsets == [0, 5])
        #expect(collected.map { $0?.path } == folder.paths.map { folder.bad.contains($0) ? nil : $0 })
        // Not asked for: the bytes are not hashed.
        #expect(collected.compactMap { $0 }.allSatisfy { $0.contentHash == nil && $0.thumbnail.side == Thumbnail.defaultSide })
    }

    @Test func readingThenDecodingGivesWhatOnePassGives() throws {
        let folder = try Folder()
        defer { folder.remove() }
        let loader = ThumbnailLoader(jobs: 2, hashesContents: true)
        var failures: [IndexingFailure] = []
        let contents = loader.read(folder.paths) { failures.append($0) }
        // Reading fails only for the missing file; the others are bytes.
        #expect(failures.map(\.path) == [folder.root + "/missing.jpg"])
        #expect(contents.map { $0?.path } == folder.paths.map { $0.hasSuffix("missing.jpg") ? nil : $0 })

        let decoded = loader.decode(contents.compactMap { $0 }) { failures.append($0) }
        #expect(Set(failures.map(\.path)) == Set(folder.bad))
        let onePass = loader.load(folder.paths)
        let decodedByPath = Dictionary(uniqueKeysWithValues: decoded.compactMap { $0 }.map { ($0.path, $0) })
        for case let image? in onePass {
            let twoStage = try #require(decodedByPath[image.path])
            #expect(twoStage.thumbnail == image.thumbnail)
            #expect(twoStage.contentHash == image.contentHash)
            #expect((twoStage.byteCount, twoStage.width, twoStage.height) == (image.byteCount, image.width, image.height))
        }
        #expect(decodedByPath.count == onePass.compactMap { $0 }.count)
    }

    @Test func noPathsReportsOneEmptyProgress() {
        var reports: [WorkProgress] = []
        let images = ThumbnailLoader().load([], progress: { reports.append($0) })
        #expect(images.isEmpty)
        #expect(reports == [WorkProgress(phase: "reading images", completed: 0, total: 0, unit: "files")])
    }
}
