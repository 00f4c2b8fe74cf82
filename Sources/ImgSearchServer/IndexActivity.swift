import Foundation
import ImgSearch
import Synchronization

/// What the server's folder watcher is doing, for `GET /api/status`:
/// the run going on (with its progress), the last one, and how many ran.
final class IndexActivity: Sendable {
    /// What `GET /api/status` answers (docs/api.md); `images` is filled in
    /// by the caller, from the index.
    struct Snapshot: Sendable, Encodable {
        var images = 0
        var watching: [String]
        var indexing: RunProgress?
        var indexRuns: Int
        var lastRun: IndexRun?
        var lastError: String?
        /// Files that failed in the last run, with the reason (at most ``IndexActivity/failureLimit``).
        var lastFailures: [String]

        enum CodingKeys: String, CodingKey { case images, watching, indexing, indexRuns, lastRun, lastError, lastFailures }

        func encode(to encoder: any Encoder) throws {
            // Nulls written out, so that a client reads `indexing: null` as "not indexing".
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(images, forKey: .images)
            try container.encode(watching, forKey: .watching)
            try container.encode(indexing, forKey: .indexing)
            try container.encode(indexRuns, forKey: .indexRuns)
            try container.encode(lastRun, forKey: .lastRun)
            try container.encode(lastError, forKey: .lastError)
            try container.encode(lastFailures, forKey: .lastFailures)
        }
    }

    static let failureLimit = 20
    private let state: Mutex<Snapshot>

    init(watching: [String]) {
        state = Mutex(Snapshot(watching: watching, indexing: nil, indexRuns: 0, lastRun: nil, lastError: nil, lastFailures: []))
    }

    var snapshot: Snapshot { state.withLock { $0 } }

    func started() {
        state.withLock {
            $0.indexing = RunProgress(WorkProgress(phase: "indexing", completed: 0, total: nil, unit: "files"))
            $0.lastFailures = []
        }
    }

    func progressed(_ progress: WorkProgress) { state.withLock { $0.indexing = RunProgress(progress) } }

    func failed(file failure: IndexingFailure) {
        state.withLock { if $0.lastFailures.count < Self.failureLimit { $0.lastFailures.append(failure.description) } }
    }

    func finished(folders: [String], summary: IndexingSummary) {
        state.withLock {
            $0.indexing = nil
            $0.indexRuns += 1
            $0.lastError = nil
            $0.lastRun = IndexRun(finishedAt: ISO8601DateFormatter().string(from: Date()), folders: folders, summary: summary)
        }
    }

    func failed(run error: any Error) {
        state.withLock {
            $0.indexing = nil
            $0.indexRuns += 1
            $0.lastError = String(describing: error)
        }
    }
}

/// A run's progress as the status shows it.
struct RunProgress: Sendable, Encodable {
    var phase: String
    var completed: Int
    var total: Int?
    var unit: String

    init(_ progress: WorkProgress) {
        phase = progress.phase
        completed = progress.completed
        total = progress.total
        unit = progress.unit
    }
}
