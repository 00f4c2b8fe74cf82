import Foundation
import Testing
@testable import ImgSearch

@Suite struct QueryResultTests {
    @Test func encodesToTheDocumentedJSON() throws {
        let result = QueryResult(query: "/q.jpg", matches: [
            QueryMatch(rank: 1, path: "/a.jpg", hamming: 0, distance: 0.5, variant: .image),
            QueryMatch(rank: 2, path: "/b.jpg", hamming: 1, distance: 2, variant: .turned90),
            QueryMatch(rank: 3, path: "/c.jpg", hamming: 6, distance: 3),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(result), as: UTF8.self)
        #expect(json == #"{"query":"\/q.jpg","results":[{"distance":0.5,"hamming":0,"path":"\/a.jpg","rank":1,"variant":"image"},"#
            + #"{"distance":2,"hamming":1,"path":"\/b.jpg","rank":2,"variant":"turned-90"},{"distance":3,"hamming":6,"path":"\/c.jpg","rank":3}]}"#)
        #expect(try JSONDecoder().decode(QueryResult.self, from: Data(json.utf8)) == result)
    }

    @Test func theHTMLPageEmbedsPicturesAndEscapesPaths() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let picture = folder.appendingPathComponent("red.png").path
        let image = RGBImage(width: 2, height: 2, pixels: Array(repeating: [255, 0, 0], count: 4).flatMap { $0 })
        try Data(try PNGEncoder.encode(image)).write(to: URL(fileURLWithPath: picture))
        let hostile = folder.appendingPathComponent("<script>alert(1)</script>.jpg").path

        let page = HTMLReport.render([QueryResult(query: picture, matches: [
            QueryMatch(rank: 1, path: picture, hamming: 0, distance: 0),
            QueryMatch(rank: 2, path: hostile, hamming: 3, distance: 1.25),
        ])], thumbnailSide: 16)
        #expect(page.components(separatedBy: "src=\"data:image/png;base64,").count - 1 == 2)
        #expect(!page.contains("<script>"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;.jpg: cannot read file: No such file or directory"))
        #expect(page.contains("#2 · Hamming 3 · distance 1.250"))
    }
}
