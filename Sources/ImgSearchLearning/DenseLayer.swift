import ImgSearchLinearAlgebra

/// The non-linearity of a layer of the unrolled autoencoder.
public enum Activation: UInt8, Sendable, Codable, CaseIterable {
    /// `1 / (1 + exp(-a))`: hidden layers, the hashing code layer, and the
    /// output layer for data in [0, 1].
    case logistic = 0
    /// The identity: the paper's code layer and the output layer for
    /// standardized data.
    case linear = 1
}

/// How the code units behave: the two modes of the code layer.
public enum CodeUnits: Sendable, Equatable, Codable {
    /// Linear code units with continuous values, as in Hinton and
    /// Salakhutdinov 2006 (pretrained as rbmhidlinear.m's linear hidden units).
    case linear
    /// Logistic code units that get Gaussian noise of standard deviation
    /// `noiseScale` added to their inputs during fine-tuning (Salakhutdinov and
    /// Hinton, "Semantic Hashing"). To carry information through the noise
    /// the network pushes the inputs far from 0, so the activations become
    /// nearly binary and rounding them to bits loses little. The noise is
    /// deterministic (fixed per training sample), as in the paper, so the
    /// objective does not move between epochs. Encoding adds no noise.
    case logistic(noiseScale: Float)

    /// The code layer's activation.
    public var activation: Activation {
        switch self {
        case .linear: return .linear
        case .logistic: return .logistic
        }
    }

    /// The noise standard deviation during fine-tuning (0 for linear codes).
    public var noiseScale: Float {
        switch self {
        case .linear: return 0
        case .logistic(let noiseScale): return noiseScale
        }
    }
}

/// One fully connected layer of the unrolled autoencoder: `y = f(xW + b)`.
public struct DenseLayer: Sendable, Equatable {
    /// `(inputs, outputs)`, row-major.
    public var weights: Matrix
    /// `outputs` values.
    public var bias: [Float]
    /// The non-linearity `f`.
    public var activation: Activation

    /// Number of inputs.
    public var inputCount: Int { weights.rows }
    /// Number of outputs.
    public var outputCount: Int { weights.columns }

    /// A layer with the given parameters.
    /// - Parameters:
    ///   - weights: `(inputs, outputs)`
    ///   - bias: `outputs` values
    public init(weights: Matrix, bias: [Float], activation: Activation) {
        precondition(bias.count == weights.columns, "bias has \(bias.count) values, layer has \(weights.columns) outputs")
        self.weights = weights
        self.bias = bias
        self.activation = activation
    }

    /// `f(xW + b)` into `output`, with `noise` added to `xW + b` first when given.
    /// - Parameters:
    ///   - input: `(batch, inputs)`
    ///   - noise: `(batch, outputs)` or nil
    ///   - output: `(batch, outputs)`, overwritten
    public func forward(_ input: Matrix, noise: Matrix? = nil, into output: inout Matrix) {
        Matrix.multiply(input, weights, into: &output)
        output.addToEachRow(bias)
        if let noise { output.add(noise) }
        if activation == .logistic { output.applyLogistic() }
    }

    /// `xW + b` as a new matrix: the layer without its activation.
    /// - Parameter input: `(batch, inputs)`
    public func forwardLinear(_ input: Matrix) -> Matrix {
        var output = Matrix(rows: input.rows, columns: outputCount)
        Matrix.multiply(input, weights, into: &output)
        output.addToEachRow(bias)
        return output
    }

    /// `f(xW + b)` as a new matrix.
    /// - Parameter input: `(batch, inputs)`
    /// - Returns: `(batch, outputs)`
    public func forward(_ input: Matrix) -> Matrix {
        var output = forwardLinear(input)
        if activation == .logistic { output.applyLogistic() }
        return output
    }
}
