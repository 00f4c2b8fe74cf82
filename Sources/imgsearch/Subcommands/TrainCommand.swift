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

    @Option(help: "Train on the images below this folder instead of the index (needs --output).")
    var folder: String?

    @Option(name: [.customShort("o"), .customLong("output")], help: "With --folder: the model file to write.")
    var output: String?

    @Option(help: "Layer sizes from the thumbnail to the code, comma-separated.")
    var layers: String = ThumbnailModelSettings().layerSizes.map(String.init).joined(separator: ",")

    @Option(help: "Contrastive-divergence epochs per RBM.")
    var pretrainingEpochs = ThumbnailModelSettings().pretrainingEpochs

    @Option(help: "Backpropagation epochs.")
    var fineTuningEpochs = ThumbnailModelSettings().fineTuningEpochs

    @Option(help: "Noise on the code units' inputs during fine-tuning (standard deviation).")
    var noiseScale = ThumbnailModelSettings().noiseScale

    @Option(help: "Share of images fed to the encoder as their half-size copy in each fine-tuning epoch, so scaled-down copies get their original's code (0: none).")
    var halfSizeCopies = ThumbnailModelSettings().halfSizeCopyShare

    @Option(help: "Side of the cells of the gradient-orientation histograms the first layer sees (0: none).")
    var gradientCell = ThumbnailFeatures().cellSize

    @Option(help: "Orientation bins of the gradient histograms.")
    var orientationBins = ThumbnailFeatures().orientationBins

    @Option(help: "Per-image contrast normalization of the colour values: the epsilon added to each image's standard deviation (0: none).")
    var contrastEpsilon = ThumbnailFeatures().contrastEpsilon

    @Option(help: "Gradient histograms at 1 scale (the thumbnail) or 2 (also at half its side, over the same cells).")
    var gradientScales = ThumbnailFeatures().gradientScales

    @Option(help: "Side of the colour block: the thumbnail area-averaged to this many pixels a side (a divisor of the thumbnail's side).")
    var colourSide = ThumbnailFeatures().colourSide

    @Option(help: "Weight of the colour values against the gradient histograms, after standardization.")
    var colourWeight = ThumbnailFeatures().colourWeight

    @Flag(help: "Give the first layer the thumbnail's values as they are: no gradient histograms, no contrast normalization (the recipe before features).")
    var rawPixels = false

    @Option(help: "Seed of every random draw (and of the training sample).")
    var seed = ThumbnailModelSettings().seed

    @Option(help: "Threads for decoding and for OpenBLAS.")
    var jobs = 2

    @Option(help: "Train on at most this many images (default: \(ImageIndex.defaultMaximumTrainingImages) from an index, all of a folder).")
    var limit: Int?

    @Flag(help: "Print a JSON summary on stdout (training on the index).")
    var json = false

    func validate() throws {
        guard parsedLayers != nil else { throw ValidationError("--layers must be positive integers separated by commas, like 3072,512,256,128,30") }
        if let problem = features?.problem { throw ValidationError("features: \(problem)") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard (0...1).contains(halfSizeCopies) else { throw ValidationError("--half-size-copies must be a share in 0...1, like 0.5") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        guard (folder == nil) == (output == nil) else { throw ValidationError("--folder and --output go together") }
        guard parsedLayers?.last.map({ (1...32).contains($0) }) ?? false else {
            throw ValidationError("the last layer is the number of hash bits: 1 ... 32")
        }
    }

    private var parsedLayers: [Int]? {
        let sizes = layers.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard sizes.count >= 2, sizes.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return sizes.compactMap { $0 }
    }

    /// The features the options describe, sized to the thumbnail `--layers`
    /// starts with (the trainer refuses a first size that is not one).
    private var features: ThumbnailFeatures? {
        guard !rawPixels else { return nil }
        let features = ThumbnailFeatures(cellSize: gradientCell, orientationBins: orientationBins, gradientScales: gradientScales,
                                         contrastEpsilon: contrastEpsilon, colourSide: colourSide, colourWeight: colourWeight)
        return features.sized(toThumbnailValues: parsedLayers?.first ?? features.inputCount) ?? features
    }

    private var settings: ThumbnailModelSettings {
        var settings = ThumbnailModelSettings()
        settings.layerSizes = parsedLayers ?? settings.layerSizes
        settings.pretrainingEpochs = pretrainingEpochs
        settings.fineTuningEpochs = fineTuningEpochs
        settings.noiseScale = noiseScale
        settings.halfSizeCopyShare = halfSizeCopies
        settings.features = features
        settings.seed = seed
        return settings
    }

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
