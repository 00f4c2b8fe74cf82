import ArgumentParser
import Foundation
import ImgSearch

/// `imgsearch index DIR...`: adds and updates the images below folders.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Index (or re-index) the images below one or more folders.",
        discussion: """
            New files are added, changed files re-encoded, moved files keep
            their code, files that are gone are removed; unchanged files are
            not read. Files that cannot be read or decoded are named on
            stderr with the reason and the run goes on. The summary counts
            the files decoded per format and the files skipped per reason
            (unreadable, unsupported format or variant, too large, corrupt,
            out of memory); `imgsearch info` shows the last run's.
            One index runs at a time per database: a second one waits for
            the first (and says so on stderr); queries never wait.
            Exit status: 0 done, 1 nothing could be done (the database
            cannot be opened or written, the disk is full, no folder could be
            read), 3 done but some files failed, 64 bad arguments.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "Folders (or single files) to index.")
    var folders: [String]

    @Option(parsing: .unconditional, help: "Threads that read and decode images.")
    var jobs = 2

    @Flag(help: "Print the summary as one JSON object on stdout.")
    var json = false

    @Flag(help: "After indexing, keep watching the folders (inotify) and index what changes, until interrupted.")
    var watch = false

    func validate() throws {
        try NumberLimits.checkJobs(jobs)
    }

    func run() throws {
        // The indexer encodes `jobs` parts at once, each on its own thread:
        // OpenBLAS's own threads would only compete with them.
        BLAS.useOneThreadAndStopWorkers()
        // Nothing to index and no index yet: say so without creating one.
        let missing = folders.filter { !FileManager.default.fileExists(atPath: $0) }
        if missing.count == folders.count && !FileManager.default.fileExists(atPath: database.path) {
            throw CommandFailure(missing.map { "\($0): no such file or folder" }.joined(separator: "; ")
                + " (nothing to index; no index was created)")
        }
        let index = try database.openForWriting()
        if watch { return try keepWatching(index) }
        let printer = ProgressPrinter()
        let summary = try index.index(
            folders: folders, jobs: jobs,
            onWait: { printError("\(database.path): another imgsearch is indexing into this index; waiting for it to finish") },
            progress: printer.report
        ) { failure in
            printer.finishLine()
            printError("\(failure)")
        }
        printer.finishLine()
        try Self.printSummary(summary, json: json)
        if summary.failed > 0 { throw ExitCode(3) }
    }

    private static func printSummary(_ summary: IndexingSummary, json: Bool) throws {
        if json {
            try printJSON(summary)
        } else {
            print("added \(summary.added), updated \(summary.updated), unchanged \(summary.unchanged), moved \(summary.moved), "
                + "removed \(summary.removed), failed \(summary.failed) in \(String(format: "%.1f", summary.seconds)) s")
            if !summary.formats.isEmpty { print("decoded by format: \(CountLists.formats(summary.formats))") }
            if !summary.skipped.isEmpty { print("skipped by reason: \(CountLists.skipped(summary.skipped))") }
        }
        flushStandardOutput()
    }

    /// `--watch`: the first run, then one after every settled burst of
    /// changes, each summary printed; SIGINT or SIGTERM ends it between
    /// (or during) runs, losing nothing committed.
    private func keepWatching(_ index: ImageIndex) throws {
        let printer = ProgressPrinter()
        var events = IndexWatch.Events()
        events.progress = { printer.report($0) }
        events.fileFailed = { failure in
            printer.finishLine()
            printError("\(failure)")
        }
        let json = self.json
        let path = database.path
        events.runFinished = { summary in
            printer.finishLine()
            try? Self.printSummary(summary, json: json)
        }
        events.runFailed = { error in
            printer.finishLine()
            printError("\(path): index run failed: \(error); watching on")
        }
        events.warning = { printError($0) }
        let watch: IndexWatch
        do {
            watch = try IndexWatch(index: index, folders: folders, jobs: jobs, events: events)
        } catch {
            throw CommandFailure("\(error)")
        }
        let signals = StopSignals { watch.stop() }
        defer { withExtendedLifetime(signals) {} }
        if !json { printError("watching \(folders.joined(separator: ", ")); Ctrl-C stops") }
        watch.run()
    }
}
