import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ImgSearchTestFixtures
import Testing

/// The `imgsearch` binary started as a long-running process, read line by
/// line while it runs, and stopped by a signal.
final class RunningCommand: @unchecked Sendable {
    private let process: Process
    private let output = PrintedText()

    init(_ arguments: [String]) throws {
        process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = self.output
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if !data.isEmpty { output.append(String(decoding: data, as: UTF8.self)) }
        }
        try process.run()
    }

    var printed: String { output.text }

    /// Waits until what it printed matches `condition` (at most `seconds`).
    func waitFor(_ what: String, seconds: Double = 30, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let text = printed
            if condition(text) { return text }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw CommandTestError("\(what) not printed within \(seconds) s; printed:\n\(printed)")
    }

    /// Sends `signal` and waits for the exit; the status.
    func stop(with signal: Int32 = SIGTERM, seconds: Double = 20) throws -> Int32 {
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        guard !process.isRunning else {
            process.terminate()
            throw CommandTestError("still running \(seconds) s after signal \(signal); printed:\n\(printed)")
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// What a running command printed so far, appended to by the pipe's reader thread.
final class PrintedText: @unchecked Sendable {
    private let lock = NSLock()
    private var printed = ""

    func append(_ text: String) { lock.withLock { printed += text } }
    var text: String { lock.withLock { printed } }
}

struct CommandTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@Suite struct ServeAndWatchCommandTests {
    /// Status code of a GET, with headers.
    static func get(_ address: String, headers: [String: String] = [:]) async throws -> Int {
        var request = URLRequest(url: URL(string: address)!)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    @Test func serveBeyondLoopbackMakesATokenAndStopsGracefully() async throws {
        let work = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let photos = work.appendingPathComponent("photos")
        try SyntheticPhotos.write(0..<6, into: photos)
        let database = work.appendingPathComponent("index.sqlite").path
        #expect(try CommandRunner.run(["index", "--db", database, photos.path]).status == 0)

        let server = try RunningCommand(["serve", "--db", database, "--host", "0.0.0.0", "--port", "0"])
        let printed = try server.waitFor("the address and the token") { $0.contains("access token") && $0.contains("\n") }
        let port = try #require(printed.firstMatch(of: /at http:\/\/0\.0\.0\.0:(\d+)\//).map { String($0.1) })
        let token = try #require(printed.firstMatch(of: /: ([0-9a-f]{32})\n/).map { String($0.1) })
        let info = "http://127.0.0.1:\(port)/api/info"
        #expect(try await Self.get(info) == 401)
        #expect(try await Self.get(info, headers: ["Authorization": "Bearer wrong-token-wrong-token"]) == 401)
        #expect(try await Self.get(info, headers: ["Authorization": "Bearer \(token)"]) == 200)
        #expect(try server.stop(with: SIGTERM) == 0)
    }

    @Test func serveRefusesAMissingIndexAndAShortToken() throws {
        let work = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let missing = try CommandRunner.run(["serve", "--db", work.appendingPathComponent("none.sqlite").path, "--port", "0"])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("none.sqlite: no index here"))
        let short = try CommandRunner.run(["serve", "--token", "abc"])
        #expect(short.status == 64)
        #expect(short.standardError.contains("--token must be at least 16 characters"))
    }

    /// `index --watch`: the first run, a run for each later change, and
    /// SIGINT ends it with status 0, everything committed.
    @Test func indexWatchFollowsTheFolderUntilInterrupted() throws {
        let work = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let photos = work.appendingPathComponent("photos")
        try SyntheticPhotos.write(0..<5, into: photos)
        let database = work.appendingPathComponent("index.sqlite").path
        let watcher = try RunningCommand(["index", "--watch", "--db", database, photos.path])
        _ = try watcher.waitFor("the first run's summary") { $0.contains("added 5,") }
        try SyntheticPhotos.write(20..<23, into: photos)
        _ = try watcher.waitFor("the second run's summary") { $0.contains("added 3,") }
        try FileManager.default.removeItem(at: photos.appendingPathComponent("0.jpg"))
        _ = try watcher.waitFor("the third run's summary") { $0.contains("removed 1,") }
        #expect(try watcher.stop(with: SIGINT) == 0)
        let info = try CommandRunner.run(["info", "--db", database, "--json"])
        #expect(info.standardOutput.contains("\"images\":7"))
    }
}
