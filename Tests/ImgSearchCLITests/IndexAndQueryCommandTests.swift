import Foundation
import ImgSearch
import ImgSearchTestFixtures
import Testing

/// `imgsearch index` and `imgsearch query` end to end, on a temporary
/// folder of synthetic JPEGs and a temporary database, with the shipped
/// default model.
@Suite struct IndexAndQueryCommandTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let model = repository.appendingPathComponent("index/default-model.isae").path

    struct Summary: Decodable, Equatable {
        var added = 0, updated = 0, unchanged = 0, moved = 0, removed = 0, failed = 0
    }

    /// A folder of `count` synthetic JPEGs of three classes, and a database
    /// path beside it: `<class>-<number>.jpg` for even numbers,
    /// `nested/<class>-<number>.jpg` for odd ones, the class `number % 3`.
    static func workspace(count: Int) throws -> (folder: URL, database: String) {
        let root = try CommandRunner.temporaryFolder()
        let folder = root.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("nested"), withIntermediateDirectories: true)
        let classes = ["airplane", "cat", "ship"]
        for number in 0..<count {
            let name = (number % 2 == 0 ? "" : "nested/") + "\(classes[number % 3])-\(number).jpg"
            try SyntheticPhotos.writeJPEG(number, label: number % 3, to: folder.appendingPathComponent(name))
        }
        return (folder, root.appendingPathComponent("index.sqlite").path)
    }

    func index(_ folder: URL, database: String) throws -> (summary: Summary, result: CommandResult) {
        let result = try CommandRunner.run(["index", folder.path, "--db", database, "--json"],
                                           environment: ["IMGSEARCH_MODEL": Self.model])
        let summary = try JSONDecoder().decode(Summary.self, from: Data(result.standardOutput.utf8))
        return (summary, result)
    }

    @Test func indexesIncrementallyAndReportsEachChange() throws {
        let (folder, database) = try Self.workspace(count: 24)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }

        let first = try index(folder, database: database)
        #expect(first.result.status == 0)
        #expect(first.summary == Summary(added: 24))
        #expect(try index(folder, database: database).summary == Summary(unchanged: 24))

        let manager = FileManager.default
        let file = { (name: String) in folder.appendingPathComponent(name).path }
        try manager.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 30)], ofItemAtPath: file("airplane-0.jpg"))
        try manager.removeItem(atPath: file("cat-4.jpg"))
        try manager.moveItem(atPath: file("nested/ship-5.jpg"), toPath: file("ship-moved.jpg"))
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: file("notes.jpg")))

        let changed = try index(folder, database: database)
        #expect(changed.summary == Summary(unchanged: 22, moved: 1, removed: 1, failed: 1))
        #expect(changed.result.status == 3)
        #expect(changed.result.standardError.contains("\(file("notes.jpg")): unsupported format (not a JPEG, PNG, WebP, GIF, TIFF, BMP, HEIC or AVIF file)"))
    }

    @Test func everyIndexedImageFindsItselfAtRankOne() throws {
        let (folder, database) = try Self.workspace(count: 30)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        #expect(try index(folder, database: database).result.status == 0)

        let images = FolderWalker.files(under: [folder.path]) { _ in }.map(\.path)
        let html = folder.deletingLastPathComponent().appendingPathComponent("results.html").path
        let result = try CommandRunner.run(["query", "--db", database, "--json", "-k", "3", "--html", html] + images)
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count == images.count)
        for (line, image) in zip(lines, images) {
            let decoded = try JSONDecoder().decode(QueryResult.self, from: Data(line.utf8))
            #expect(decoded.query == image)
            #expect(decoded.matches.count == 3)
            #expect(decoded.matches.first?.hamming == 0)
            #expect(decoded.matches.first?.rank == 1)
            // An exact twin would tie at distance 0 and might come first, so
            // check the image is among the distance-0 matches.
            #expect(decoded.matches.contains { $0.path == image && $0.hamming == 0 && $0.distance == 0 })
        }
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.components(separatedBy: "<figure").count - 1 == images.count * 4)
    }

    @Test func queryFailuresAndBadArgumentsHaveTheirExitCodes() throws {
        let (folder, database) = try Self.workspace(count: 3)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }

        let noIndex = try CommandRunner.run(["query", "--db", database, folder.appendingPathComponent("cat-1.jpg").path])
        #expect(noIndex.status == 1)
        #expect(noIndex.standardError.contains("no index here"))

        #expect(try index(folder, database: database).result.status == 0)
        let missing = try CommandRunner.run(["query", "--db", database, "/nonexistent.jpg"])
        #expect(missing.status == 1)
        #expect(missing.standardError == "Error: /nonexistent.jpg: cannot read file: No such file or directory\n")

        let badK = try CommandRunner.run(["query", "--db", database, "-k", "0", "x.jpg"])
        #expect(badK.status == 64)
        let both = try CommandRunner.run(["query", "--db", database, "--json", "--paths", "x.jpg"])
        #expect(both.status == 64)

        let paths = try CommandRunner.run(["query", "--db", database, "--paths", "-k", "2", folder.appendingPathComponent("airplane-0.jpg").path])
        #expect(paths.status == 0)
        #expect(paths.standardOutput.split(separator: "\n").count == 2)
    }
}

extension IndexAndQueryCommandTests {
    @Test func infoDescribesTheIndexAsJSON() throws {
        let (folder, database) = try Self.workspace(count: 9)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        #expect(try index(folder, database: database).result.status == 0)
        let result = try CommandRunner.run(["info", "--db", database, "--json"])
        #expect(result.status == 0)
        let info = try JSONDecoder().decode(IndexInfo.self, from: Data(result.standardOutput.utf8))
        #expect(info.images == 9)
        #expect(info.bits == 30 && info.onesShare.count == 30)
        // The default model's first layer takes the thumbnail features: 576
        // histogram values at each of two scales and 192 colour values.
        #expect(info.modelLayers.first == 2 * 576 + 192 && info.modelLayers.last == 30)
        #expect(info.occupiedBuckets >= 1 && info.largestBucket >= 1)
    }
}
