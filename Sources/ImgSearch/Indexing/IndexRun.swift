import Foundation

/// The record an `index` run leaves in the index: when it finished, the
/// folders it walked and its summary, so that `imgsearch info` can say how
/// many files the last run skipped and why without the run's stderr.
///
/// Only the last run is kept (the `state` row `last_index_run`, JSON; see
/// docs/index-format.md): the files skipped before it were either skipped
/// again, and counted again, or have since been indexed or removed. The
/// paths themselves are not stored; each run names them on stderr.
public struct IndexRun: Sendable, Codable, Equatable {
    /// When the run finished, ISO 8601 in UTC.
    public var finishedAt: String
    /// The folders (or files) it walked, as real paths.
    public var folders: [String]
    /// What it did; ``IndexingSummary/skipped`` is what `info` shows.
    public var summary: IndexingSummary

    public init(finishedAt: String, folders: [String], summary: IndexingSummary) {
        self.finishedAt = finishedAt
        self.folders = folders
        self.summary = summary
    }

    enum CodingKeys: String, CodingKey {
        case finishedAt, folders, summary
    }

    /// `date` in the form ``finishedAt`` holds.
    static func timestamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
