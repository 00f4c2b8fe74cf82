import ArgumentParser
import ImgSearch

/// `imgsearch remove PATH...`: forgets indexed images.
struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove images from the index (the files are not touched).",
        discussion: "Exit status: 0 all removed, 1 failed, 3 some paths were not indexed, 64 bad arguments."
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "Indexed paths to remove.")
    var paths: [String]

    func run() throws {
        let index = try database.openExisting(readOnly: false)
        let removed = try index.remove(paths: paths)
        print("removed \(removed) of \(paths.count)")
        if removed < paths.count { throw ExitCode(3) }
    }
}
