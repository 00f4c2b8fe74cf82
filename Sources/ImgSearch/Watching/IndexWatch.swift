import ImgSearchCore

/// Keeps an index current with folders: one incremental run at once (it
/// catches up with whatever changed while nothing watched), then one after
/// every settled burst of changes (``FolderWatcher``). Queries go on
/// meanwhile; each run commits in batches, so stopping, or a crash, loses
/// nothing already indexed, and the next start goes on from there.
///
/// Used by `imgsearch serve --watch` and `imgsearch index --watch`.
public final class IndexWatch: Sendable {
    /// What a caller hears of the runs, each called on the watching thread.
    public struct Events: Sendable {
        public var runStarted: @Sendable () -> Void = {}
        public var progress: @Sendable (WorkProgress) -> Void = { _ in }
        public var fileFailed: @Sendable (IndexingFailure) -> Void = { _ in }
        public var runFinished: @Sendable (IndexingSummary) -> Void = { _ in }
        /// A run failed as a whole (the database could not be written, say);
        /// the watch goes on and the next change tries again.
        public var runFailed: @Sendable (any Error) -> Void = { _ in }
        public var warning: @Sendable (String) -> Void = { _ in }

        public init() {}
    }

    public let index: ImageIndex
    public let folders: [String]
    public let jobs: Int
    private let watcher: FolderWatcher
    private let events: Events

    /// Starts watching `folders` (every folder must exist) for `index`.
    public init(index: ImageIndex, folders: [String], jobs: Int = 2, quietPeriod: Duration = .seconds(1),
                maximumDelay: Duration = .seconds(5), events: Events = Events()) throws {
        self.index = index
        self.folders = folders
        self.jobs = jobs
        self.events = events
        watcher = try FolderWatcher(folders: folders, quietPeriod: quietPeriod, maximumDelay: maximumDelay, onWarning: events.warning)
    }

    /// Runs once, then after every burst of changes, until ``stop()``. Blocks.
    public func run() {
        indexOnce()
        watcher.run { indexOnce() }
    }

    /// Ends ``run()`` after the index run going on, if any; safe from any thread.
    public func stop() { watcher.stop() }

    private func indexOnce() {
        events.runStarted()
        do {
            let summary = try index.index(folders: folders, jobs: jobs, progress: events.progress, onFailure: events.fileFailed)
            events.runFinished(summary)
        } catch {
            events.runFailed(error)
        }
    }
}
