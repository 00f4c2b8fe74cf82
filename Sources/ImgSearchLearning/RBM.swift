import ImgSearchCore
import ImgSearchLinearAlgebra

/// The kind of an RBM's visible units.
public enum VisibleUnits: UInt8, Sendable, Codable, CaseIterable {
    /// Logistic (binary) units: data in [0, 1] such as MNIST pixels, or the
    /// hidden probabilities of the RBM below. Reconstruction is `logistic(hW' + b)`.
    case logistic = 0
    /// Gaussian units with unit variance: standardized data (zero mean, unit
    /// variance per input). Reconstruction is the mean `hW' + b`, not sampled.
    case gaussian = 1
}

/// The kind of an RBM's hidden units.
public enum HiddenUnits: UInt8, Sendable, Codable, CaseIterable {
    /// Logistic (binary) units, sampled to 0/1 in the negative phase.
    case logistic = 0
    /// Linear units with unit-variance Gaussian noise (rbmhidlinear.m): the
    /// code layer of the paper's autoencoder, whose states are `hW + b + N(0, 1)`.
    case linear = 1
}

/// A restricted Boltzmann machine: one layer of the stack.
///
/// Energy-based model with `visible` and `hidden` units and no connections
/// within a layer, so each layer given the other factorizes. The names follow
/// Hinton and Salakhutdinov's rbm.m (`vishid`, `visbiases`, `hidbiases`).
public struct RBM: Sendable, Equatable {
    /// `(visible, hidden)`, row-major: `weights[i, j]` joins visible `i` to hidden `j`.
    public var weights: Matrix
    /// One bias per visible unit (`visible` values).
    public var visibleBias: [Float]
    /// One bias per hidden unit (`hidden` values).
    public var hiddenBias: [Float]
    /// The kind of the visible units.
    public let visibleUnits: VisibleUnits
    /// The kind of the hidden units.
    public let hiddenUnits: HiddenUnits

    /// Number of visible units.
    public var visibleCount: Int { weights.rows }
    /// Number of hidden units.
    public var hiddenCount: Int { weights.columns }

    /// A fresh RBM as rbm.m starts one: weights `0.1 * randn`, biases zero.
    /// - Parameter weightScale: standard deviation of the initial weights (default 0.1, rbm.m's)
    public init(
        visible: Int, hidden: Int,
        visibleUnits: VisibleUnits = .logistic, hiddenUnits: HiddenUnits = .logistic,
        weightScale: Float = 0.1, generator: inout SplitMix64
    ) {
        precondition(visible > 0 && hidden > 0, "an RBM needs at least one visible and one hidden unit")
        self.weights = .gaussian(rows: visible, columns: hidden, scale: weightScale, generator: &generator)
        self.visibleBias = [Float](repeating: 0, count: visible)
        self.hiddenBias = [Float](repeating: 0, count: hidden)
        self.visibleUnits = visibleUnits
        self.hiddenUnits = hiddenUnits
    }

    /// An RBM with the given parameters.
    /// - Parameters:
    ///   - weights: `(visible, hidden)`
    ///   - visibleBias: `visible` values
    ///   - hiddenBias: `hidden` values
    public init(weights: Matrix, visibleBias: [Float], hiddenBias: [Float],
                visibleUnits: VisibleUnits, hiddenUnits: HiddenUnits) {
        precondition(visibleBias.count == weights.rows && hiddenBias.count == weights.columns,
                     "bias lengths must match the weight matrix \(weights.shape)")
        self.weights = weights
        self.visibleBias = visibleBias
        self.hiddenBias = hiddenBias
        self.visibleUnits = visibleUnits
        self.hiddenUnits = hiddenUnits
    }

    // MARK: - Inference

    /// The hidden units' means given the visible units: `logistic(vW + c)`, or
    /// `vW + c` for linear hidden units. The next RBM of the stack trains on these.
    /// - Parameter visible: `(batch, visible)`
    /// - Returns: `(batch, hidden)`
    public func hiddenProbabilities(_ visible: Matrix) -> Matrix {
        var hidden = Matrix(rows: visible.rows, columns: hiddenCount)
        hiddenProbabilities(visible, into: &hidden)
        return hidden
    }

    /// `hiddenProbabilities(_:)` into a preallocated `(batch, hidden)` matrix.
    public func hiddenProbabilities(_ visible: Matrix, into hidden: inout Matrix) {
        Matrix.multiply(visible, weights, into: &hidden)
        hidden.addToEachRow(hiddenBias)
        if hiddenUnits == .logistic { hidden.applyLogistic() }
    }

    /// The visible units' means given hidden states: `logistic(hW' + b)`, or
    /// `hW' + b` for Gaussian visible units.
    /// - Parameter hidden: `(batch, hidden)`
    /// - Returns: `(batch, visible)`
    public func visibleReconstruction(_ hidden: Matrix) -> Matrix {
        var visible = Matrix(rows: hidden.rows, columns: visibleCount)
        visibleReconstruction(hidden, into: &visible)
        return visible
    }

    /// `visibleReconstruction(_:)` into a preallocated `(batch, visible)` matrix.
    public func visibleReconstruction(_ hidden: Matrix, into visible: inout Matrix) {
        Matrix.multiply(hidden, weights, transposeB: true, into: &visible)
        visible.addToEachRow(visibleBias)
        if visibleUnits == .logistic { visible.applyLogistic() }
    }

    /// Squared reconstruction error summed over the visible units, averaged
    /// over the rows of `data`, after one up-down pass through the means.
    /// - Parameter data: `(samples, visible)`
    public func meanReconstructionError(_ data: Matrix) -> Double {
        guard data.rows > 0 else { return 0 }
        let reconstruction = visibleReconstruction(hiddenProbabilities(data))
        return reconstruction.squaredDistance(to: data) / Double(data.rows)
    }
}
