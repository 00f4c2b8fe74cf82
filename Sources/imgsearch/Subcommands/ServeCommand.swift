import ArgumentParser
import Foundation
import ImgSearch
import ImgSearchServer
import Logging
import Synchronization

/// `imgsearch serve`: the HTTP API and web page over an index (docs/api.md).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve an index over HTTP: a JSON API and a web page to search and browse it.",
        discussion: """
            Opens the index once and keeps its hashes in memory; changes made
            by `--watch` or by another `imgsearch index` on the same database
            are followed without a restart. Listens on loopback by default;
            any other address needs an access token (--token, or one made and
            printed at start), sent as `Authorization: Bearer TOKEN`.
            SIGINT or SIGTERM stops it gracefully. The API is in docs/api.md.
            Exit status: 0 stopped, 1 the index or the address could not be
            opened, 64 bad arguments.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Address to listen on (loopback by default; any other needs the token).")
    var host = ServerConfiguration().host

    @Option(help: "Port to listen on (0: any free one; the address is printed).")
    var port = ServerConfiguration().port

    @Option(help: "Access token the requests must carry (default on a non-loopback address: one made and printed at start).")
    var token: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Folders to keep indexed while serving (inotify).", valueName: "dir"))
    var watch: [String] = []

    @Option(help: ArgumentHelp("Largest upload accepted by a search, in megabytes.", valueName: "mb"))
    var uploadLimit = ServerConfiguration.defaultUploadLimit / (1024 * 1024)

    @Option(parsing: .unconditional, help: "Threads an index run of --watch decodes on.")
    var jobs = 2

    @Option(help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel = "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, not \(port)") }
        guard uploadLimit >= 1 else { throw ValidationError("--upload-limit must be at least 1 (megabyte)") }
        try NumberLimits.checkJobs(jobs)
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical") }
        if let token, token.count < 16 { throw ValidationError("--token must be at least 16 characters") }
    }

    func run() async throws {
        // A search is one small BLAS call: OpenBLAS's threads would only
        // wake and compete with the requests' own threads.
        BLAS.useOneThreadAndStopWorkers()
        let index = watch.isEmpty ? try database.openExisting(readOnly: false) : try database.openForWriting()
        var logger = Logger(label: "imgsearch.serve")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let (configuration, generated) = ServerConfiguration(
            host: host, port: port, token: token, uploadLimit: uploadLimit * 1024 * 1024,
            watchedFolders: watch, indexJobs: jobs
        ).validated()
        let server = try SearchServer(index: index, configuration: configuration, logger: logger)
        let token = configuration.token
        let listening = ListeningFlag()
        let path = database.path
        do {
            try await server.run { address in
                listening.value.store(true, ordering: .relaxed)
                print("imgsearch serve: \(path) at \(address)/")
                if generated, let token {
                    print("access token (send as `Authorization: Bearer TOKEN`, or open \(address)/?token=\(token) once): \(token)")
                }
                flushStandardOutput()
            }
        } catch where !listening.value.load(ordering: .relaxed) {
            throw CommandFailure("\(host):\(port): cannot listen: \(error)")
        }
    }
}

/// Whether the server got as far as listening: an error before that is
/// about the address (in use, not this machine's), and said so.
private final class ListeningFlag: Sendable {
    let value = Atomic<Bool>(false)
}
