import Foundation
import ImgSearchTestFixtures
import Testing
@testable import ImgSearch

/// The synthetic pictures the clean-checkout suites index: what those
/// suites take for granted about them, checked once here.
@Suite struct SyntheticPhotosTests {
    @Test func aPictureDependsOnItsNumberAndLabelAlone() throws {
        #expect(SyntheticPhotos.image(7) == SyntheticPhotos.image(7))
        #expect(SyntheticPhotos.image(7) == SyntheticPhotos.image(7, label: 7 % SyntheticPhotos.labelCount))
        #expect(SyntheticPhotos.image(7) != SyntheticPhotos.image(8))
        #expect(SyntheticPhotos.image(7, label: 0) != SyntheticPhotos.image(7, label: 1))
        // The cached file is what a fresh encoding gives.
        let fresh = try JPEGEncoder.encode(SyntheticPhotos.image(7), quality: 90)
        #expect(try SyntheticPhotos.jpeg(7) == fresh)
        #expect(try SyntheticPhotos.jpeg(7) == fresh)

        let decoded = try ImageDecoder.decode(SyntheticPhotos.jpeg(7), path: "7.jpg", options: ImageDecodingOptions(minimumDecodedSide: 0))
        #expect(decoded.format == .jpeg)
        #expect(decoded.image.width == SyntheticPhotos.defaultWidth && decoded.image.height == SyntheticPhotos.defaultHeight)
    }

    /// Two different pictures are never taken for duplicates: their 16x16
    /// thumbnails differ by far more than the duplicate finder accepts, so
    /// tests may expect every picture to find itself first.
    @Test func noTwoPicturesAreNearDuplicates() throws {
        let thumbnails = try (0..<60).map { number in
            try ImageDecoder.thumbnail(SyntheticPhotos.jpeg(number), path: "\(number).jpg", side: 16).values
        }
        var closest = Float.infinity
        for a in thumbnails.indices {
            for b in thumbnails.indices where b > a {
                let difference = zip(thumbnails[a], thumbnails[b]).map { abs($0 - $1) }.reduce(0, +) / Float(thumbnails[a].count)
                closest = min(closest, difference)
            }
        }
        #expect(closest > 2 * DuplicateGroup.defaultMaximumThumbnailDifference, "closest pair differs by \(closest)")
    }

    /// A picture is not flat: the thumbnail spreads like a photograph's
    /// (the photo suite asks more than 0.02 of real photos).
    @Test(arguments: 0..<SyntheticPhotos.labelCount)
    func everyClassDrawsPicturesWithDetail(label: Int) throws {
        for number in 0..<4 {
            let values = try ImageDecoder.thumbnail(SyntheticPhotos.jpeg(number, label: label), path: "p.jpg").values
            let mean = values.reduce(0, +) / Float(values.count)
            let spread = values.map { abs($0 - mean) }.reduce(0, +) / Float(values.count)
            #expect(spread > 0.05, "label \(label), picture \(number): spread \(spread)")
        }
    }

    @Test func writeNamesEveryFileAndMakesItsFolders() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-synthetic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try SyntheticPhotos.write([3, 4], into: folder) { "deep/er/\($0).jpg" }
        #expect(files.map(\.lastPathComponent) == ["3.jpg", "4.jpg"])
        #expect(try Data(contentsOf: files[1]) == Data(try SyntheticPhotos.jpeg(4)))
    }
}
