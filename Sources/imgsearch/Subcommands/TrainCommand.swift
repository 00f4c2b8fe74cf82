import ArgumentParser
import Foundation
import ImgSearch

/// `imgsearch train`: trains a semantic-hashing model on the index's own
/// images and switches the index to it; with `--folder` and `--output`,
/// trains on a folder and writes a model file instead.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on the indexed images and switch the index to it.",
        discussion: """
            Without --folder: a seeded sample of at most --limit indexed
            images is decoded again and trains the model, every image is
            re-encoded with the new model, and the index switches to it in
            one transaction. Queries keep using the old model until then; an
            interruption before it changes nothing. Indexed files that can no
            longer be read are named on stderr and leave the index.

            With --folder DIR --output FILE: trains on the images below DIR
            (the first --limit in path order) and writes the model file
            atomically; no index is touched. scripts/train-default-model.sh
            makes the shipped model this way.

            Training reports each epoch on stderr.
            Exit status: 0 done, 1 failed (nothing changed), 3 done with some
            files removed or left out, 64 bad arguments.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup(title: "Model") var model: ModelTrainingOptions

    @Option(help: "Train on the images below this folder instead of the index (needs --output).")
    var folder: String?

    @Option(name: [.customShort("o"), .customLong("output")], help: "With --folder: the model file to write.")
    var output: String?

    @Option(help: "Seed of every random draw (and of the training sample).")
    var seed = ThumbnailModelSettings().seed

    @Option(parsing: .unconditional, help: "Threads for decoding and for OpenBLAS.")
    var jobs = 2

    @Option(parsing: .unconditional, help: "Train on at most this many images (default: \(ImageIndex.defaultMaximumTrainingImages) from an index, all of a folder).")
    var limit: Int?

    @Flag(help: "Print a JSON summary on stdout (training on the index).")
    var json = false

    func validate() throws {
        try NumberLimits.checkJobs(jobs)
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        guard (folder == nil) == (output == nil) else { throw ValidationError("--folder and --output go together") }
    }

    private var settings: ThumbnailModelSettings { model.settings(seed: seed) }

    func run() throws {
        BLAS.threadCount = jobs
        if let folder, let output {
            try trainOnFolder(folder, output: output)
        } else {
            try trainOnIndex()
        }
    }

    private func trainOnIndex() throws {
        let index = try database.openExisting(readOnly: false)
        let printer = ProgressPrinter()
        let summary = try index.train(
            settings: settings, jobs: jobs, maximumTrainingImages: limit ?? ImageIndex.defaultMaximumTrainingImages,
            onWait: {
                printer.finishLine()
                printError("\(database.path): another imgsearch is indexing into this index; the switch waits for it to finish")
            },
            progress: printer.report,
            trainingProgress: { progress in
                printer.finishLine()
                printError("train: \(progress)")
                return .proceed
            },
            onFailure: { failure in
                printer.finishLine()
                printError("\(failure) (removed from the index)")
            })
        printer.finishLine()
        if json {
            try printJSON(summary)
        } else {
            print("trained on \(summary.trainedOn) images; \(summary.reencoded) re-encoded, \(summary.removed) removed, "
                  + "in \(ProgressPrinter.duration(summary.seconds))")
        }
        if summary.removed > 0 { throw ExitCode(3) }
    }

    private func trainOnFolder(_ folder: String, output: String) throws {
        let printer = ProgressPrinter()
        var failed = 0
        let thumbnails = try ThumbnailModelTrainer.thumbnails(
            inFolder: folder, settings: settings, jobs: jobs, limit: limit,
            progress: printer.report, onFailure: { printer.finishLine(); printError("\($0)"); failed += 1 })
        printer.finishLine()
        let model = try ThumbnailModelTrainer.train(thumbnails, settings: settings, trainedOn: "\(thumbnails.count) images of \(folder)") { progress in
            printError("train: \(progress)")
            return .proceed
        }
        try ModelFile.write(model, to: URL(fileURLWithPath: output))
        printError("train: model written to \(output)")
        if failed > 0 { throw ExitCode(3) }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
