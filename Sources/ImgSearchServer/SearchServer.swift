import Foundation
import HTTPTypes
import Hummingbird
import ImgSearch
import Logging
import ServiceLifecycle

/// `imgsearch serve`: the JSON API and the web page over one index
/// (docs/api.md), and, with watched folders, the watcher that keeps the
/// index current.
///
/// The index is opened once; the hashes stay in memory and are loaded
/// again after any commit (by the watcher, or by another process indexing
/// into the same database), so the server follows changes without a
/// restart.
public struct SearchServer: Sendable {
    public let index: ImageIndex
    public let configuration: ServerConfiguration
    public let logger: Logger
    let activity: IndexActivity
    let blocking: BlockingWork
    let duplicates = DuplicateCache()

    /// - Parameter configuration: must be ``ServerConfiguration/validated()``
    ///   already: a non-loopback bind without a token is refused here.
    public init(index: ImageIndex, configuration: ServerConfiguration, logger: Logger) throws {
        guard configuration.token != nil || ServerConfiguration.isLoopback(configuration.host) else {
            throw ServerConfigurationError.tokenNeeded(host: configuration.host)
        }
        self.index = index
        self.configuration = configuration
        self.logger = logger
        activity = IndexActivity(watching: configuration.watchedFolders)
        blocking = BlockingWork(width: max(2, ProcessInfo.processInfo.activeProcessorCount))
    }

    /// The application: routes, middleware and, with watched folders, the
    /// watcher as a service that shuts down with it. `onListening` hears the
    /// address it bound (with the real port when 0 was asked for).
    public func makeApplication(onListening: @escaping @Sendable (String) -> Void = { _ in }) throws -> some ApplicationProtocol {
        var services: [any Service] = []
        if !configuration.watchedFolders.isEmpty {
            services.append(try WatchService(server: self))
        }
        let host = configuration.host
        return Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: "imgsearch"),
            services: services,
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                onListening(host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)")
            },
            logger: logger)
    }

    /// Serves until SIGINT or SIGTERM, then stops gracefully: requests in
    /// flight are answered, the watcher stops (an index run going on stops
    /// with it; what it committed stays).
    public func run(onListening: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        try await makeApplication(onListening: onListening).runService()
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.addMiddleware {
            ErrorAndRequestIDMiddleware()
            LogRequestsMiddleware(.info)
            if let token = configuration.token { AccessTokenMiddleware(token: token) }
        }
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                     body: .init(byteBuffer: Self.page))
        }
        let api = router.group("api")
        api.get("info") { _, _ in try Self.json(try await blocking.run { [index] in try index.info() }) }
        api.get("status") { _, _ in try Self.json(try status()) }
        api.get("images") { request, _ in
            let offset = try SearchParameters.integer("offset", in: request.uri.queryParameters, range: 0...Int(Int32.max)) ?? 0
            let limit = try SearchParameters.integer("limit", in: request.uri.queryParameters, range: 1...1000) ?? 100
            return try Self.json(try index.images(offset: offset, limit: limit))
        }
        api.get("images/{id}") { _, context in
            try Self.json(try image(context))
        }
        api.get("images/{id}/similar") { request, context in
            let id = try Self.id(context)
            let options = try SearchParameters.options(from: request.uri, byID: true)
            let decodes = options.hasVariants
            let search: @Sendable () throws -> (QueryResult, Double) = { [index] in
                try Self.timed { try index.similar(toImageWithID: id, options: options, decodingForVariants: decodes) }
            }
            let (result, milliseconds) = decodes ? try await blocking.run(search) : try search()
            return try Self.json(SearchAnswer(result, queryID: id, milliseconds: milliseconds))
        }
        api.get("images/{id}/thumbnail") { request, context in
            let record = try image(context)
            let side = try SearchParameters.integer("size", in: request.uri.queryParameters, range: PreviewImage.sides) ?? PreviewImage.defaultSide
            let tag = PreviewImage.entityTag(id: record.id, side: side, path: record.path)
            var headers: HTTPFields = [.cacheControl: "private, max-age=3600"]
            if let tag {
                headers[.eTag] = tag
                if request.headers[.ifNoneMatch] == tag { return Response(status: .notModified, headers: headers) }
            }
            let jpeg = try await blocking.run { try PreviewImage.jpeg(ofFileAt: record.path, side: side) }
            headers[.contentType] = "image/jpeg"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: jpeg)))
        }
        api.post("search") { request, _ in
            let options = try SearchParameters.options(from: request.uri, byID: false)
            let upload = try await ImageUpload.read(from: request, limit: configuration.uploadLimit)
            let (result, milliseconds) = try await blocking.run { [index] in
                try Self.timed { try index.query(imageBytes: upload.bytes, name: upload.name, options: options) }
            }
            return try Self.json(SearchAnswer(result, queryID: nil, milliseconds: milliseconds))
        }
        api.get("duplicates") { request, _ in
            let radius = try SearchParameters.integer("radius", in: request.uri.queryParameters, range: 0...8) ?? 2
            let token = try index.changeToken()
            if let kept = duplicates.groups(radius: radius, changeToken: token) { return try Self.json(kept) }
            let answer = try await blocking.run { [index] in
                DuplicateAnswer(radius: radius, groups: try index.duplicates(radius: radius, jobs: 2))
            }
            duplicates.keep(answer, changeToken: token)
            return try Self.json(answer)
        }
        return router
    }

    // MARK: - Answers

    private func image(_ context: BasicRequestContext) throws -> IndexedImage {
        let id = try Self.id(context)
        guard let image = try index.image(id: id) else { throw ImageIndexError.unknownImage(path: index.path, id: id) }
        return image
    }

    private func status() throws -> IndexActivity.Snapshot {
        var snapshot = activity.snapshot
        snapshot.images = try index.count()
        return snapshot
    }

    private static func id(_ context: BasicRequestContext) throws -> Int64 {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text) else { throw APIError(.badRequest, "an image id is a whole number, not \"\(text)\"") }
        return id
    }

    private static func timed<Value>(_ body: () throws -> Value) rethrows -> (Value, Double) {
        let start = ContinuousClock.now
        let value = try body()
        let elapsed = ContinuousClock.now - start
        return (value, Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
    }

    /// The page's bytes, made once rather than for every request.
    static let page = ByteBuffer(string: WebPage.html)

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static func json(_ value: some Encodable) throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}

/// The answer of `similar` and `search` (docs/api.md).
struct SearchAnswer: Encodable {
    var query: String
    var queryId: Int64?
    var searchMilliseconds: Double
    var results: [QueryMatch]

    init(_ result: QueryResult, queryID: Int64?, milliseconds: Double) {
        query = result.query
        queryId = queryID
        searchMilliseconds = (milliseconds * 1000).rounded() / 1000
        results = result.matches
    }
}

/// The answer of `duplicates` (docs/api.md).
struct DuplicateAnswer: Encodable, Sendable {
    var radius: Int
    var groups: [DuplicateGroup]
}
