import Foundation
import ImgSearchTestFixtures
import Testing
@testable import ImgSearch

/// The edited-copies test of `imgsearch eval --edits`, on synthetic photos
/// (no ../shared needed): an unedited copy finds its original, and the
/// rows add up.
@Suite struct EditedCopiesTests {
    /// `photos/` with 8 synthetic pictures and `database/<class>/` with 40
    /// others, loaded as eval loads them (descriptors included).
    static func sets() throws -> (photos: LabelledImageSet, database: LabelledImageSet, folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-edits-\(UUID().uuidString)")
        _ = try SyntheticPhotos.write(1_000..<1_008, into: folder.appendingPathComponent("photos"))
        for label in 0..<SyntheticPhotos.labelCount {
            _ = try SyntheticPhotos.write(0..<8, label: label, into: folder.appendingPathComponent("database/class-\(label)"))
        }
        let photos = try LabelledImageSet.load(folder: folder.appendingPathComponent("photos").path, describes: true)
        let database = try LabelledImageSet.load(folder: folder.appendingPathComponent("database").path, describes: true)
        return (photos, database, folder)
    }

    static func encoder() throws -> AutoencoderEncoder {
        try AutoencoderEncoder(model: ModelFile.read(from: URL(fileURLWithPath: ClassicBaselineTests.defaultModel)))
    }

    static let unedited = EditedCopiesTest.Edit(name: "unedited") { $0 }

    @Test func anUneditedCopyFindsItsOriginalFirst() throws {
        let (photos, database, folder) = try Self.sets()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Small pictures: the edits' decode is the indexing decode, so an
        // unedited copy has its original's very thumbnail and descriptors.
        #expect(photos.count == 8 && database.count == 40)
        let rows = try EditedCopiesTest.run(
            photos: photos, database: database, encoder: Self.encoder(), edits: [Self.unedited],
            rerankDepth: 300, seed: 1, threads: 2)
        #expect(rows.map(\.edit) == ["unedited", EditedCopyResult.allEdits])
        #expect(rows[0].recall.map(\.method) == ["query", "semantic-hash", "semantic-hash/rerank-300", "real-code", "pHash", "dHash", "HSV-histogram"])
        for method in ["query", "semantic-hash", "semantic-hash/rerank-300", "real-code", "pHash"] {
            let recall = try #require(rows[0].recall(of: method))
            #expect(recall.atOne == 1 && recall.atTen == 1, "\(method)")
        }
    }

    @Test func thereIsARowPerEditAndTheAllEditsRowIsTheirMean() throws {
        let (photos, database, folder) = try Self.sets()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encoder = try Self.encoder()
        let rows = try EditedCopiesTest.run(
            photos: photos, database: database, encoder: encoder, rerankDepth: 50, seed: 3, threads: 2)
        #expect(rows.map(\.edit) == PhotoEdit.allCases.map(\.rawValue) + [EditedCopyResult.allEdits])
        #expect(rows.dropLast().allSatisfy { $0.count == photos.count })
        #expect(rows.last?.count == photos.count * PhotoEdit.allCases.count)
        let all = try #require(rows.last)
        for (index, method) in all.recall.enumerated() {
            let meanAtOne = rows.dropLast().map { $0.recall[index].atOne }.reduce(0, +) / Double(rows.count - 1)
            let meanAtTen = rows.dropLast().map { $0.recall[index].atTen }.reduce(0, +) / Double(rows.count - 1)
            #expect(abs(method.atOne - meanAtOne) < 1e-12 && abs(method.atTen - meanAtTen) < 1e-12, "\(method.method)")
            #expect(rows.allSatisfy { $0.recall[index].method == method.method && $0.recall[index].atOne <= $0.recall[index].atTen })
        }
        // The mirror is the mirrored query itself: with flipping the semantic hash finds every mirrored copy.
        let flipped = try EditedCopiesTest.run(
            photos: photos, database: database, encoder: encoder, edits: [Self.unedited, EditedCopiesTest.Edit.product[8]],
            rerankDepth: 50, flip: true, classic: false, seed: 3, threads: 2)
        #expect(EditedCopiesTest.Edit.product[8].name == "mirror")
        #expect(flipped[0].recall.map(\.method) == ["query", "semantic-hash", "semantic-hash/rerank-50", "real-code", "semantic-hash+flip", "real-code+flip"])
        #expect(flipped[1].recall(of: "semantic-hash+flip")?.atOne == 1 && flipped[1].recall(of: "real-code+flip")?.atOne == 1)
        // A quarter turn back is among the rotations' variants: they find every turned copy.
        let quarterTurn = try #require(EditedCopiesTest.Edit.product.first { $0.name == "rotate-90" })
        let turned = try EditedCopiesTest.run(
            photos: photos, database: database, encoder: encoder, edits: [quarterTurn],
            rerankDepth: 50, rotations: true, classic: false, seed: 3, threads: 2)
        #expect(turned[0].recall.map(\.method) == ["query", "semantic-hash", "semantic-hash/rerank-50", "real-code", "semantic-hash+turns", "real-code+turns", "semantic-hash+turns/rerank-50"])
        #expect(turned[0].recall(of: "semantic-hash+turns")?.atOne == 1 && turned[0].recall(of: "real-code+turns")?.atOne == 1)
    }

