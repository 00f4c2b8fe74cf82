import ImgSearchCore

/// What a training run reports after every epoch.
public struct TrainingProgress: Sendable, CustomStringConvertible {
    /// Which part of the training the epoch belongs to.
    public enum Phase: Sendable, Equatable {
        /// Greedy pretraining of RBM `layer` (0-based) of `layerCount`.
        case pretraining(layer: Int, layerCount: Int)
        /// End-to-end fine-tuning of the unrolled autoencoder by backpropagation.
        case fineTuning
    }

    /// The part of the training.
    public var phase: Phase
    /// The epoch just finished, 1-based.
    public var epoch: Int
    /// Epochs in this phase.
    public var epochCount: Int
    /// The epoch's mean error per sample: for an RBM the squared error of the
    /// one-step reconstruction summed over the visible units; for fine-tuning
    /// the training loss (cross-entropy or half squared error, summed over the
    /// inputs).
    public var error: Double
    /// Seconds since this phase started.
    public var elapsedSeconds: Double
    /// Mean squared reconstruction error per sample on held-out data (raw
    /// scale, summed over the inputs), when the training was given some and
    /// this epoch was one to evaluate.
    public var validationError: Double?

    /// Creates a report.
    public init(phase: Phase, epoch: Int, epochCount: Int, error: Double, elapsedSeconds: Double) {
        self.phase = phase
        self.epoch = epoch
        self.epochCount = epochCount
        self.error = error
        self.elapsedSeconds = elapsedSeconds
    }

    private static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    /// One line for a log: `rbm 1/4 epoch 3/50 error 12.345 (4.2 s)`.
    public var description: String {
        let name: String
        switch phase {
        case .pretraining(let layer, let layerCount): name = "rbm \(layer + 1)/\(layerCount)"
        case .fineTuning: name = "fine-tuning"
        }
        let seconds = (elapsedSeconds * 10).rounded() / 10
        let validation = validationError.map { " validation \(Self.rounded($0))" } ?? ""
        return "\(name) epoch \(epoch)/\(epochCount) error \(Self.rounded(error))\(validation) (\(seconds) s)"
    }
}

/// What the progress handler answers: go on, or stop the training.
public enum TrainingDecision: Sendable {
    /// Go on with the next epoch.
    case proceed
    /// Stop now; the training function throws `TrainingError.cancelled`.
    case cancel
}

/// Called after every epoch; its answer can cancel the training.
public typealias TrainingProgressHandler = (TrainingProgress) -> TrainingDecision

