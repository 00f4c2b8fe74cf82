import Foundation
import Testing

/// A file name with a newline in it is one result, not two lines (issue 19).
@Suite struct PathOutputCommandTests {
    @Test func aNewlineInAFileNameIsEscapedOrNULSeparated() throws {
        let (photos, database) = try IndexAndQueryCommandTests.workspace(count: 3)
        defer { try? FileManager.default.removeItem(at: photos.deletingLastPathComponent()) }
        let odd = photos.appendingPathComponent("two\nlines\\x.jpg")
        try FileManager.default.moveItem(at: photos.appendingPathComponent("airplane-0.jpg"), to: odd)
        let index = try CommandRunner.run(["index", photos.path, "--db", database],
                                          environment: ["IMGSEARCH_MODEL": IndexAndQueryCommandTests.model])
        #expect(index.status == 0, "\(index.standardError)")

        let escaped = try CommandRunner.run(["query", "--db", database, "--paths", "-k", "1", odd.path])
        #expect(escaped.status == 0)
        #expect(escaped.standardOutput == photos.path + "/two\\nlines\\\\x.jpg\n")
        let table = try CommandRunner.run(["query", "--db", database, "-k", "1", odd.path])
        #expect(table.standardOutput.split(separator: "\n").count == 2, "header and one result: \(table.standardOutput)")
        let raw = try CommandRunner.run(["query", "--db", database, "-0", "-k", "3", odd.path])
        let fields = raw.standardOutput.split(separator: "\0", omittingEmptySubsequences: false)
        #expect(fields.count == 4 && fields.last == "", "three paths, each ended by NUL")
        #expect(fields.first.map(String.init) == odd.path)
    }
}