    @Test func aPhotoThatCannotBeDecodedAgainIsReportedAndHasNoCopies() throws {
        let (photos, database, folder) = try Self.sets()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.removeItem(atPath: photos.paths[2])
        var failures: [IndexingFailure] = []
        let rows = try EditedCopiesTest.run(
            photos: photos, database: database, encoder: Self.encoder(), edits: [Self.unedited],
            rerankDepth: 300, seed: 1, threads: 2) { failures.append($0) }
        #expect(failures.map(\.path) == [photos.paths[2]])
        #expect(rows.map(\.count) == [photos.count - 1, photos.count - 1])
        #expect(rows[0].recall(of: "semantic-hash")?.atOne == 1)
    }

    @Test func theReportShowsTheRowsInTheTableJSONAndHTML() throws {
        let (photos, database, folder) = try Self.sets()
        defer { try? FileManager.default.removeItem(at: folder) }
        var options = RetrievalEvaluationOptions()
        options.classicBaselines = false
        let report = try RetrievalEvaluation.run(
            database: database, queries: nil, encoder: Self.encoder(), modelName: "default", options: options, editedPhotos: photos)
        #expect(report.editedPhotoCount == 8 && report.editedCopies.count == PhotoEdit.allCases.count + 1)
        #expect(report.editedCopies[0].recall.map(\.method) == ["query", "semantic-hash", "semantic-hash/rerank-300", "real-code"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        let edited = try #require(object["editedCopies"] as? [String: Any])
        #expect(edited["photos"] as? Int == 8)
        let rows = try #require(edited["rows"] as? [[String: Any]])
        #expect(rows.map { $0["edit"] as? String } == report.editedCopies.map(\.edit))
        #expect(rows.last?["count"] as? Int == 8 * PhotoEdit.allCases.count)
        #expect((rows.first?["recall@10"] as? [String: Double])?.keys.sorted() == ["query", "real-code", "semantic-hash", "semantic-hash/rerank-300"])
        let lines = report.table.components(separatedBy: "\n")
        #expect(lines.contains { $0.hasPrefix("crop-70-corner") } && lines.contains { $0.hasPrefix("all edits") })
        #expect(report.html.contains("<h2>Edited copies</h2>") && report.html.contains("<td>squash-16x9</td>"))
        let plain = try RetrievalEvaluation.run(database: database, queries: nil, encoder: Self.encoder(), modelName: "default", options: options)
        #expect(plain.editedCopies.isEmpty && !plain.table.contains("edited copies") && !plain.json.contains("editedCopies"))
    }
}
