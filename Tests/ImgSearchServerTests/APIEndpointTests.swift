import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ImgSearch
import ImgSearchServer
import Testing

/// Every endpoint of docs/api.md against the real server on an ephemeral loopback port.
@Suite struct APIEndpointTests {
    @Test func everyEndpointAnswersAsDocumented() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        let app = try fixture.server().makeApplication()
        try await app.test(.live) { client in
            // Info and status.
            let info = try await client.execute(uri: "/api/info", method: .get)
            #expect(info.status == .ok)
            #expect(info.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(info.headers[HTTPField.Name("X-Request-Id")!]?.isEmpty == false)
            #expect((try json(info)["images"] as? Int) == 13)
            #expect((try json(info)["bits"] as? Int) == 30)
            let status = try json(try await client.execute(uri: "/api/status", method: .get))
            #expect(status["images"] as? Int == 13)
            #expect(status["indexing"] is NSNull)

            // Paged listing, ids ascending, and one image.
            let first = try json(try await client.execute(uri: "/api/images?limit=5", method: .get))
            #expect(first["total"] as? Int == 13)
            let firstIDs = ids(first["images"])
            #expect(firstIDs.count == 5 && firstIDs == firstIDs.sorted())
            let rest = try json(try await client.execute(uri: "/api/images?offset=5&limit=100", method: .get))
            #expect(ids(rest["images"]).count == 8)
            #expect(Set(firstIDs).isDisjoint(with: ids(rest["images"])))
            let listed = (first["images"] as? [[String: Any]])?.first
            let id = try #require(firstIDs.first)
            let one = try json(try await client.execute(uri: "/api/images/\(id)", method: .get))
            #expect(one["path"] as? String == listed?["path"] as? String)
            #expect(one["format"] as? String == "jpeg")
            let path = try #require(one["path"] as? String)

            // Similar by id: the image itself first, at distance 0, with ids and paths.
            let similar = try json(try await client.execute(uri: "/api/images/\(id)/similar?k=4", method: .get))
            #expect(similar["queryId"] as? Int == Int(id))
            #expect(similar["query"] as? String == path)
            #expect(similar["searchMilliseconds"] is NSNumber)
            let results = try #require(similar["results"] as? [[String: Any]])
            #expect(results.count == 4)
            #expect(ids(results).first == id)
            #expect(results.first?["hamming"] as? Int == 0)
            #expect(results.first?["path"] as? String == path)
            // Asking for the mirrored copy decodes the file and still finds it first.
            let flipped = try json(try await client.execute(uri: "/api/images/\(id)/similar?k=2&flip=true", method: .get))
            #expect(ids(flipped["results"]).first == id)

            // A thumbnail that fits the size asked for, cached by its tag.
            let thumbnail = try await client.execute(uri: "/api/images/\(id)/thumbnail?size=40", method: .get)
            #expect(thumbnail.status == .ok)
            #expect(thumbnail.headers[.contentType] == "image/jpeg")
            let decoded = try ImageDecoder.decode(Array(thumbnail.body.readableBytesView), path: "thumbnail")
            #expect(decoded.format == .jpeg && max(decoded.width, decoded.height) == 40)
            let tag = try #require(thumbnail.headers[.eTag])
            let again = try await client.execute(uri: "/api/images/\(id)/thumbnail?size=40", method: .get, headers: [.ifNoneMatch: tag])
            #expect(again.status == .notModified)

            // Search by upload, as the raw body and as a multipart form: the file is found at distance 0.
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            let raw = try await client.execute(uri: "/api/search?k=3", method: .post, headers: [.contentType: "image/jpeg"],
                                               body: ByteBuffer(bytes: bytes))
            #expect(raw.status == .ok)
            let rawResults = try #require(try json(raw)["results"] as? [[String: Any]])
            #expect(rawResults.contains { $0["path"] as? String == path && $0["hamming"] as? Int == 0 })
            #expect(try json(raw)["queryId"] == nil)
            let boundary = "imgsearch-test-boundary"
            var form = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n".utf8)
            form += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"image\"; filename=\"mine.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n".utf8)
            form += bytes + Data("\r\n--\(boundary)--\r\n".utf8)
            let multipart = try await client.execute(
                uri: "/api/search?k=3&flip=false&rotations=false", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: ByteBuffer(bytes: form))
            #expect(multipart.status == .ok)
            #expect(try json(multipart)["query"] as? String == "mine.jpg")
            #expect(ids(try json(multipart)["results"]).first.map { Set(ids(rawResults)).contains($0) } == true)

            // Duplicates: the byte copy and its original, by id and path.
            let duplicates = try json(try await client.execute(uri: "/api/duplicates", method: .get))
            let groups = try #require(duplicates["groups"] as? [[String: Any]])
            let names = groups.map { Set(($0["paths"] as? [String] ?? []).map { ($0 as NSString).lastPathComponent }) }
            #expect(names.contains(["0003.jpg", "copy.jpg"]))
            #expect(groups.allSatisfy { ($0["ids"] as? [Any])?.count == ($0["paths"] as? [Any])?.count })

