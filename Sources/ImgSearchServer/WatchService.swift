import Foundation
import ImgSearch
import Logging
import ServiceLifecycle

/// The server's folder watcher (``IndexWatch``) as a service of its
/// application: it starts with the server, reports to the status
/// endpoint and the log, and stops at the graceful shutdown.
struct WatchService: Service {
    let watch: IndexWatch
    let logger: Logger

    init(server: SearchServer) throws {
        let activity = server.activity
        let logger = server.logger
        var events = IndexWatch.Events()
        events.runStarted = { activity.started() }
        events.progress = { activity.progressed($0) }
        events.fileFailed = { failure in
            activity.failed(file: failure)
            logger.warning("skipped", metadata: ["file": "\(failure.path)", "reason": "\(failure.reason)"])
        }
        let folders = server.configuration.watchedFolders
        events.runFinished = { summary in
            activity.finished(folders: folders, summary: summary)
            if summary.added + summary.updated + summary.moved + summary.removed > 0 || summary.failed > 0 {
                logger.info("indexed", metadata: [
                    "added": "\(summary.added)", "updated": "\(summary.updated)", "moved": "\(summary.moved)",
                    "removed": "\(summary.removed)", "failed": "\(summary.failed)", "seconds": "\(summary.seconds)"])
            }
        }
        events.runFailed = { error in
            activity.failed(run: error)
            logger.error("index run failed", metadata: ["error": "\(error)"])
        }
        events.warning = { logger.warning("\($0)") }
        watch = try IndexWatch(index: server.index, folders: folders, jobs: server.configuration.indexJobs,
                               quietPeriod: server.configuration.quietPeriod, maximumDelay: server.configuration.maximumDelay,
                               events: events)
        self.logger = logger
    }

    func run() async throws {
        let watch = self.watch
        let thread = Thread { watch.run() }
        thread.name = "imgsearch watch"
        thread.start()
        logger.info("watching", metadata: ["folders": "\(watch.folders)"])
        // The watch runs on its own thread (index runs block); this task
        // only waits for the shutdown to tell it to stop. An index run
        // going on then ends with the process: what it committed stays,
        // and the next start catches up.
        try? await gracefulShutdown()
        watch.stop()
    }
}
