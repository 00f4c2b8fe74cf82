import Foundation
import ImgSearch
import ImgSearchTestFixtures
import Testing

/// `imgsearch eval` end to end on small labelled collections, and
/// `query --flip`, with the shipped default model.
@Suite struct EvalCommandTests {
    static let classes = ["airplane", "automobile", "cat", "frog", "ship"]

    /// Where the labelled pictures come from: synthetic classes everywhere,
    /// a CIFAR-10 subset too where ../shared/data is there.
    enum Collection: String, CustomTestStringConvertible {
        case synthetic, cifar

        static var available: [Collection] { ThumbnailCommandTests.hasData ? [.synthetic, .cifar] : [.synthetic] }

        var testDescription: String { rawValue }
    }

    /// `database/<class>/` with 60 images of each class and `queries/<class>/`
    /// with 8 others: synthetic pictures of the class's label, or symbolic
    /// links to the shared CIFAR-10 images.
    static func labelledFolders(_ collection: Collection) throws -> URL {
        let root = try CommandRunner.temporaryFolder()
        for (part, numbers) in [("database", 0..<60), ("queries", 4_000..<4_008)] {
            for (label, name) in classes.enumerated() {
                let folder = root.appendingPathComponent("\(part)/\(name)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for number in numbers {
                    let file = folder.appendingPathComponent(String(format: "%04d.jpg", number))
                    switch collection {
                    case .synthetic:
                        try SyntheticPhotos.writeJPEG(number, label: label, to: file)
                    case .cifar:
                        try FileManager.default.createSymbolicLink(
                            at: file, withDestinationURL: ThumbnailCommandTests.data.appendingPathComponent(
                                "cifar10/train/\(name)/" + file.lastPathComponent))
                    }
                }
            }
        }
        return root
    }

