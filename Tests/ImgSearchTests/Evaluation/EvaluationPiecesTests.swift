import Foundation
import Testing
@testable import ImgSearch

/// The pieces around the metrics: labels, mirroring, distortions and the
/// report's JSON.
@Suite struct EvaluationPiecesTests {
    @Test func labelsAreTheParentFolderNames() {
        #expect(LabelledImageSet.label(of: "/data/cifar10/train/cat/0001.jpg") == "cat")
        #expect(LabelledImageSet.label(of: "queries/dog/nested/x.png") == "nested")
    }

    @Test func mirroringReversesEveryRowOfEveryPlane() {
        let values = (0..<(3 * 4 * 4)).map(Float.init)
        let thumbnail = Thumbnail(side: 4, values: values)
        let mirrored = thumbnail.mirrored
        #expect(Array(mirrored.values[0..<4]) == [3, 2, 1, 0])
        #expect(Array(mirrored.values[36..<40]) == [39, 38, 37, 36])
        #expect(mirrored.mirrored == thumbnail)
    }

    @Test func resizingToHalfAveragesBlocks() {
        // 4x2 image whose 2x2 blocks average to 10 and 200 exactly.
        let image = RGBImage(width: 4, height: 2, pixels: [
            0, 0, 0, 20, 20, 20, 200, 200, 200, 100, 100, 100,
            10, 10, 10, 10, 10, 10, 250, 250, 250, 250, 250, 250,
        ])
        let half = image.resized(width: 2, height: 1)
        #expect(half.pixels == [10, 10, 10, 200, 200, 200])
    }

    @Test func distortionsKeepThePictureAndAreSeeded() throws {
        let ramp: [UInt8] = (0..<(32 * 32 * 3)).map { (index: Int) -> UInt8 in UInt8((index / 3) % 32 * 8) }
        let image = RGBImage(width: 32, height: 32, pixels: ramp)
        let jpeg = try ImageDistortion.jpegQuality50.apply(to: image, seed: 1)
        #expect(jpeg.width == 32 && jpeg.height == 32)
        var total = 0
        for (after, before) in zip(jpeg.pixels, image.pixels) { total += abs(Int(after) - Int(before)) }
        let difference = total / image.pixels.count
        #expect(difference < 12, "JPEG quality 50 moved pixels by \(difference) levels on average")
        let half = try ImageDistortion.halfSize.apply(to: image, seed: 1)
        #expect(half.width == 16 && half.height == 16)
        let noisy = try ImageDistortion.noise.apply(to: image, seed: 3)
        let again = try ImageDistortion.noise.apply(to: image, seed: 3)
        #expect(noisy == again)
        #expect(noisy != image)
        let bytes = try JPEGEncoder.encode(image, quality: 90)
        #expect(ImageFormat(signatureOf: bytes) == .jpeg)
    }

    @Test func reportJSONHasTheIssuesShape() throws {
        let scores = RetrievalScores(
            meanAveragePrecision: 0.25, depth: 1000, precisionAt1: 0.5, precisionAt10: 0.4, precisionAt100: 0.3, nisterSteweniusScore: 2.5,
            precisionWithinRadius2: 0.6, queriesWithResultsWithinRadius2: 0.7,
            precisionRecall: [PrecisionRecallPoint(cutoff: 1, precision: 0.5, recall: 0.01)])
        var realScores = scores
        realScores.precisionWithinRadius2 = nil
        realScores.queriesWithResultsWithinRadius2 = nil
        let statistics = try HashBitStatistics(hashes: [0, 1, 2, 3], bitCount: 2)
        let report = RetrievalReport(
            bits: 30, databaseCount: 100, queryCount: 10, depth: 1000, seed: 1, model: "m \"x\".isae",
            methods: [MethodEvaluation(name: "semantic-hash", scores: scores, bitStatistics: statistics),
                      MethodEvaluation(name: "PCA", scores: realScores, bitStatistics: nil)],
            nearDuplicates: [NearDuplicateResult(distortion: "noise", count: 5, rankOne: 1, topTen: 1, rankOneByRealCode: 1, rankOneAfterRerank: 1, rerankDepth: 100)],
            quantizationLoss: [2, 1])
        #expect(report.json.hasPrefix("{\"bits\":30,\"database\":100,\"queries\":10,\"metric\":\"mAP@1000\",\"mAP\":{\"semantic-hash\":0.25,\"PCA\":0.25}"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        #expect(object["model"] as? String == "m \"x\".isae")
        let radius = try #require(object["precisionWithinRadius2"] as? [String: Double])
        #expect(radius == ["semantic-hash": 0.6])
        #expect(object["nisterSteweniusScore"] as? [String: Double] == ["semantic-hash": 2.5, "PCA": 2.5])
        #expect(object["leaveOneOut"] as? Bool == false)
        #expect(report.html.contains("<svg") && report.html.contains("<polyline"))
        #expect(report.table.contains("semantic-hash"))
    }
}
