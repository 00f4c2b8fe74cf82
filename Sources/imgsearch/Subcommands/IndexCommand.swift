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

    @Option(help: "Threads that read and decode images.")
    var jobs = 2

    @Flag(help: "Print the summary as one JSON object on stdout.")
    var json = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        // The indexer encodes `jobs` parts at once, each on its own thread:
        // OpenBLAS's own threads would only compete with them.
        BLAS.useOneThreadAndStopWorkers()
        let index = try database.openForWriting()
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
        if json {
            try printJSON(summary)
        } else {
            print("added \(summary.added), updated \(summary.updated), unchanged \(summary.unchanged), moved \(summary.moved), "
                + "removed \(summary.removed), failed \(summary.failed) in \(String(format: "%.1f", summary.seconds)) s")
            if !summary.formats.isEmpty { print("decoded by format: \(CountLists.formats(summary.formats))") }
            if !summary.skipped.isEmpty { print("skipped by reason: \(CountLists.skipped(summary.skipped))") }
        }
        if summary.failed > 0 { throw ExitCode(3) }
    }
}
