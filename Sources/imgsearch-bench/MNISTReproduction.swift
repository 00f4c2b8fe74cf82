import ArgumentParser
import Foundation
import ImgSearch

/// Hinton & Salakhutdinov 2006 on MNIST: 784-1000-500-250-30, RBM pretraining
/// then fine-tuning, scored on the 10,000 test images beside PCA-30.
struct MNISTReproduction: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist",
        abstract: "Train the paper's MNIST autoencoder and report its test reconstruction error beside PCA-30.",
        discussion: "Ends with one line: test reconstruction error: E (PCA-30: P). Progress goes to stderr."
    )

    @Option(help: "Folder with the MNIST idx .gz files.")
    var data = "../shared/data/mnist"

    @Flag(help: "A short run (subset, few epochs) for a check in under 5 minutes.")
    var quick = false

    @Option(help: "Training images used (default 60000, or 10000 with --quick).")
    var trainingSamples: Int?

    @Option(help: "Pretraining epochs per RBM (default 10; the paper used 50; 3 with --quick).")
    var pretrainingEpochs: Int?

    @Option(help: "Fine-tuning epochs (default 80; 15 with --quick).")
    var fineTuningEpochs: Int?

    @Option(help: "Fine-tuning mini-batch size.")
    var fineTuningBatch = 100

    @Option(help: "Adam's initial step size for fine-tuning.")
    var learningRate: Float = 1e-3

    @Option(help: "Final step size as a fraction of the initial one (cosine schedule).")
    var finalLearningRateFraction: Float = 0.01

    @Option(help: "Seed of the run's SplitMix64.")
    var seed: UInt64 = 1

    @Option(help: "OpenBLAS threads.")
    var threads = 2

    @Option(help: "Write the trained model here (optional).")
    var modelOut: String?

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        if let trainingSamples, !(1...60000).contains(trainingSamples) {
            throw ValidationError("--training-samples must be in 1...60000")
        }
    }

    func run() throws {
        BLAS.threadCount = threads
        let samples = trainingSamples ?? (quick ? 10000 : 60000)
        let pretrainingEpochs = pretrainingEpochs ?? (quick ? 3 : 10)
        let fineTuningEpochs = fineTuningEpochs ?? (quick ? 15 : 80)
        let folder = URL(fileURLWithPath: data)
        let training = try MNIST.readImages(at: folder.appendingPathComponent(MNIST.trainingImages).path, limit: samples)
        let test = try MNIST.readImages(at: folder.appendingPathComponent(MNIST.testImages).path)

        var fineTuning = FineTuningConfiguration()
        fineTuning.epochs = fineTuningEpochs
        fineTuning.batchSize = fineTuningBatch
        fineTuning.learningRate = learningRate
        fineTuning.finalLearningRateFraction = finalLearningRateFraction
        let settings = "784-1000-500-250-30, \(samples) training images, pretraining \(pretrainingEpochs) epochs/RBM "
            + "(CD-1, batch 100, rbm.m rates), fine-tuning \(fineTuningEpochs) epochs Adam lr \(learningRate) "
            + "cosine to x\(finalLearningRateFraction), batch \(fineTuningBatch), seed \(seed), \(threads) BLAS threads"
        log("mnist: \(settings)")

        let start = Date()
        let pca = try PCA(fitting: training, componentCount: 30)
        let pcaError = pca.reconstruct(test).squaredDistance(to: test) / Double(test.rows)
        log("mnist: PCA-30 test error \(format(pcaError)) (\(format(Date().timeIntervalSince(start))) s)")

        var generator = SplitMix64(seed: seed)
        let report: TrainingProgressHandler = { progress in
            log("mnist: \(progress)")
            return .proceed
        }
        var model = try DeepAutoencoder.pretrained(
            on: training, layerSizes: DeepAutoencoder.mnistLayerSizes, inputUnits: .logistic, codeUnits: .linear,
            configurations: DeepAutoencoder.recommendedPretraining(depth: 4, inputUnits: .logistic, codeUnits: .linear,
                                                                   epochs: pretrainingEpochs),
            generator: &generator, progress: report)
        let pretrainedError = model.meanSquaredReconstructionError(test)
        log("mnist: after pretraining, test error \(format(pretrainedError)) (\(format(Date().timeIntervalSince(start))) s)")
        // The test error is printed every 5 epochs to watch the run; nothing
        // is chosen by it (no early stopping on the test set).
        let errors = try model.fineTune(on: training, configuration: fineTuning, generator: &generator,
                                        validation: test, validationInterval: 5, progress: report)
        let seconds = Date().timeIntervalSince(start)
        let testError = model.meanSquaredReconstructionError(test)
        model.metadata.seed = seed
        model.metadata.fineTuning = fineTuning
        model.metadata.fineTuningError = errors.last
        model.metadata.trainingSeconds = seconds
        model.metadata.createdAt = ISO8601DateFormatter().string(from: Date())
        model.metadata.notes = "MNIST reproduction: \(settings); test error \(format(testError)), PCA-30 \(format(pcaError))"
        if let modelOut {
            try model.fitThresholds(to: training)
            try ModelFile.write(model, to: URL(fileURLWithPath: modelOut))
            log("mnist: model written to \(modelOut)")
        }
        log("mnist: total \(format(seconds)) s on \(ProcessInfo.processInfo.activeProcessorCount) cores; paper: 3.00 (PCA 13.87)")
        print("test reconstruction error: \(format(testError)) (PCA-30: \(String(format: "%.1f", pcaError)))")
    }
}

private func log(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

private func format(_ value: Double) -> String {
    String(format: "%.2f", value)
}
