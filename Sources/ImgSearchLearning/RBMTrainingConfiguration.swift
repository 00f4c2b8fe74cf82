import ImgSearchCore

/// Hyperparameters of contrastive-divergence training for one RBM.
///
/// The defaults are those of Hinton and Salakhutdinov's rbm.m for MNIST:
/// 50 epochs of mini-batches of 100, learning rate 0.1 for weights and
/// biases, weight cost 0.0002, momentum 0.5 for the first 5 epochs then 0.9.
/// `recommended(visibleUnits:hiddenUnits:)` lowers the learning rate where
/// the units are not both logistic, as rbmhidlinear.m does.
public struct RBMTrainingConfiguration: Sendable, Codable, Equatable {
    /// Passes over the training set (rbm.m: `maxepoch = 50`).
    public var epochs: Int = 50
    /// Samples per mini-batch (rbm.m: 100).
    public var batchSize: Int = 100
    /// Step size for weights and biases (rbm.m: `epsilonw = epsilonvb = epsilonhb = 0.1`).
    public var learningRate: Float = 0.1
    /// L2 penalty on the weights, not the biases (rbm.m: `weightcost = 0.0002`).
    public var weightCost: Float = 0.0002
    /// Momentum while the weights are still far from a good region (rbm.m: 0.5).
    public var initialMomentum: Float = 0.5
    /// Momentum after `momentumSwitchEpoch` epochs (rbm.m: 0.9).
    public var finalMomentum: Float = 0.9
    /// Epochs run with `initialMomentum` (rbm.m switches when `epoch > 5`).
    public var momentumSwitchEpoch: Int = 5
    /// Gibbs steps in the negative phase: 1 is CD-1 (the paper), more is CD-k.
    public var gibbsSteps: Int = 1

    /// The rbm.m defaults.
    public init() {}

    /// The defaults, with the learning rate suited to the unit types:
    /// 0.1 for logistic/logistic (rbm.m), 0.001 when the hidden units are
    /// linear (rbmhidlinear.m: their unbounded activities make larger steps
    /// diverge), 0.001 for Gaussian visible units (Hinton's practical guide:
    /// one to two orders of magnitude below the binary case, because the
    /// reconstruction is unbounded too).
    public static func recommended(visibleUnits: VisibleUnits, hiddenUnits: HiddenUnits) -> RBMTrainingConfiguration {
        var configuration = RBMTrainingConfiguration()
        if hiddenUnits == .linear || visibleUnits == .gaussian {
            configuration.learningRate = 0.001
        }
        return configuration
    }

    /// The momentum for `epoch` (1-based).
    public func momentum(epoch: Int) -> Float {
        epoch > momentumSwitchEpoch ? finalMomentum : initialMomentum
    }

    /// Throws `TrainingError.invalidConfiguration` naming the first bad value.
    public func validate() throws {
        guard epochs >= 0 else { throw TrainingError.invalidConfiguration("epochs is \(epochs); use 0 or more") }
        guard batchSize >= 1 else { throw TrainingError.invalidConfiguration("batchSize is \(batchSize); use 1 or more") }
        guard learningRate > 0, learningRate.isFinite else {
            throw TrainingError.invalidConfiguration("learningRate is \(learningRate); use a positive number such as 0.1")
        }
        guard weightCost >= 0 else { throw TrainingError.invalidConfiguration("weightCost is \(weightCost); use 0 or more") }
        guard (0..<1).contains(initialMomentum), (0..<1).contains(finalMomentum) else {
            throw TrainingError.invalidConfiguration("momentum must be in [0, 1), got \(initialMomentum) and \(finalMomentum)")
        }
        guard gibbsSteps >= 1 else { throw TrainingError.invalidConfiguration("gibbsSteps is \(gibbsSteps); use 1 or more") }
    }
}
