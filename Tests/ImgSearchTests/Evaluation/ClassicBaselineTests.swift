import Foundation
import ImgSearchTestFixtures
import Testing
@testable import ImgSearch

/// The classic baselines of `imgsearch eval`: descriptors made by the
/// loader, their exact rankings, and the methods in a report.
@Suite struct ClassicBaselineTests {
    /// Two synthetic photos, one small (decoded once, full size) and one
    /// large enough that the thumbnail's DCT scale is below the descriptors'.
    static func writePhotos() throws -> (folder: URL, paths: [String]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-classic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var paths: [String] = []
        for (number, (width, height)) in [(64, 48), (1024, 768)].enumerated() {
            let url = folder.appendingPathComponent("photo-\(number).jpg")
            try Data(SyntheticPhotos.jpeg(number, width: width, height: height)).write(to: url)
            paths.append(url.path)
        }
        return (folder, paths)
    }

    @Test func theLoadersDescriptorsAreThoseOfTheDecodedPictureAndLeaveTheThumbnailAlone() throws {
        let (folder, paths) = try Self.writePhotos()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = ThumbnailLoader(jobs: 1).load(paths)
        let described = ThumbnailLoader(jobs: 1, descriptorSide: ImageDescriptors.defaultDecodedSide).load(paths)
        for (index, path) in paths.enumerated() {
            let withDescriptors = try #require(described[index]), without = try #require(plain[index])
            #expect(without.descriptors == nil)
            #expect(withDescriptors.thumbnail == without.thumbnail, "the thumbnail must not depend on the descriptors")
            let decoded = try ImageDecoder.decode(contentsOf: path, options: ImageDecodingOptions(minimumDecodedSide: 128)).image
            #expect(min(decoded.width, decoded.height) >= 128 || decoded.width == withDescriptors.width)
            let descriptors = try #require(withDescriptors.descriptors)
            #expect(descriptors.colourHistogram == ColourHistogram(of: decoded))
            #expect(descriptors.pHash == PerceptualHash.pHash(of: decoded))
            #expect(descriptors.dHash == PerceptualHash.dHash(of: decoded))
        }
    }

    @Test func theL1AndSixtyFourBitRankingsAgreeWithANaiveSort() throws {
        var generator = SplitMix64(seed: 5)
        let pictures = (0..<40).map { _ in
            RGBImage(width: 12, height: 9, pixels: (0..<(12 * 9 * 3)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        // Repeated pictures make exact ties, which must fall by position.
        let descriptors = (pictures + pictures.prefix(5)).map(ImageDescriptors.init(of:))
        let histograms = RetrievalCodes.colourHistograms(descriptors)
        let pHashes = RetrievalCodes.hashes64(descriptors.map(\.pHash))
        for query in [0, 3, 17, 44] {
            let byL1 = try RetrievalRanking.nearest(descriptors.count, database: histograms, queries: [histograms], query: query)
            let naiveL1 = descriptors.indices.sorted {
                let a = descriptors[$0].colourHistogram.distance(to: descriptors[query].colourHistogram)
                let b = descriptors[$1].colourHistogram.distance(to: descriptors[query].colourHistogram)
                return (a, $0) < (b, $1)
            }
            #expect(byL1 == naiveL1)
            let byHamming = try RetrievalRanking.nearest(descriptors.count, database: pHashes, queries: [pHashes], query: query)
            let naiveHamming = descriptors.indices.sorted {
                let a = (descriptors[$0].pHash ^ descriptors[query].pHash).nonzeroBitCount
                let b = (descriptors[$1].pHash ^ descriptors[query].pHash).nonzeroBitCount
                return (a, $0) < (b, $1)
            }
            #expect(byHamming == naiveHamming)
        }
        // A query ranked by another distance than the database's is refused.
        #expect(throws: EvaluationError.self) {
            try RetrievalRanking.scores(database: histograms, databaseLabels: Array(repeating: 0, count: 45),
                                        queries: [.real(Matrix(rows: 45, columns: 128, elements: Array(repeating: 0, count: 45 * 128)))],
                                        queryLabels: Array(repeating: 0, count: 45))
        }
    }

    @Test func anEvaluationListsTheClassicBaselinesWithSaneScores() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-classic-eval-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        for label in 0..<SyntheticPhotos.labelCount {
            try SyntheticPhotos.write(0..<12, label: label, into: folder.appendingPathComponent("class-\(label)"))
        }
        let set = try LabelledImageSet.load(folder: folder.path, describes: true)
        #expect(set.descriptors?.count == set.count)
        let encoder = try AutoencoderEncoder(model: ModelFile.read(from: URL(fileURLWithPath: Self.defaultModel)))
        let report = try RetrievalEvaluation.run(database: set, queries: nil, encoder: encoder, modelName: "default")
        let names = report.methods.map(\.name)
        #expect(Array(names.suffix(4)) == ClassicBaselines.names)
        for method in report.methods where ClassicBaselines.names.contains(method.name) {
            #expect((0...1).contains(method.scores.meanAveragePrecision) && (1...4).contains(method.scores.nisterSteweniusScore),
                    "\(method.name)")
            #expect(method.scores.precisionWithinRadius2 == nil && method.bitStatistics == nil, "\(method.name)")
        }
        // The synthetic classes differ in colour: the histogram sees it.
        let histogram = try #require(report.methods.first { $0.name == "HSV-histogram" })
        #expect(histogram.scores.precisionAt1 > 0.5, "\(histogram.scores)")
        #expect(report.notes.isEmpty)

        var small = RetrievalEvaluationOptions()
        small.pixelComparisonLimit = 100
        let limited = try RetrievalEvaluation.run(database: set.reordered(Array(0..<set.count)), queries: nil, encoder: encoder,
                                                  modelName: "default", options: small)
        #expect(!limited.methods.contains { $0.name == "pixels-32" })
        #expect(limited.notes.contains { $0.hasPrefix("pixels-32 left out") } && limited.table.contains("pixels-32 left out"))
    }

    static var defaultModel: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("index/default-model.isae").path
    }
}
