import Foundation
import Testing
@testable import ImgSearch

@Suite struct FolderWalkerTests {
    /// A fresh folder with `files` (relative paths) holding their own names.
    static func makeTree(_ files: [String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-walk-\(UUID().uuidString)").path
        for file in files {
            let path = root + "/" + file
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(file.utf8).write(to: URL(fileURLWithPath: path))
        }
        return root
    }

    @Test func listsRegularFilesRecursivelyInNameOrder() throws {
        let root = try Self.makeTree(["b.jpg", "a/z.png", "a/c/d.jpg", "a.txt"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        var errors: [WalkError] = []
        let files = FolderWalker.files(under: [root]) { errors.append($0) }
        let real = try #require(FileManager.default.destinationOfSymbolicLinkIfPresent(root))
        #expect(files.map(\.path) == ["a.txt", "b.jpg", "a/z.png", "a/c/d.jpg"].map { real + "/" + $0 })
        #expect(files.first?.size == 5)
        #expect(errors.isEmpty)
    }

    @Test func symlinkLoopsAndDoubleLinksAreWalkedOnce() throws {
        let root = try Self.makeTree(["photos/one.jpg", "photos/deep/two.jpg"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createSymbolicLink(atPath: root + "/photos/deep/loop", withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: root + "/again", withDestinationPath: root + "/photos")
        try FileManager.default.createSymbolicLink(atPath: root + "/dangling.jpg", withDestinationPath: root + "/nowhere.jpg")
        var errors: [WalkError] = []
        let files = FolderWalker.files(under: [root, root + "/photos"]) { errors.append($0) }
        // "again" sorts before "photos", so the files are found through the link first.
        #expect(files.count == 2)
        #expect(Set(files.map { ($0.path as NSString).lastPathComponent }) == ["one.jpg", "two.jpg"])
        #expect(errors.map(\.reason) == ["No such file or directory"])
        #expect(errors.first?.path.hasSuffix("/dangling.jpg") == true)
    }

    @Test func aFolderNamedLikeAnImageIsAFolderAndOddNamesAreReported() throws {
        let root = try Self.makeTree(["x.jpg/inside.jpg", "with space.jpg", "new\nline.jpg"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        // A name that is not UTF-8 (Latin-1 "é"), made with POSIX calls.
        let invalid = Array((root + "/caf").utf8) + [0xE9] + Array(".jpg".utf8) + [0]
        let descriptor = invalid.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644) }
        #expect(descriptor >= 0)
        close(descriptor)

        var errors: [WalkError] = []
        let names = FolderWalker.files(under: [root]) { errors.append($0) }.map { ($0.path as NSString).lastPathComponent }
        #expect(names == ["new\nline.jpg", "with space.jpg", "inside.jpg"])
        #expect(errors.count == 1)
        #expect(errors.first?.path.hasSuffix("/caf\\xe9.jpg") == true)
        #expect(errors.first?.reason == "file name is not valid UTF-8; skipped")
    }

    @Test func aMissingRootIsReportedAndAFileRootIsListed() throws {
        let root = try Self.makeTree(["only.jpg"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        var errors: [WalkError] = []
        let files = FolderWalker.files(under: [root + "/gone", root + "/only.jpg"]) { errors.append($0) }
        #expect(files.count == 1)
        #expect(errors == [WalkError(path: root + "/gone", reason: "No such file or directory", leavesContentsUnknown: true)])
    }
}

extension FileManager {
    /// The real path of `path` (the temporary folder may itself be a link).
    func destinationOfSymbolicLinkIfPresent(_ path: String) -> String? {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }
}
