import Foundation
import ImgSearch
import ImgSearchTestFixtures
import Testing

/// `index` and `info` count files per format and skipped files per reason,
/// on a folder of fixtures written at test time (no ../shared).
@Suite struct FormatCountsCommandTests {
    /// The fields `index --json` had before the counts, which must stay, and the two added.
    struct Summary: Decodable {
        var added: Int, updated: Int, unchanged: Int, moved: Int, removed: Int, failed: Int, seconds: Double
        var formats: [String: Int], skipped: [String: Int]
    }

    static func workspace() throws -> (root: URL, folder: URL, database: String) {
        let root = try CommandRunner.temporaryFolder()
        let folder = root.appendingPathComponent("mixed")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try MixedFormatFolder.write(into: folder)
        return (root, folder, root.appendingPathComponent("index.sqlite").path)
    }

    static let expectedFormats = MixedFormatFolder.formats.values.reduce(into: [String: Int]()) { $0[$1.rawValue, default: 0] += 1 }
    static let expectedSkipped = MixedFormatFolder.skipped.values.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }

    @Test func indexJSONCountsFormatsAndSkippedReasonsAndStillNamesEachFailure() throws {
        let (root, folder, database) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try CommandRunner.run(["index", folder.path, "--db", database, "--json"],
                                           environment: ["IMGSEARCH_MODEL": IndexAndQueryCommandTests.model])
        #expect(result.status == 3, "\(result.standardError)")
        let summary = try JSONDecoder().decode(Summary.self, from: Data(result.standardOutput.utf8))
        #expect(summary.added == MixedFormatFolder.formats.count && summary.failed == MixedFormatFolder.skipped.count)
        #expect(summary.formats == Self.expectedFormats)
        #expect(summary.skipped == Self.expectedSkipped)
        for name in MixedFormatFolder.skipped.keys {
            #expect(result.standardError.contains(folder.appendingPathComponent(name).path + ": "), "\(name)")
        }
        #expect(result.standardError.contains("cut.webp: corrupt image:"))
    }

    @Test func theTableAndInfoShowTheCountsAndTheLastRunsSkippedFiles() throws {
        let (root, folder, database) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let index = try CommandRunner.run(["index", folder.path, "--db", database],
                                          environment: ["IMGSEARCH_MODEL": IndexAndQueryCommandTests.model])
        #expect(index.status == 3)
        #expect(index.standardOutput.contains("decoded by format: jpeg 1, png 1, webp 1, gif 1, tiff 1\n"), "\(index.standardOutput)")
        #expect(index.standardOutput.contains("skipped by reason: unsupported format 2, corrupt 1\n"), "\(index.standardOutput)")

        let table = try CommandRunner.run(["info", "--db", database])
        #expect(table.status == 0)
        #expect(table.standardOutput.contains("formats:   jpeg 1, png 1, webp 1, gif 1, tiff 1\n"), "\(table.standardOutput)")
        #expect(table.standardOutput.contains("skipped 3: unsupported format 2, corrupt 1\n"), "\(table.standardOutput)")
        #expect(!table.standardOutput.contains("unknown"))

        let json = try CommandRunner.run(["info", "--db", database, "--json"])
        let info = try JSONDecoder().decode(IndexInfo.self, from: Data(json.standardOutput.utf8))
        #expect(info.images == MixedFormatFolder.formats.count)
        #expect(info.formats == Self.expectedFormats)
        #expect(info.lastIndexRun?.summary.skipped == Self.expectedSkipped)
        #expect(info.lastIndexRun?.folders.count == 1)
    }
}
