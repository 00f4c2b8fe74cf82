import Foundation
import Testing

/// The real test data in `../shared/data`, relative to the repository root.
///
/// Tests that need it carry `.enabled(if: SharedData.isAvailable, ...)` so
/// the package still tests, with those tests reported as skipped, on a
/// machine without the shared folder. CI always has it.
enum SharedData {
    /// `../shared/data` resolved against the repository root, found from
    /// this file's location (`Tests/ImgSearchTests/SharedData.swift`).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // ImgSearchTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("../shared/data")
        .standardizedFileURL

    /// Whether `../shared/data` exists on this machine.
    static let isAvailable: Bool = FileManager.default.fileExists(atPath: root.path)

    /// The message a skipped test shows.
    static let skipMessage: Comment = "needs ../shared/data (the shared test data beside the repository)"

    /// The folder `relativePath` inside the shared data.
    static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// Files directly in `relativePath` (not recursive) whose extension is
    /// one of `extensions` (lower-cased comparison), sorted by name.
    static func files(in relativePath: String, extensions: Set<String>) -> [URL] {
        let folder = url(relativePath)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted()
            .filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }
            .map { folder.appendingPathComponent($0) }
    }

    /// Every file below `relativePath`, recursively, with one of `extensions`.
    static func filesRecursively(in relativePath: String, extensions: Set<String>) -> [URL] {
        let folder = url(relativePath)
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var found: [URL] = []
        while let name = walker.nextObject() as? String {
            if extensions.contains((name as NSString).pathExtension.lowercased()) {
                found.append(folder.appendingPathComponent(name))
            }
        }
        return found.sorted { $0.path < $1.path }
    }
}
