/// What an `index` run did, file by file counted once.
///
/// Encodes to JSON as `{"added":N,"updated":N,"unchanged":N,"moved":N,
/// "removed":N,"failed":N,"seconds":X}`, the line `imgsearch index --json`
/// prints.
public struct IndexingSummary: Sendable, Equatable, Codable {
    /// New files decoded, encoded and stored.
    public var added = 0
    /// Indexed files whose bytes changed, re-encoded.
    public var updated = 0
    /// Indexed files left as they were: same size and modification time,
    /// or touched with the same bytes.
    public var unchanged = 0
    /// Files found under a new path with the bytes of an indexed file that
    /// is gone; they keep their code and are not decoded.
    public var moved = 0
    /// Indexed files below the indexed folders that are gone.
    public var removed = 0
    /// Files that could not be read or decoded (each reported with its reason).
    public var failed = 0
    /// Wall-clock time of the run.
    public var seconds = 0.0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case added, updated, unchanged, moved, removed, failed, seconds
    }
}
