import Foundation

/// How `imgsearch serve` listens and what it allows.
public struct ServerConfiguration: Sendable {
    /// The address to bind: loopback (`127.0.0.1`) by default.
    public var host: String
    /// The port; 0 asks the system for a free one (the bound port is
    /// reported through ``SearchServer/run(onListening:)``).
    public var port: Int
    /// The access token every request must carry (docs/api.md, "Access");
    /// nil on a loopback bind means none is asked for. A non-loopback bind
    /// without one is refused by ``validated()``, which makes one.
    public var token: String?
    /// The largest upload a search by image accepts, in bytes (50 MB by default).
    public var uploadLimit: Int
    /// Folders kept indexed while the server runs (``FolderWatcher``); none by default.
    public var watchedFolders: [String]
    /// Threads an index run of the watcher encodes on.
    public var indexJobs: Int
    /// How long the watcher waits after the last change before it indexes
    /// (a burst of changes becomes one run).
    public var quietPeriod: Duration
    /// The longest it lets changes wait while they keep coming.
    public var maximumDelay: Duration

    public static let defaultUploadLimit = 50 * 1024 * 1024

    public init(host: String = "127.0.0.1", port: Int = 8080, token: String? = nil,
                uploadLimit: Int = ServerConfiguration.defaultUploadLimit, watchedFolders: [String] = [],
                indexJobs: Int = 2, quietPeriod: Duration = .seconds(1), maximumDelay: Duration = .seconds(5)) {
        self.host = host
        self.port = port
        self.token = token
        self.uploadLimit = uploadLimit
        self.watchedFolders = watchedFolders
        self.indexJobs = indexJobs
        self.quietPeriod = quietPeriod
        self.maximumDelay = maximumDelay
    }

    /// Whether `host` is a loopback address, reachable from this machine only.
    public static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        if lowered == "localhost" || lowered == "::1" || lowered == "[::1]" { return true }
        let parts = lowered.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// This configuration with a token made for it when it binds beyond
    /// loopback without one (the caller prints it); a loopback bind keeps
    /// the token it was given, if any.
    public func validated() -> (configuration: ServerConfiguration, generatedToken: Bool) {
        guard token == nil, !Self.isLoopback(host) else { return (self, false) }
        var copy = self
        copy.token = Self.makeToken()
        return (copy, true)
    }

    /// 128 random bits as 32 hex digits, from the system's secure generator.
    public static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}

/// A configuration ``SearchServer`` refuses.
public enum ServerConfigurationError: Error, CustomStringConvertible {
    /// A bind beyond loopback without an access token.
    case tokenNeeded(host: String)

    public var description: String {
        switch self {
        case .tokenNeeded(let host):
            return "\(host): a server listening beyond loopback needs an access token (ServerConfiguration.validated() makes one)"
        }
    }
}
