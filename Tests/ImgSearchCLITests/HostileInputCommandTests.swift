import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ImgSearch
import ImgSearchTestFixtures
import Testing

/// `imgsearch index` on folders nobody curated: damaged copies of
/// synthetic pictures, every damaged file in the shared data (where it is
/// there), odd names and odd kinds of file. Nothing crashes or hangs,
/// every bad file is named with its reason, every good one is indexed.
@Suite struct HostileInputCommandTests {
    struct Summary: Decodable {
        var added = 0, failed = 0
    }

    /// The paths named at the start of `path: reason` lines.
    static func named(_ standardError: String, among files: [String]) -> Set<String> {
        Set(files.filter { standardError.contains($0 + ": ") })
    }

    /// `imgsearch index` of `folder` into a new index in `root`, which must
    /// exit 3 (some files failed): its output, its summary and the files of
    /// `files` its errors name.
    static func index(_ folder: URL, into root: URL, files: [String]) throws -> (CommandResult, Summary, Set<String>) {
        let database = root.appendingPathComponent("index.sqlite").path
        let result = try CommandRunner.run(["index", folder.path, "--db", database, "--json"],
                                           environment: ["IMGSEARCH_MODEL": IndexAndQueryCommandTests.model])
        #expect(result.status == 3)
        let summary = try JSONDecoder().decode(Summary.self, from: Data(result.standardOutput.utf8))
        return (result, summary, named(result.standardError, among: files))
    }

    /// The damage the shared corpus holds, made from synthetic pictures so
    /// that it is checked in a clean checkout too: cut short, emptied,
    /// garbled after the signature, scrambled in the middle, not an image.
    @Test func everyDamagedCopyIsNamedAndEveryGoodOneIndexed() throws {
        let root = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("hostile")
        try SyntheticPhotos.write(0..<6, into: folder) { "good/\($0).jpg" }
        let jpeg = try SyntheticPhotos.jpeg(6), png = try PNGEncoder.encode(SyntheticPhotos.image(7))
        var random = SplitMix64(seed: 13)
        var scrambled = jpeg
        for at in scrambled.count / 3..<scrambled.count / 2 { scrambled[at] = UInt8(truncatingIfNeeded: random.next()) }
        let damaged: [String: [UInt8]] = [
            "half.jpg": Array(jpeg.prefix(jpeg.count / 2)),
            "header-only.jpg": Array(jpeg.prefix(300)),
            "empty.jpg": [],
            "garbage.jpg": [0xFF, 0xD8] + (0..<500).map { _ in UInt8(truncatingIfNeeded: random.next()) },
            "half.png": Array(png.prefix(png.count / 2)),
            "garbage.png": Array(png.prefix(8)) + (0..<500).map { _ in UInt8(truncatingIfNeeded: random.next()) },
            "notes.jpg": Array("not a picture".utf8),
        ]
        for (name, bytes) in damaged {
            try Data(bytes).write(to: folder.appendingPathComponent(name))
        }
        // Scrambled entropy data may decode or fail; either way it is counted and never crashes.
        try Data(scrambled).write(to: folder.appendingPathComponent("scrambled.jpg"))
        let files = FolderWalker.files(under: [folder.path]) { _ in }.map(\.path)
        #expect(files.count == 6 + damaged.count + 1)
        let (result, summary, named) = try Self.index(folder, into: root, files: files)
        #expect(summary.added + summary.failed == files.count)
        #expect(named.count == summary.failed)
        #expect(named.isSuperset(of: damaged.keys.map { folder.appendingPathComponent($0).path }))
        #expect(named.isDisjoint(with: files.filter { $0.contains("/good/") }))
        let errors = result.standardError
        #expect(errors.contains(folder.path + "/half.jpg: corrupt image: Premature end of JPEG file"))
        #expect(errors.contains(folder.path + "/empty.jpg: corrupt image: empty file"))
        #expect(errors.contains(folder.path + "/notes.jpg: unsupported format (not a JPEG, PNG, WebP, GIF, TIFF, BMP, HEIC or AVIF file)"))
        #expect(result.standardError.split(separator: "\n").filter { $0.hasPrefix(folder.path + "/") }.count == summary.failed)
    }

