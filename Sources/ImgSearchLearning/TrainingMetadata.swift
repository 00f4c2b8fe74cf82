import ImgSearchCore

/// How a model was trained, stored in the model file beside the weights so a
/// model can always be traced back to its data and settings.
public struct TrainingMetadata: Sendable, Codable, Equatable {
    /// The seed of the run's `SplitMix64`.
    public var seed: UInt64 = 0
    /// Number of training samples.
    public var trainingSamples: Int = 0
    /// Pretraining settings of each RBM, bottom first.
    public var pretraining: [RBMTrainingConfiguration] = []
    /// Fine-tuning settings.
    public var fineTuning: FineTuningConfiguration?
    /// The share of fine-tuning inputs that were half-size copies of their
    /// image (``ThumbnailModelSettings/halfSizeCopyShare``); nil for none,
    /// and in models from before the setting.
    public var halfSizeCopyShare: Float?
    /// Final mean reconstruction error per sample of each RBM.
    public var pretrainingErrors: [Double] = []
    /// Final mean training error per sample after fine-tuning (squared error
    /// summed over the inputs).
    public var fineTuningError: Double?
    /// Wall-clock seconds of the whole training.
    public var trainingSeconds: Double = 0
    /// When training finished, ISO 8601.
    public var createdAt: String = ""
    /// Free text: data set, purpose.
    public var notes: String = ""

    /// Empty metadata (an untrained model).
    public init() {}
}
