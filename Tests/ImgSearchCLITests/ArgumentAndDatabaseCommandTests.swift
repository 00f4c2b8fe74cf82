import Foundation
import Testing

/// Bad numbers and bad `--db` paths are usage errors that say what is
/// wrong, and a command that fails before writing anything leaves no
/// database, folder or lock file behind (issue 19).
@Suite struct ArgumentAndDatabaseCommandTests {
    let environment = ["IMGSEARCH_MODEL": IndexAndQueryCommandTests.model]

    /// Every entry the folder holds, hidden ones included.
    func entries(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test(arguments: [
        (["query", "a.jpg", "-k", "-3"], "-k must be at least 1, not -3"),
        (["query", "a.jpg", "-k", "0"], "-k must be at least 1, not 0"),
        (["query", "a.jpg", "--radius", "-2"], "--radius must not be negative, not -2"),
        (["query", "a.jpg", "--rerank", "-1"], "--rerank must be 0 ... 100000, not -1"),
        (["index", "photos", "--jobs", "-1"], "--jobs must be 1 ... 256, not -1"),
        (["index", "photos", "--jobs", "100000"], "--jobs must be 1 ... 256, not 100000"),
        (["dupes", "--jobs", "0"], "--jobs must be 1 ... 256, not 0"),
        (["thumbnail", "a.jpg", "-o", "t.png", "--size", "-5"], "--size must be between 1 and 4096, not -5"),
        (["index", "photos", "--db", ""], "--db must name a database file, not an empty path"),
        (["query", "a.jpg", "--db", "/tmp"], "--db /tmp is a folder"),
    ])
    func aBadArgumentIsAUsageErrorThatSaysWhatIsWrong(arguments: [String], message: String) throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CommandRunner.run(arguments, environment: environment, in: folder)
        #expect(result.status == 64, "\(arguments)")
        #expect(result.standardError.contains(message), "\(arguments): \(result.standardError)")
        #expect(!result.standardError.contains("Missing value"), "\(arguments)")
        #expect(try entries(folder).isEmpty, "\(arguments) left files behind")
    }

    @Test func indexingNothingCreatesNoDatabase() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CommandRunner.run(["index", "--db", "x.db", "/nonexistent"], environment: environment, in: folder)
        #expect(result.status == 1)
        #expect(result.standardError.contains("/nonexistent: no such file or folder (nothing to index; no index was created)"))
        #expect(try entries(folder).isEmpty)
    }

    @Test func aDatabaseInAFolderThatDoesNotExistIsAnErrorNotANewFolder() throws {
        let (photos, _) = try IndexAndQueryCommandTests.workspace(count: 2)
        let root = photos.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try CommandRunner.run(["index", "--db", "no/such/x.db", photos.path], environment: environment, in: root)
        #expect(result.status == 1)
        #expect(result.standardError.contains("no/such/x.db: the folder no/such does not exist"))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("no").path))
    }

    @Test func aNewDatabaseAppearsWholeAndAFailedCreationLeavesNothing() throws {
        let (photos, _) = try IndexAndQueryCommandTests.workspace(count: 2)
        let root = photos.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: root) }
        let store = root.appendingPathComponent("store")
        try FileManager.default.createDirectory(at: store, withIntermediateDirectories: true)
        // A model file that is not one: the creation fails before the index exists.
        let broken = root.appendingPathComponent("broken.isae")
        try Data("not a model".utf8).write(to: broken)
        let failed = try CommandRunner.run(["index", "--db", "store/x.db", photos.path],
                                           environment: ["IMGSEARCH_MODEL": broken.path], in: root)
        #expect(failed.status == 1)
        let left = try entries(store)
        #expect(left.isEmpty, "a failed creation left \(left)")
        // Made with a good model, the folder holds the database (and its
        // lock), and no temporary file.
        let made = try CommandRunner.run(["index", "--db", "store/x.db", photos.path], environment: environment, in: root)
        #expect(made.status == 0)
        #expect(try entries(store).filter { $0.contains("creating") }.isEmpty)
        #expect(try entries(store).contains("x.db"))
        let query = try CommandRunner.run(["query", "--db", "store/x.db", photos.appendingPathComponent("airplane-0.jpg").path], in: root)
        #expect(query.status == 0, "\(query.standardError)")
    }
}
