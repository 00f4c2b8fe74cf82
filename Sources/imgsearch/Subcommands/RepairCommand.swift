import ArgumentParser
import Foundation
import ImgSearch

/// `imgsearch repair`: rebuild what damage destroyed.
struct RepairCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Repair a damaged index: rebuild what can be rebuilt, re-index what cannot.",
        discussion: """
            Runs `imgsearch check`'s checks, then rebuilds damaged or stale
            hash blocks from the image rows, gives a row whose hash alone
            was damaged its hash back from its code, and removes rows whose
            code or colour was damaged (or whose model is gone), indexing
            their files again where they still exist; each one is named.
            A damaged model that no image uses is deleted. A damaged active
            model cannot be rebuilt: index the folders into a new database.
            Exit status: 0 repaired (or nothing to repair), 2 something
            could not be repaired, 1 the index could not be read or
            written, 64 bad arguments.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(parsing: .unconditional, help: "Threads that decode the files indexed again.")
    var jobs = 2

    func validate() throws {
        try NumberLimits.checkJobs(jobs)
    }

    func run() throws {
        BLAS.useOneThreadAndStopWorkers()
        let index = try database.openExisting(readOnly: false)
        let summary = try index.repair(
            jobs: jobs, onWait: { printError("\(database.path): another imgsearch is writing to this index; waiting for it to finish") }
        ) { failure in printError("\(failure)") }
        for path in summary.rowsRemoved {
            print(summary.reindexed.contains(path) ? "re-indexed \(path) (its stored code was damaged)"
                : "removed \(path) (its stored code was damaged and the file is gone)")
        }
        print("repaired: \(summary.blocksRebuilt) hash blocks rebuilt, \(summary.hashesRemade) hashes made again from their codes, "
            + "\(summary.rowsRemoved.count) rows removed (\(summary.reindexed.count) re-indexed), \(summary.modelsDeleted) unused damaged models deleted")
        for line in summary.unrepairable { printError("not repaired: \(line)") }
        flushStandardOutput()
        if !summary.unrepairable.isEmpty { throw ExitCode(2) }
    }
}
