import ArgumentParser
import Foundation
import ImgSearch

/// `imgsearch check`: is the index damaged?
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the index for damage: SQLite's own check, and every hash block, image row and model against its checksum.",
        discussion: """
            SQLite's quick_check (integrity_check with --full) finds a
            broken file structure; the checksums find what it cannot see,
            bytes changed inside the stored hashes, codes and models. Also
            checked: the packed hash blocks against the image rows, and
            rows whose model is gone. Reads the whole index and writes
            nothing. `imgsearch repair` mends what can be mended.
            Exit status: 0 no damage, 2 damage found (listed on stdout),
            1 the index could not be read, 64 bad arguments.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "SQLite's integrity_check instead of quick_check (slower: also checks the contents of every SQL index).")
    var full = false

    @Flag(help: "Print the report as one JSON object on stdout.")
    var json = false

    func run() throws {
        let report = try database.openForReading().check(full: full)
        if json {
            try printJSON(report)
        } else {
            print("checked \(report.images) images, \(report.hashBlocks) hash blocks, \(report.models) models in \(report.path)")
            if report.isSound {
                print("no damage found")
            } else {
                for line in report.problems() { print(line) }
                print(report.isStructureDamaged
                    ? "damage found in the file's structure. HINT: restore the index from a backup, or index the folders again into a new database"
                    : "damage found. HINT: run `imgsearch repair` to rebuild what can be rebuilt")
            }
        }
        flushStandardOutput()
        if !report.isSound { throw ExitCode(2) }
    }
}
