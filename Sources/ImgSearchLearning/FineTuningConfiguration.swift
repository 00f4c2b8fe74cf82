#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImgSearchCore

/// Hyperparameters of end-to-end fine-tuning by backpropagation with Adam.
///
/// The paper fine-tuned with conjugate gradients on batches of 1000 for 200
/// epochs. Adam (Kingma and Ba 2015) on mini-batches reaches the same error
/// in fewer passes and has one step size for all layers, which matters here
/// because the gradients of the 784-wide output layer and of the 30 code
/// units differ by orders of magnitude. The step size follows a cosine from
/// `learningRate` down to `learningRate * finalLearningRateFraction`, so the
/// last epochs average out the mini-batch noise instead of bouncing on it.
public struct FineTuningConfiguration: Sendable, Codable, Equatable {
    /// Passes over the training set.
    public var epochs: Int = 50
    /// Samples per mini-batch. 100 is the paper's batch for pretraining; larger
    /// batches spend less of each step in the optimizer's element-wise update.
    public var batchSize: Int = 100
    /// Adam's step size at the first epoch. 1e-3 is Adam's usual default;
    /// pretrained weights are already good, and much larger steps undo the
    /// pretraining in the first epoch.
    public var learningRate: Float = 1e-3
    /// The step size at the last epoch, as a fraction of `learningRate`.
    public var finalLearningRateFraction: Float = 0.01
    /// Adam's decay of the mean of the gradient.
    public var beta1: Float = 0.9
    /// Adam's decay of the mean of the squared gradient.
    public var beta2: Float = 0.999
    /// Adam's denominator floor.
    public var epsilon: Float = 1e-8
    /// L2 penalty on the weights (the paper's backprop.m has none).
    public var weightCost: Float = 0

    /// The defaults above.
    public init() {}

    /// The step size during `epoch` (1-based): a cosine from `learningRate`
    /// to `learningRate * finalLearningRateFraction`.
    public func learningRate(epoch: Int) -> Float {
        guard epochs > 1 else { return learningRate }
        let progress = Double(epoch - 1) / Double(epochs - 1)
        let floor = Double(finalLearningRateFraction)
        let factor = floor + (1 - floor) * 0.5 * (1 + cos(Double.pi * progress))
        return learningRate * Float(factor)
    }

    /// Throws `TrainingError.invalidConfiguration` naming the first bad value.
    public func validate() throws {
        guard epochs >= 0 else { throw TrainingError.invalidConfiguration("fine-tuning epochs is \(epochs); use 0 or more") }
        guard batchSize >= 1 else { throw TrainingError.invalidConfiguration("fine-tuning batchSize is \(batchSize); use 1 or more") }
        guard learningRate > 0, learningRate.isFinite else {
            throw TrainingError.invalidConfiguration("fine-tuning learningRate is \(learningRate); use a positive number such as 0.001")
        }
        guard (0...1).contains(finalLearningRateFraction) else {
            throw TrainingError.invalidConfiguration("finalLearningRateFraction is \(finalLearningRateFraction); use a value in [0, 1]")
        }
        guard (0..<1).contains(beta1), (0..<1).contains(beta2) else {
            throw TrainingError.invalidConfiguration("Adam betas must be in [0, 1), got \(beta1) and \(beta2)")
        }
        guard weightCost >= 0 else { throw TrainingError.invalidConfiguration("fine-tuning weightCost is \(weightCost); use 0 or more") }
    }
}
