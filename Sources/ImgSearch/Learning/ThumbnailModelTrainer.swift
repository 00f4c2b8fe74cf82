import Foundation

/// The settings of a semantic-hashing model trained on thumbnails.
public struct ThumbnailModelSettings: Sendable, Codable, Equatable {
    /// Layer sizes from the thumbnail (3 * side * side) to the code (the
    /// number of hash bits). Default 3072-512-256-128-30: the shipped model
    /// must fit in 16 MB as float32 with its decoder (14 MB); the issue's
    /// 3072-1024-512-256-30 would take 30 MB.
    public var layerSizes = [3072, 512, 256, 128, 30]
    /// Contrastive-divergence epochs per RBM.
    public var pretrainingEpochs = 10
    /// Backpropagation epochs through the unrolled autoencoder.
    public var fineTuningEpochs = 20
    /// Standard deviation of the deterministic Gaussian noise added to the
    /// code units' inputs during fine-tuning, which drives the logistic code
    /// units towards 0 and 1 (Salakhutdinov & Hinton's semantic hashing used
    /// variance 16, i.e. 4).
    public var noiseScale: Float = 4
    /// Per-image contrast normalization before standardization: the
    /// `epsilon` added to each image's standard deviation, or nil for none
    /// (see ``ContrastNormalization``).
    public var contrastEpsilon: Float? = 0.05
    /// Round the trained weights to half precision, so the model file is half
    /// the size and a query loads it twice as fast (docs/quality.md measures
    /// what the rounding changes).
    public var halfPrecisionWeights = true
    /// Fine-tuning step size (Adam).
    public var learningRate: Float = 1e-3
    /// The seed of every random draw: the same settings and data give the same model.
    public var seed: UInt64 = 1

    public init() {}
}

/// Trains the model that turns thumbnails into semantic hashes: greedy RBM
/// pretraining (Gaussian visible units on contrast-normalized, standardized pixels, logistic
/// hidden units, logistic code units), unrolling, fine-tuning with noise on
/// the code units' inputs, then per-bit thresholds at the median code so
/// every bit splits the training images in half.
public enum ThumbnailModelTrainer {
    /// The trained model; its metadata records the settings and what it was trained on.
    ///
    /// - Parameter thumbnails: at least ``minimumThumbnailCount``, all of
    ///   the side the first layer expects.
    /// - Parameter trainedOn: words for the metadata ("CIFAR-10 train split").
    public static func train(
        _ thumbnails: [Thumbnail], settings: ThumbnailModelSettings, trainedOn: String,
        progress: TrainingProgressHandler = { _ in .proceed }
    ) throws -> DeepAutoencoder {
        guard thumbnails.count >= minimumThumbnailCount else {
            throw TrainingError.invalidData(
                "\(thumbnails.count) images are too few to train on; at least \(minimumThumbnailCount) are needed")
        }
        guard let inputSize = settings.layerSizes.first, thumbnails.allSatisfy({ $0.values.count == inputSize }) else {
            throw TrainingError.invalidConfiguration("every thumbnail must have \(settings.layerSizes.first ?? 0) values")
        }
        let start = Date()
        let data = Matrix(rows: thumbnails.count, columns: inputSize, elements: thumbnails.flatMap(\.values))
        let codeUnits = CodeUnits.logistic(noiseScale: settings.noiseScale)
        let depth = settings.layerSizes.count - 1
        var generator = SplitMix64(seed: settings.seed)
        var model = try DeepAutoencoder.pretrained(
            on: data, layerSizes: settings.layerSizes, inputUnits: .gaussian, codeUnits: codeUnits,
            configurations: DeepAutoencoder.recommendedPretraining(
                depth: depth, inputUnits: .gaussian, codeUnits: codeUnits, epochs: settings.pretrainingEpochs),
            contrastNormalization: settings.contrastEpsilon.map(ContrastNormalization.init(epsilon:)),
            generator: &generator, progress: progress)
        var fineTuning = FineTuningConfiguration()
        fineTuning.epochs = settings.fineTuningEpochs
        fineTuning.learningRate = settings.learningRate
        try model.fineTune(on: data, configuration: fineTuning, generator: &generator, progress: progress)
        if settings.halfPrecisionWeights {
            // Before the thresholds, so they are the medians of the codes the
            // stored (rounded) model gives.
            model.roundWeightsToHalfPrecision()
        }
        try model.fitThresholds(to: data)

        model.metadata.seed = settings.seed
        model.metadata.trainingSamples = thumbnails.count
        model.metadata.trainingSeconds = Date().timeIntervalSince(start)
        model.metadata.createdAt = ISO8601DateFormatter().string(from: Date())
        model.metadata.notes = "trained on \(trainedOn)"
        return model
    }

    /// Fewer images than this cannot fit a model of this size meaningfully.
    public static let minimumThumbnailCount = 1_000
}
