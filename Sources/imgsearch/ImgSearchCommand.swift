import ArgumentParser
import ImgSearch

/// The `imgsearch` root command. Each subcommand calls one library function
/// and prints its result; all logic lives in the `ImgSearch` library.
@main
struct ImgSearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imgsearch",
        abstract: "Semantic-hashing image search: index folders of images and find similar ones.",
        version: ImgSearchVersion.current,
        subcommands: [IndexCommand.self, QueryCommand.self, InfoCommand.self, DupesCommand.self, RemoveCommand.self, CheckCommand.self, RepairCommand.self, TrainCommand.self, EvalCommand.self, ThumbnailCommand.self, ServeCommand.self]
    )
}
