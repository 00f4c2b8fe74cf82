import Foundation
import ImgSearch
import Testing

/// What the commands say when the database or the model file is damaged or
/// too new: exit status 1 and one `Error: <file>: <reason>` line, never a crash.
@Suite struct StorageFaultCommandTests {
    let environment = ["IMGSEARCH_MODEL": IndexAndQueryCommandTests.model]

    /// A workspace with a database of 3 images, closed (so its WAL is
    /// checkpointed into the main file and the bytes below are all there is).
    func indexed() throws -> (folder: URL, database: String) {
        let (folder, database) = try IndexAndQueryCommandTests.workspace(count: 3)
        #expect(try CommandRunner.run(["index", folder.path, "--db", database], environment: environment).status == 0)
        return (folder, database)
    }

    /// Overwrites bytes of `file` at `offset`.
    func overwrite(_ file: String, at offset: UInt64, with bytes: [UInt8]) throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: file))
        defer { try? handle.close() }
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: Data(bytes))
    }

    @Test func aDatabaseFromANewerImgsearchNamesBothVersions() throws {
        let (folder, database) = try indexed()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        // PRAGMA user_version is the big-endian 32-bit number at byte 60.
        try overwrite(database, at: 60, with: [0, 0, 0, 9])
        for arguments in [["query", folder.appendingPathComponent("cat-1.jpg").path], ["info"], ["index", folder.path]] {
            let result = try CommandRunner.run(arguments + ["--db", database], environment: environment)
            #expect(result.status == 1)
            #expect(result.standardError == "Error: \(database): the index has schema version 9, but this imgsearch understands versions up to 4. "
                + "HINT: use the imgsearch that created it, or a newer one.\n")
        }
    }

    @Test(arguments: [
        (0, "file is not a database"),  // the header's magic string
        (100, "malformed"),             // the schema table's page after the header
    ])
    func aDamagedDatabaseIsAClearError(offset: Int, reason: String) throws {
        let (folder, database) = try indexed()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        try overwrite(database, at: UInt64(offset), with: [UInt8](repeating: 0xA5, count: 3000))
        for arguments in [["query", folder.appendingPathComponent("cat-1.jpg").path], ["info"], ["index", folder.path]] {
            let result = try CommandRunner.run(arguments + ["--db", database], environment: environment)
            #expect(result.status == 1, "\(arguments[0])")
            #expect(result.standardError.hasPrefix("Error: \(database): SQLite error "), "\(arguments[0])")
            #expect(result.standardError.contains(reason), "\(arguments[0])")
            #expect(result.standardError.contains("HINT: the file is damaged"), "\(arguments[0])")
        }
    }

    @Test func aTruncatedOrMissingModelFileIsNamed() throws {
        let (folder, database) = try IndexAndQueryCommandTests.workspace(count: 2)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: IndexAndQueryCommandTests.model))
        let truncated = folder.deletingLastPathComponent().appendingPathComponent("truncated.isae").path
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))

        let cut = try CommandRunner.run(["index", folder.path, "--db", database], environment: ["IMGSEARCH_MODEL": truncated])
        #expect(cut.status == 1)
        #expect(cut.standardError.hasPrefix("Error: \(truncated): truncated: the header promises"))

        // A model asked for by name is never silently replaced by the default.
        let missing = folder.deletingLastPathComponent().appendingPathComponent("missing.isae").path
        let absent = try CommandRunner.run(["index", folder.path, "--db", database], environment: ["IMGSEARCH_MODEL": missing])
        #expect(absent.status == 1)
        #expect(absent.standardError.hasPrefix("Error: \(missing): cannot read the model file"))
    }
}