            // The page, self-contained: nothing fetched from another host.
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            let html = String(buffer: page.body)
            #expect(html.lowercased().hasPrefix("<!doctype html"))
            #expect(!html.contains("http://") && !html.contains("https://"))
        }
    }

    @Test func errorsAreJSONWithTheStatusThatFits() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        let app = try fixture.server(ServerConfiguration(port: 0, uploadLimit: 4096)).makeApplication()
        try await app.test(.live) { client in
            func expectError(_ uri: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:], body: [UInt8]? = nil,
                             status: HTTPResponse.Status, mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
                #expect(response.status == status, "\(uri): \(String(buffer: response.body))", sourceLocation: sourceLocation)
                let detail = try errorDetail(response)
                #expect(detail["status"] as? Int == status.code, sourceLocation: sourceLocation)
                #expect((detail["message"] as? String)?.contains(text) == true, "\(detail)", sourceLocation: sourceLocation)
                #expect((detail["requestId"] as? String) == response.headers[HTTPField.Name("X-Request-Id")!], sourceLocation: sourceLocation)
            }
            try await expectError("/api/images/999999", status: .notFound, mentioning: "no indexed image has id 999999")
            try await expectError("/api/images/999999/similar", status: .notFound, mentioning: "999999")
            try await expectError("/api/images/999999/thumbnail", status: .notFound, mentioning: "999999")
            try await expectError("/api/images/abc", status: .badRequest, mentioning: "whole number")
            try await expectError("/api/images/1/similar?k=0", status: .badRequest, mentioning: "k must be")
            try await expectError("/api/images/1/similar?flip=maybe", status: .badRequest, mentioning: "flip must be true or false")
            try await expectError("/api/images?limit=5000", status: .badRequest, mentioning: "limit must be")
            try await expectError("/api/images/1/thumbnail?size=2", status: .badRequest, mentioning: "size must be")
            try await expectError("/api/no-such-thing", status: .notFound, mentioning: "no such endpoint: GET /api/no-such-thing")
            try await expectError("/api/search", method: .post, body: [], status: .badRequest, mentioning: "no body")
            try await expectError("/api/search", method: .post, body: Array("just some text, not a picture".utf8),
                                  status: .unsupportedMediaType, mentioning: "not a picture imgsearch reads")
            let jpeg = try Array(Data(contentsOf: fixture.photo(1)))
            try await expectError("/api/search", method: .post, body: Array(jpeg.prefix(jpeg.count / 2)),
                                  status: .badRequest, mentioning: "(upload)")
            try await expectError("/api/search", method: .post, body: [UInt8](repeating: 0xFF, count: 5000),
                                  status: .contentTooLarge, mentioning: "limit of 4096 bytes")
            // Still serving after all of them.
            #expect(try await client.execute(uri: "/api/info", method: .get).status == .ok)
        }
    }

    /// Every file of ../shared/data/corrupt, uploaded: the ones the decoder
    /// refuses get a clear 400 (or 415) naming the reason, the few it
    /// reads are answered, and the server keeps serving after each.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: ServerFixture.sharedData.appendingPathComponent("corrupt").path),
                   "needs ../shared/data/corrupt (the shared test data beside the repository)"))
    func corruptUploadsAreRefusedOneByOne() async throws {
        let corrupt = ServerFixture.sharedData.appendingPathComponent("corrupt")
        let files = (FileManager.default.enumerator(atPath: corrupt.path)?.allObjects as? [String] ?? [])
            .filter { !$0.hasSuffix(".tsv") && !$0.hasSuffix(".md") }
            .map { corrupt.appendingPathComponent($0) }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .sorted { $0.path < $1.path }
        #expect(files.count >= 100, "\(files.count) files in ../shared/data/corrupt")
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        let app = try fixture.server().makeApplication()
        try await app.test(.live) { client in
            var refused = 0
            for file in files {
                let bytes = try Array(Data(contentsOf: file))
                let decodes = (try? ImageDecoder.thumbnail(bytes, path: "(upload)")) != nil
                let response = try await client.execute(uri: "/api/search?k=1", method: .post, body: ByteBuffer(bytes: bytes))
                if decodes {
                    #expect(response.status == .ok, "\(file.lastPathComponent): \(String(buffer: response.body))")
                } else {
                    #expect([.badRequest, .unsupportedMediaType].contains(response.status),
                            "\(file.lastPathComponent): \(response.status) \(String(buffer: response.body))")
                    let message = try errorDetail(response)["message"] as? String ?? ""
                    // The decoder's reason, or for an empty file that the request has none.
                    #expect(message.hasPrefix("(upload): ") || message.hasPrefix("the request has no body"), "\(file.lastPathComponent): \(message)")
                    #expect(message.count > 20, "\(file.lastPathComponent): \(message)")
                    refused += 1
                }
                #expect(try await client.execute(uri: "/api/status", method: .get).status == .ok)
            }
            #expect(refused >= files.count / 2, "\(refused) of \(files.count) refused")
        }
    }
}