    @Test(arguments: Collection.available)
    func printsTheIssuesJSONWithMetricsBetweenZeroAndOne(collection: Collection) throws {
        let root = try Self.labelledFolders(collection)
        defer { try? FileManager.default.removeItem(at: root) }
        let html = root.appendingPathComponent("eval.html").path
        let result = try CommandRunner.run([
            "eval", "--database", root.appendingPathComponent("database").path,
            "--queries", root.appendingPathComponent("queries").path,
            "--model", IndexAndQueryCommandTests.model, "--json", "--html", html, "--flip", "--near-duplicates", "10", "--ablations", "--rerank", "50",
        ])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(object["bits"] as? Int == 30)
        #expect(object["database"] as? Int == 300)
        #expect(object["queries"] as? Int == 40)
        #expect(object["metric"] as? String == "mAP@1000")
        let methods = ["query", "semantic-hash", "real-code", "LSH", "PCAH", "ITQ", "PCA", "semantic-hash+flip", "real-code+flip",
                       "semantic-hash/0.5-thresholds", "semantic-hash/no-tie-break", "semantic-hash/rerank-50", "ITQ/model-input", "PCA/model-input",
                       "HSV-histogram", "pHash", "dHash", "pixels-32"]
        for key in ["mAP", "precision@1", "precision@10", "precision@100"] {
            let values = try #require(object[key] as? [String: Double], "\(key)")
            #expect(Set(values.keys) == Set(methods), "\(key)")
            #expect(values.values.allSatisfy { (0...1).contains($0) }, "\(key): \(values)")
        }
        // Five balanced classes: ranking at random would give about 0.2.
        let map = try #require(object["mAP"] as? [String: Double])
        #expect((map["semantic-hash"] ?? 0) > 0.2, "\(map)")
        let radius = try #require(object["precisionWithinRadius2"] as? [String: Double])
        #expect(Set(radius.keys) == ["query", "semantic-hash", "semantic-hash+flip", "LSH", "PCAH", "ITQ",
                                     "semantic-hash/0.5-thresholds", "semantic-hash/no-tie-break", "semantic-hash/rerank-50",
                                     "ITQ/model-input"])
        let curves = try #require(object["precisionRecall"] as? [String: [[String: Double]]])
        #expect(curves["ITQ"]?.last?["recall"] == 1)
        let duplicates = try #require(object["nearDuplicates"] as? [String: [String: Double]])
        #expect(Set(duplicates.keys) == ["jpeg-q50", "half-size", "noise"])
        #expect(duplicates.values.allSatisfy { (0...1).contains($0["rankOne"] ?? -1) })
        #expect(duplicates.values.allSatisfy { $0["rerankDepth"] == 50 })
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("<table>") && page.contains("<svg") && page.components(separatedBy: "<polyline").count == methods.count + 1)
    }

    @Test(arguments: Collection.available)
    func withoutQueriesEveryDatabaseImageIsAQueryLeftOutOfItsOwnRanking(collection: Collection) throws {
        let root = try Self.labelledFolders(collection)
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try CommandRunner.run([
            "eval", "--database", root.appendingPathComponent("database").path,
            "--model", IndexAndQueryCommandTests.model, "--json",
        ])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(object["leaveOneOut"] as? Bool == true)
        #expect(object["queries"] as? Int == object["database"] as? Int)
        let scores = try #require(object["nisterSteweniusScore"] as? [String: Double])
        #expect(Set(scores.keys) == ["query", "semantic-hash", "real-code", "LSH", "PCAH", "ITQ", "PCA", "HSV-histogram", "pHash", "dHash", "pixels-32"])
        // The query itself counts 1; the model finds more of its class than chance.
        #expect(scores.values.allSatisfy { (1...4).contains($0) })
        let precision = try #require(object["precision@1"] as? [String: Double])
        #expect((precision["semantic-hash"] ?? 0) > 0.3)
        let table = try CommandRunner.run([
            "eval", "--database", root.appendingPathComponent("database").path, "--model", IndexAndQueryCommandTests.model,
        ])
        #expect(table.standardOutput.contains("each a query with itself left out") && table.standardOutput.contains("N-S"))
        let withoutClassic = try CommandRunner.run([
            "eval", "--database", root.appendingPathComponent("database").path, "--model", IndexAndQueryCommandTests.model,
            "--json", "--no-classic-baselines",
        ])
        let plain = try #require(try JSONSerialization.jsonObject(with: Data(withoutClassic.standardOutput.utf8)) as? [String: Any])
        #expect(Set((plain["mAP"] as? [String: Double] ?? [:]).keys) == ["query", "semantic-hash", "real-code", "LSH", "PCAH", "ITQ", "PCA"])
    }

    @Test func editsQueriesEveryEditedCopyAndNamesTheFilesItCannotRead() throws {
        let root = try Self.labelledFolders(.synthetic)
        defer { try? FileManager.default.removeItem(at: root) }
        let photos = root.appendingPathComponent("photos")
        _ = try SyntheticPhotos.write(5_000..<5_006, into: photos)
        let notAPicture = photos.appendingPathComponent("notes.jpg")
        try Data("not a picture".utf8).write(to: notAPicture)
        let html = root.appendingPathComponent("eval.html").path
        let result = try CommandRunner.run([
            "eval", "--database", root.appendingPathComponent("database").path, "--edits", photos.path,
            "--model", IndexAndQueryCommandTests.model, "--json", "--flip", "--variant-penalty", "0", "--rerank", "40",
            "--html", html,
        ])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        #expect(result.standardError.contains("notes.jpg:"), "stderr: \(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let edited = try #require(object["editedCopies"] as? [String: Any])
        #expect(edited["photos"] as? Int == 6)
        let rows = try #require(edited["rows"] as? [[String: Any]])
        #expect(rows.map { $0["edit"] as? String ?? "" } == PhotoEdit.allCases.map(\.rawValue) + ["all edits"])
        #expect(rows.dropLast().allSatisfy { $0["count"] as? Int == 6 } && rows.last?["count"] as? Int == 6 * PhotoEdit.allCases.count)
        let methods: Set = ["query", "semantic-hash", "semantic-hash/rerank-40", "real-code", "semantic-hash+flip", "real-code+flip",
                            "pHash", "dHash", "HSV-histogram"]
        for row in rows {
            let atOne = try #require(row["recall@1"] as? [String: Double]), atTen = try #require(row["recall@10"] as? [String: Double])
            #expect(Set(atOne.keys) == methods && Set(atTen.keys) == methods)
            #expect(methods.allSatisfy { (0...1).contains(atOne[$0] ?? -1) && (atOne[$0] ?? 2) <= (atTen[$0] ?? -1) }, "\(row)")
        }
        // A mirrored copy is the mirror query itself (merged with no penalty).
        let mirror = try #require(rows.first { $0["edit"] as? String == "mirror" }?["recall@1"] as? [String: Double])
        #expect(mirror["semantic-hash+flip"] == 1)
        #expect(try String(contentsOfFile: html, encoding: .utf8).contains("<h2>Edited copies</h2>"))

        let table = try CommandRunner.run([
            "eval", "--database", root.appendingPathComponent("database").path, "--edits", photos.path,
            "--model", IndexAndQueryCommandTests.model, "--no-classic-baselines",
        ])
        #expect(table.status == 0, "stderr: \(table.standardError)")
        let lines = table.standardOutput.components(separatedBy: "\n")
        let header = try #require(lines.first { $0.hasPrefix("edit ") })
        #expect(header.contains("semantic-hash/rerank-300") && header.contains("real-code") && !header.contains("pHash"))
        #expect(PhotoEdit.allCases.allSatisfy { edit in lines.contains { $0.hasPrefix(edit.rawValue + " ") } })
        #expect(lines.contains { $0.hasPrefix("all edits") && $0.contains(" \(6 * PhotoEdit.allCases.count) ") })
    }

    @Test func badArgumentsAndMissingFoldersHaveTheirExitCodes() throws {
        let noDatabase = try CommandRunner.run(["eval", "--model", IndexAndQueryCommandTests.model])
        #expect(noDatabase.status == 64)
        let missing = try CommandRunner.run(["eval", "--database", "/nonexistent", "--model", IndexAndQueryCommandTests.model])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("/nonexistent"))
        let empty = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: empty) }
        let noImages = try CommandRunner.run(
            ["eval", "--database", empty.path, "--queries", empty.path, "--model", IndexAndQueryCommandTests.model])
        #expect(noImages.status == 1)
        #expect(noImages.standardError.contains("no readable image"))
    }

    @Test func queryWithFlipMergesTheMirroredResults() throws {
        let (folder, database) = try IndexAndQueryCommandTests.workspace(count: 30)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let indexed = try CommandRunner.run(["index", folder.path, "--db", database],
                                            environment: ["IMGSEARCH_MODEL": IndexAndQueryCommandTests.model])
        #expect(indexed.status == 0)
        let image = folder.appendingPathComponent("nested/cat-1.jpg").path
        let plain = try CommandRunner.run(["query", "--db", database, "--json", "-k", "30", image])
        let flipped = try CommandRunner.run(["query", "--db", database, "--json", "-k", "30", "--flip", image])
        #expect(plain.status == 0 && flipped.status == 0)
        let before = try JSONDecoder().decode(QueryResult.self, from: Data(plain.standardOutput.utf8))
        let after = try JSONDecoder().decode(QueryResult.self, from: Data(flipped.standardOutput.utf8))
        // Every image is returned with k = 30; merging can only bring images nearer.
        #expect(Set(before.matches.map(\.path)) == Set(after.matches.map(\.path)))
        #expect(after.matches.first?.path == before.matches.first?.path && after.matches.first?.hamming == 0)
        for match in after.matches {
            let plainMatch = try #require(before.matches.first { $0.path == match.path })
            #expect((match.hamming, match.distance) <= (plainMatch.hamming, plainMatch.distance))
        }
        #expect(after.matches.map(\.rank) == Array(1...30))
    }
}
