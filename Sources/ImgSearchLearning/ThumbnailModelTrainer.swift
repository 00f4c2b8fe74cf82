import Foundation
import ImgSearchCore
import ImgSearchImaging
import ImgSearchLinearAlgebra

/// The settings of a semantic-hashing model trained on thumbnails.
public struct ThumbnailModelSettings: Sendable, Codable, Equatable {
    /// Layer sizes from the thumbnail (3 * side * side) to the code (the
    /// number of hash bits). Default 3072-512-256-128-30; with ``features``
    /// the first layer takes the features' count instead of the 3072 values.
    /// The widths keep the shipped model file small enough to load on every
    /// query (docs/models.md).
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
    /// The features the first layer sees (gradient histograms and
    /// contrast-normalized colour, ``ThumbnailFeatures``), or nil for the
    /// thumbnail's values as they are. `layerSizes[0]` stays the
    /// thumbnail's size; the first layer gets the features' count.
    public var features: ThumbnailFeatures? = ThumbnailFeatures()
    /// Round the trained weights to half precision, so the model file is half
    /// the size and a query loads it twice as fast (docs/quality.md measures
    /// what the rounding changes).
    public var halfPrecisionWeights = true
    /// The share of images that, in each fine-tuning epoch, go into the
    /// encoder as their half-size copy (``Thumbnail/halfSizeCopy``) while
    /// the decoder must still reconstruct the image itself: teaches the
    /// encoder to give a scaled-down copy its original's code
    /// (docs/quality.md, "Near duplicates"). 0 trains on the images alone.
    public var halfSizeCopyShare: Float = 0.5
    /// Fine-tuning step size (Adam).
    public var learningRate: Float = 1e-3
    /// The seed of every random draw: the same settings and data give the same model.
    public var seed: UInt64 = 1

    public init() {}
}

/// Trains the model that turns thumbnails into semantic hashes: greedy RBM
/// pretraining (Gaussian visible units on standardized thumbnail features, logistic
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
        // The features are sized to the thumbnail; the first layer takes as many values as they give.
        var layerSizes = settings.layerSizes
        var features: ThumbnailFeatures?
        if let settingsFeatures = settings.features {
            guard let sized = settingsFeatures.sized(toThumbnailValues: inputSize) else {
                throw TrainingError.invalidConfiguration("features need a square RGB thumbnail; the first layer size is \(inputSize)")
            }
            features = sized
            layerSizes[0] = sized.outputCount
        }
        var generator = SplitMix64(seed: settings.seed)
        var model = try DeepAutoencoder.pretrained(
            on: data, layerSizes: layerSizes, inputUnits: .gaussian, codeUnits: codeUnits,
            configurations: DeepAutoencoder.recommendedPretraining(
                depth: depth, inputUnits: .gaussian, codeUnits: codeUnits, epochs: settings.pretrainingEpochs),
            inputFeatures: features,
            generator: &generator, progress: progress)
        var fineTuning = FineTuningConfiguration()
        fineTuning.epochs = settings.fineTuningEpochs
        fineTuning.learningRate = settings.learningRate
        var copies: (inputs: Matrix, share: Float)?
        if settings.halfSizeCopyShare > 0 {
            copies = (Matrix(rows: thumbnails.count, columns: inputSize, elements: thumbnails.flatMap(\.halfSizeCopy.values)),
                      settings.halfSizeCopyShare)
        }
        try model.fineTune(on: data, configuration: fineTuning, generator: &generator, copies: copies, progress: progress)
        if settings.halfPrecisionWeights {
            // Before the thresholds, so they are the medians of the codes the
            // stored (rounded) model gives.
            model.roundWeightsToHalfPrecision()
        }
        model.codeOutput = .preActivations
        try model.fitThresholds(to: data)

        model.metadata.seed = settings.seed
        model.metadata.halfSizeCopyShare = settings.halfSizeCopyShare > 0 ? settings.halfSizeCopyShare : nil
        model.metadata.trainingSamples = thumbnails.count
        model.metadata.trainingSeconds = Date().timeIntervalSince(start)
        model.metadata.createdAt = ISO8601DateFormatter().string(from: Date())
        model.metadata.notes = "trained on \(trainedOn)"
        return model
    }

    /// Fewer images than this cannot fit a model of this size meaningfully.
    public static let minimumThumbnailCount = 1_000
}
