import Foundation
import Testing
@testable import ImgSearch

/// `imgsearch check` and `imgsearch repair` on an index whose hash block
/// was damaged where SQLite cannot see it: the exit statuses the help
/// promises, and queries refused until the repair (issue 19).
@Suite struct CheckAndRepairCommandTests {
    let environment = ["IMGSEARCH_MODEL": IndexAndQueryCommandTests.model]

    @Test func checkFindsTheDamageQueryRefusesItAndRepairMendsIt() throws {
        let (photos, database) = try IndexAndQueryCommandTests.workspace(count: 6)
        defer { try? FileManager.default.removeItem(at: photos.deletingLastPathComponent()) }
        #expect(try CommandRunner.run(["index", photos.path, "--db", database], environment: environment).status == 0)
        let sound = try CommandRunner.run(["check", "--db", database])
        #expect(sound.status == 0 && sound.standardOutput.contains("no damage found"), "\(sound.standardOutput)")

        // Flip bytes inside the hash block's blob, found by its contents.
        let hashes: [UInt8] = try {
            let connection = try SQLiteConnection(path: database, readOnly: true)
            let select = try connection.prepare("SELECT ids || hashes FROM hash_blocks")
            #expect(try select.step())
            return select.blob(0)
        }()
        var file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: database)))
        let probe = Array(hashes.suffix(16))
        let at = try #require((0...(file.count - probe.count)).first { Array(file[$0..<$0 + probe.count]) == probe })
        for offset in 0..<8 { file[at + offset] ^= 0xFF }
        try Data(file).write(to: URL(fileURLWithPath: database))

        let query = try CommandRunner.run(["query", "--db", database, photos.appendingPathComponent("airplane-0.jpg").path])
        #expect(query.status == 1)
        #expect(query.standardError.contains("\(database): the index is damaged: hash block 0"))
        let damaged = try CommandRunner.run(["check", "--db", database, "--json"])
        #expect(damaged.status == 2)
        let report = try JSONDecoder().decode(IndexCheckReport.self, from: Data(damaged.standardOutput.utf8))
        #expect(report.damagedBlocks == [0] && report.storageCheck == ["ok"])
        let index = try CommandRunner.run(["index", photos.path, "--db", database], environment: environment)
        #expect(index.status == 1 && index.standardError.contains("the index is damaged"))

        let repair = try CommandRunner.run(["repair", "--db", database])
        #expect(repair.status == 0, "\(repair.standardError)")
        #expect(repair.standardOutput.contains("repaired: 1 hash blocks rebuilt"))
        #expect(try CommandRunner.run(["check", "--db", database]).status == 0)
        let after = try CommandRunner.run(["query", "--db", database, "--paths", "-k", "1", photos.appendingPathComponent("airplane-0.jpg").path])
        #expect(after.status == 0 && after.standardOutput == photos.appendingPathComponent("airplane-0.jpg").path + "\n")
    }
}
