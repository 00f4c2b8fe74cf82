import ArgumentParser
import Foundation
import ImgSearch

/// `imgsearch train --folder DIR --output MODEL`: trains a semantic-hashing
/// model on a folder's images and writes the model file.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a semantic-hashing model on a folder of images and write the model file.",
        discussion: """
            Every image below the folder is decoded to its thumbnail; images
            that cannot be decoded are named on stderr and left out. Training
            reports each epoch on stderr. The model file is written
            atomically (a temporary file renamed into place).
            Exit status: 0 written, 1 failed, 64 bad arguments.
            """
    )

    @Option(help: "Folder of training images (walked recursively).")
    var folder: String

    @Option(name: [.customShort("o"), .customLong("output")], help: "The model file to write.")
    var output: String

    @Option(help: "Layer sizes from the thumbnail to the code, comma-separated.")
    var layers: String = ThumbnailModelSettings().layerSizes.map(String.init).joined(separator: ",")

    @Option(help: "Contrastive-divergence epochs per RBM.")
    var pretrainingEpochs = ThumbnailModelSettings().pretrainingEpochs

    @Option(help: "Backpropagation epochs.")
    var fineTuningEpochs = ThumbnailModelSettings().fineTuningEpochs

    @Option(help: "Noise on the code units' inputs during fine-tuning (standard deviation).")
    var noiseScale = ThumbnailModelSettings().noiseScale

    @Option(help: "Seed of every random draw.")
    var seed = ThumbnailModelSettings().seed

    @Option(help: "Threads for decoding and for OpenBLAS.")
    var jobs = 2

    @Option(help: "Use at most this many images (the first in path order).")
    var limit: Int?

    func validate() throws {
        guard parsedLayers != nil else { throw ValidationError("--layers must be positive integers separated by commas, like 3072,512,256,128,30") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    private var parsedLayers: [Int]? {
        let sizes = layers.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard sizes.count >= 2, sizes.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return sizes.compactMap { $0 }
    }

    func run() throws {
        var settings = ThumbnailModelSettings()
        settings.layerSizes = parsedLayers ?? settings.layerSizes
        settings.pretrainingEpochs = pretrainingEpochs
        settings.fineTuningEpochs = fineTuningEpochs
        settings.noiseScale = noiseScale
        settings.seed = seed
        BLAS.threadCount = jobs

        let printer = ProgressPrinter()
        let thumbnails = try ThumbnailModelTrainer.thumbnails(
            inFolder: folder, settings: settings, jobs: jobs, limit: limit,
            progress: printer.report, onFailure: { printer.finishLine(); printError("\($0)") })
        printer.finishLine()
        let model = try ThumbnailModelTrainer.train(thumbnails, settings: settings, trainedOn: "\(thumbnails.count) images of \(folder)") { progress in
            printError("train: \(progress)")
            return .proceed
        }
        try ModelFile.write(model, to: URL(fileURLWithPath: output))
        printError("train: model written to \(output)")
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
