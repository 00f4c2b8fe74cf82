import Foundation
import ImgSearch
import Testing

/// `imgsearch train` on an index's own images and `imgsearch dupes`, end
/// to end with the built binary on temporary folders of synthetic JPEGs.
@Suite struct TrainAndDupesCommandTests {
    typealias Workspace = IndexAndQueryCommandTests

    struct RetrainingReport: Decodable {
        var trainedOn: Int, reencoded: Int, removed: Int
    }

    @Test func trainRefusesACollectionBelowTheMinimum() throws {
        let (folder, database) = try Workspace.workspace(count: 12)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        #expect(try IndexAndQueryCommandTests().index(folder, database: database).result.status == 0)

        let result = try CommandRunner.run(["train", "--db", database])
        #expect(result.status == 1)
        #expect(result.standardError.contains("12 indexed images are too few to train a model on; at least 1000 are needed"))
        let info = try CommandRunner.run(["info", "--db", database, "--json"])
        #expect(try JSONDecoder().decode(IndexInfo.self, from: Data(info.standardOutput.utf8)).modelLayers == [2 * 576 + 192, 512, 256, 128, 30])

        let noFolder = try CommandRunner.run(["train", "--db", database, "--output", "x.isae"])
        #expect(noFolder.status == 64)
    }

    @Test func trainReencodesEveryImageAndSwitchesModel() throws {
        let (folder, database) = try Workspace.workspace(count: 1_002)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        #expect(try IndexAndQueryCommandTests().index(folder, database: database).result.status == 0)
        // A file that vanished since indexing cannot get a code from the new model.
        let gone = folder.appendingPathComponent("cat-4.jpg").path
        try FileManager.default.removeItem(atPath: gone)

        let result = try CommandRunner.run([
            "train", "--db", database, "--layers", "3072,64,16", "--pretraining-epochs", "1",
            "--fine-tuning-epochs", "2", "--json",
        ])
        #expect(result.status == 3, "\(result.standardError)")
        #expect(result.standardError.contains("\(gone): cannot read file: No such file or directory (removed from the index)"))
        #expect(result.standardError.contains("fine-tuning epoch 2/2"))
        let report = try JSONDecoder().decode(RetrainingReport.self, from: Data(result.standardOutput.utf8))
        #expect(report.trainedOn == 1_001 && report.reencoded == 1_001 && report.removed == 1)

        let info = try JSONDecoder().decode(IndexInfo.self, from: Data(
            try CommandRunner.run(["info", "--db", database, "--json"]).standardOutput.utf8))
        #expect(info.images == 1_001)
        // The first layer takes the thumbnail features: 8x8 cells of 9
        // orientation bins at two scales, then the 8x8 colour block's 192 values.
        #expect(info.modelLayers == [2 * 8 * 8 * 9 + 3 * 8 * 8, 64, 16] && info.bits == 16)
        // Median thresholds: every bit is set for about half of the images.
        #expect(info.onesShare.allSatisfy { (0.3...0.7).contains($0) }, "\(info.onesShare)")

        // Codes come from the new model: a query decoded afresh agrees with
        // the stored code of the same image.
        let image = folder.appendingPathComponent("airplane-0.jpg").path
        let copy = folder.deletingLastPathComponent().appendingPathComponent("copy.jpg").path
        try FileManager.default.copyItem(atPath: image, toPath: copy)
        let query = try CommandRunner.run(["query", "--db", database, "--json", "-k", "1", copy])
        let decoded = try JSONDecoder().decode(QueryResult.self, from: Data(query.standardOutput.utf8))
        #expect(decoded.matches.first?.hamming == 0)
        #expect(decoded.matches.first.map { $0.distance < 1e-4 } ?? false)
    }

    struct DupesReport: Decodable {
        var radius: Int
        var maximumDistance: Float
        var groups: [DuplicateGroup]
    }

    @Test func dupesGroupsCopiesAndReencodedImages() throws {
        let (folder, database) = try Workspace.workspace(count: 30)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let file = { (name: String) in folder.appendingPathComponent(name).path }
        // An exact copy, and a lossless PNG of a JPEG's decoded pixels.
        try FileManager.default.copyItem(atPath: file("cat-4.jpg"), toPath: file("cat-4 copy.jpg"))
        let decoded = try ImageDecoder.decode(contentsOf: file("nested/ship-5.jpg"))
        try Data(try PNGEncoder.encode(decoded.image)).write(to: URL(fileURLWithPath: file("ship-5.png")))
        #expect(try IndexAndQueryCommandTests().index(folder, database: database).result.status == 0)

        let result = try CommandRunner.run(["dupes", "--db", database, "--json"])
        #expect(result.status == 0)
        let report = try JSONDecoder().decode(DupesReport.self, from: Data(result.standardOutput.utf8))
        #expect(report.radius == 2)
        // The default model's codes are logits: the logit default applies.
        #expect(report.maximumDistance == DuplicateGroup.defaultMaximumLogitDistance)
        let groups = Set(report.groups.map { Set($0.paths) })
        #expect(groups.contains([file("cat-4.jpg"), file("cat-4 copy.jpg")]))
        #expect(groups.contains([file("nested/ship-5.jpg"), file("ship-5.png")]))
        #expect(report.groups.allSatisfy {
            $0.hamming <= 2 && $0.distance <= report.maximumDistance
                && $0.thumbnailDifference <= DuplicateGroup.defaultMaximumThumbnailDifference
        })
        // Different images whose hashes and codes are near are not duplicates.
        #expect(report.groups.count == 2)

        let text = try CommandRunner.run(["dupes", "--db", database, "--radius", "0"])
        #expect(text.status == 0)
        #expect(text.standardOutput.contains("  \(file("cat-4 copy.jpg"))\n"))
        #expect(try CommandRunner.run(["dupes", "--db", database, "--radius", "3"]).status == 64)
    }
}
