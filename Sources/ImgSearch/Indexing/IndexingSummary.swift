/// What an `index` run did, file by file counted once.
///
/// Encodes to JSON as `{"added":N,"updated":N,"unchanged":N,"moved":N,
/// "removed":N,"failed":N,"seconds":X,"formats":{...},"skipped":{...}}`,
/// the line `imgsearch index --json` prints. `formats` and `skipped` came
/// later: a summary without them decodes with both empty.
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
    /// The files decoded in this run (the added and the updated), by format:
    /// keys are ``ImageFormat`` raw values (`jpeg`, `png`, `webp`, `gif`,
    /// `tiff`, `bmp`, `heif`, `avif`). Unchanged and moved files are not
    /// read, so they are not counted here.
    public var formats: [String: Int] = [:]
    /// The failed files by why: keys are ``IndexingFailure/Kind`` raw values
    /// (`unreadable`, `unsupported_format`, `corrupt`, ...); the counts add
    /// up to ``failed``.
    public var skipped: [String: Int] = [:]

    public init() {}

    /// Counts one failed file under its kind.
    mutating func record(_ failure: IndexingFailure) {
        failed += 1
        skipped[failure.kind.rawValue, default: 0] += 1
    }

    enum CodingKeys: String, CodingKey {
        case added, updated, unchanged, moved, removed, failed, seconds, formats, skipped
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        added = try container.decode(Int.self, forKey: .added)
        updated = try container.decode(Int.self, forKey: .updated)
        unchanged = try container.decode(Int.self, forKey: .unchanged)
        moved = try container.decode(Int.self, forKey: .moved)
        removed = try container.decode(Int.self, forKey: .removed)
        failed = try container.decode(Int.self, forKey: .failed)
        seconds = try container.decode(Double.self, forKey: .seconds)
        formats = try container.decodeIfPresent([String: Int].self, forKey: .formats) ?? [:]
        skipped = try container.decodeIfPresent([String: Int].self, forKey: .skipped) ?? [:]
    }
}