    @Test(.enabled(if: ThumbnailCommandTests.hasData, "needs ../shared/data"))
    func everyDamagedFileIsNamedAndEveryGoodOneIndexed() throws {
        let root = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("hostile")
        let manager = FileManager.default
        try manager.copyItem(at: ThumbnailCommandTests.data.appendingPathComponent("corrupt"), to: folder)
        let pngsuite = ThumbnailCommandTests.data.appendingPathComponent("pngsuite")
        try manager.createDirectory(at: folder.appendingPathComponent("good"), withIntermediateDirectories: true)
        for name in try manager.contentsOfDirectory(atPath: pngsuite.path) where name.hasPrefix("x") {
            try manager.copyItem(at: pngsuite.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        for number in 0..<6 {
            try manager.copyItem(
                at: ThumbnailCommandTests.data.appendingPathComponent("cifar10/train/frog/000\(number).jpg"),
                to: folder.appendingPathComponent("good/\(number).jpg"))
        }
        let files = FolderWalker.files(under: [folder.path]) { _ in }.map(\.path)
        let (result, summary, named) = try Self.index(folder, into: root, files: files)
        #expect(summary.added + summary.failed == files.count)
        #expect(named.count == summary.failed)
        #expect(named.isSuperset(of: files.filter { ($0 as NSString).lastPathComponent.hasPrefix("x") }))
        #expect(named.isDisjoint(with: files.filter { $0.contains("/good/") }))
        // One line per failure, each `<path>: <reason>` (the others are progress lines).
        #expect(result.standardError.split(separator: "\n").filter { $0.hasPrefix(folder.path + "/") }.count == summary.failed)
    }

    @Test func oddNamesAndOddFilesAreIndexedOrNamed() throws {
        let root = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("odd").path
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder + "/x.jpg", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
        try SyntheticPhotos.writeJPEG(0, to: URL(fileURLWithPath: folder + "/with space.jpg"))
        try SyntheticPhotos.writeJPEG(1, to: URL(fileURLWithPath: folder + "/new\nline.jpg"))
        try SyntheticPhotos.writeJPEG(2, to: URL(fileURLWithPath: folder + "/x.jpg/inside.jpg"))
        let latin1 = Array((folder + "/caf").utf8) + [0xE9] + Array(".jpg".utf8) + [0]
        let latin1File = latin1.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { creat($0.baseAddress!, 0o644) }
        }
        #expect(latin1File >= 0)
        close(latin1File)
        #expect(manager.createFile(atPath: folder + "/empty.jpg", contents: Data()))
        try manager.createSymbolicLink(atPath: folder + "/loop1.jpg", withDestinationPath: "loop2.jpg")
        try manager.createSymbolicLink(atPath: folder + "/loop2.jpg", withDestinationPath: "loop1.jpg")
        try manager.createSymbolicLink(atPath: folder + "/sub/up", withDestinationPath: "..")
        try manager.createSymbolicLink(atPath: folder + "/dangling.jpg", withDestinationPath: "nowhere.jpg")
        #expect(mkfifo(folder + "/pipe.jpg", 0o644) == 0)
        let database = root.appendingPathComponent("index.sqlite").path

        let result = try CommandRunner.run(["index", folder, "--db", database, "--json"],
                                           environment: ["IMGSEARCH_MODEL": IndexAndQueryCommandTests.model])
        #expect(result.status == 3)
        let errors = result.standardError
        #expect(errors.contains(folder + "/caf\\xe9.jpg: file name is not valid UTF-8; skipped"))
        #expect(errors.contains(folder + "/empty.jpg: corrupt image: empty file"))
        #expect(errors.contains(folder + "/loop1.jpg: Too many levels of symbolic links"))
        #expect(errors.contains(folder + "/loop2.jpg: Too many levels of symbolic links"))
        #expect(errors.contains(folder + "/dangling.jpg: No such file or directory"))
        let summary = try JSONDecoder().decode(Summary.self, from: Data(result.standardOutput.utf8))
        #expect(summary.added == 3 && summary.failed == 5)

        let found = try CommandRunner.run(["query", "--db", database, "--json", "-k", "3", folder + "/with space.jpg"])
        #expect(found.status == 0)
        let matches = try JSONDecoder().decode(QueryResult.self, from: Data(found.standardOutput.utf8)).matches.map(\.path)
        #expect(Set(matches) == [folder + "/with space.jpg", folder + "/new\nline.jpg", folder + "/x.jpg/inside.jpg"])

        // Querying a FIFO or a folder fails at once, naming it.
        let pipe = try CommandRunner.run(["query", "--db", database, folder + "/pipe.jpg"])
        #expect(pipe.status == 1 && pipe.standardError == "Error: \(folder)/pipe.jpg: cannot read file: is not a regular file\n")
        let directory = try CommandRunner.run(["query", "--db", database, folder + "/x.jpg"])
        #expect(directory.status == 1 && directory.standardError == "Error: \(folder)/x.jpg: cannot read file: is a directory\n")
    }

    @Test func aMissingFolderIsExitStatusOneAndRemovesNothing() throws {
        let (folder, database) = try IndexAndQueryCommandTests.workspace(count: 3)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let environment = ["IMGSEARCH_MODEL": IndexAndQueryCommandTests.model]
        #expect(try CommandRunner.run(["index", folder.path, "--db", database], environment: environment).status == 0)
        let moved = folder.deletingLastPathComponent().appendingPathComponent("unmounted")
        try FileManager.default.moveItem(at: folder, to: moved)

        let result = try CommandRunner.run(["index", folder.path, "--db", database], environment: environment)
        #expect(result.status == 1)
        #expect(result.standardError == "Error: \(folder.path): No such file or directory (nothing to index)\n")
        let info = try CommandRunner.run(["info", "--db", database, "--json"])
        #expect(try JSONDecoder().decode(IndexInfo.self, from: Data(info.standardOutput.utf8)).images == 3)
    }
}
