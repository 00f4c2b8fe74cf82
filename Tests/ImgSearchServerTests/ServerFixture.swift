import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ImgSearch
import ImgSearchServer
import ImgSearchTestFixtures
import Logging

/// A folder of synthetic photos indexed into a fresh index, and a server over it.
struct ServerFixture {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let model = repository.appendingPathComponent("index/default-model.isae").path
    static let sharedData = repository.appendingPathComponent("../shared/data").standardizedFileURL

    let work: URL
    let photos: URL
    let index: ImageIndex

    /// `count` synthetic JPEGs in `photos/`, plus `copy.jpg`, a byte copy of
    /// photo 3 (of the last, when there are fewer: a duplicate group),
    /// indexed unless `indexed` is false.
    init(count: Int = 12, indexed: Bool = true) throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-serve-\(UUID().uuidString)")
        photos = work.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        for number in 0..<count {
            try SyntheticPhotos.writeJPEG(number, to: photos.appendingPathComponent(String(format: "%04d.jpg", number)))
        }
        let copied = String(format: "%04d.jpg", min(3, count - 1))
        try FileManager.default.copyItem(at: photos.appendingPathComponent(copied), to: photos.appendingPathComponent("copy.jpg"))
        index = try ImageIndex(path: work.appendingPathComponent("index.sqlite").path)
        try index.installModelIfNone(fileAt: Self.model)
        if indexed { _ = try index.index(folders: [photos.path]) }
    }

    func remove() { try? FileManager.default.removeItem(at: work) }

    func photo(_ number: Int) -> URL { photos.appendingPathComponent(String(format: "%04d.jpg", number)) }

    static var quietLogger: Logger {
        var logger = Logger(label: "imgsearch.serve.test")
        logger.logLevel = .warning
        return logger
    }

    func server(_ configuration: ServerConfiguration = ServerConfiguration(port: 0)) throws -> SearchServer {
        try SearchServer(index: index, configuration: configuration, logger: Self.quietLogger)
    }
}

/// A response body as JSON.
func json(_ response: TestResponse) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
    guard let dictionary = object as? [String: Any] else { throw FixtureError("not a JSON object: \(String(buffer: response.body))") }
    return dictionary
}

/// The `error` object of a JSON error answer.
func errorDetail(_ response: TestResponse) throws -> [String: Any] {
    guard let detail = try json(response)["error"] as? [String: Any] else { throw FixtureError("no error object: \(String(buffer: response.body))") }
    return detail
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The ids of a listing or of a search's results.
func ids(_ list: Any?) -> [Int64] {
    (list as? [[String: Any]] ?? []).compactMap { ($0["id"] as? NSNumber)?.int64Value }
}
