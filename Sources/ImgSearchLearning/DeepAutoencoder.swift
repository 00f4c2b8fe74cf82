import ImgSearchCore
import ImgSearchLinearAlgebra
import ImgSearchHashing

/// A deep autoencoder: an encoder from inputs to a short code and a decoder
/// back, trained greedily as a stack of RBMs and then end to end by
/// backpropagation (Hinton and Salakhutdinov, Science 2006).
///
/// `layerSizes` lists the encoder from input to code, for example
/// `[784, 1000, 500, 250, 30]` for MNIST or `[3072, 1024, 512, 256, 30]` for
/// 32x32 RGB thumbnails; the decoder mirrors it, so there are
/// `2 * (layerSizes.count - 1)` dense layers, encoder first.
public struct DeepAutoencoder: Sendable, Equatable {
    /// Encoder sizes from input to code (at least two values).
    public let layerSizes: [Int]
    /// The input units: `.logistic` for data in [0, 1] (logistic output,
    /// cross-entropy loss), `.gaussian` for standardized data (linear output,
    /// squared-error loss).
    public let inputUnits: VisibleUnits
    /// The code layer's mode: linear (the paper) or logistic with noise (hashing).
    public let codeUnits: CodeUnits
    /// Encoder layers then decoder layers; layer `i` maps `layerSizes[i]` to
    /// `layerSizes[i + 1]` for `i < depth`, and the decoder mirrors them.
    public var layers: [DenseLayer]
    /// Statistics applied to raw inputs before the encoder (and inverted after
    /// the decoder); nil when the model takes its inputs as they are (MNIST).
    public var standardization: Standardization?
    /// The features computed from raw thumbnails before the
    /// standardization (``ThumbnailFeatures``); nil when the model takes its
    /// inputs as they are (MNIST, older models).
    public var inputFeatures: ThumbnailFeatures?
    /// What ``encode(_:)`` reports of the code layer: its activations, or
    /// (for logistic code units) the inputs of the logistic, which keep the
    /// resolution the saturated activations lose.
    public var codeOutput: CodeOutput = .activations
    /// One threshold per code unit: a code value above it is bit 1. Empty until
    /// `fitThresholds(to:)`.
    public var thresholds: [Float] = []
    /// How the model was trained.
    public var metadata = TrainingMetadata()

    /// Number of encoder layers (`layerSizes.count - 1`).
    public var depth: Int { layerSizes.count - 1 }
    /// Number of inputs of the first layer (features, when the model has them).
    public var inputSize: Int { layerSizes[0] }
    /// Number of raw values per sample that ``encode(_:)`` takes: the
    /// thumbnail's values when the model computes features, else ``inputSize``.
    public var rawInputSize: Int { inputFeatures?.inputCount ?? inputSize }
    /// Number of code units.
    public var codeSize: Int { layerSizes[layerSizes.count - 1] }

    /// The default architecture for 32x32 RGB thumbnails.
    public static let thumbnailLayerSizes = [3072, 1024, 512, 256, 30]
    /// The paper's MNIST architecture.
    public static let mnistLayerSizes = [784, 1000, 500, 250, 30]

    /// The activation of each of the `2 * depth` layers: logistic everywhere
    /// except the code layer (per `codeUnits`) and the output layer (linear
    /// for Gaussian inputs).
    public static func activations(depth: Int, inputUnits: VisibleUnits, codeUnits: CodeUnits) -> [Activation] {
        (0..<(2 * depth)).map { index in
            if index == depth - 1 { return codeUnits.activation }
            if index == 2 * depth - 1 { return inputUnits == .gaussian ? .linear : .logistic }
            return .logistic
        }
    }

    /// An autoencoder with small random weights (`weightScale * randn`) and
    /// zero biases: for tests, and for fine-tuning without pretraining.
    public init(layerSizes: [Int], inputUnits: VisibleUnits = .logistic, codeUnits: CodeUnits = .linear,
                weightScale: Float = 0.1, generator: inout SplitMix64) {
        precondition(layerSizes.count >= 2 && layerSizes.allSatisfy { $0 > 0 }, "need at least an input and a code size, all positive")
        let depth = layerSizes.count - 1
        let sizes = layerSizes + layerSizes.reversed().dropFirst()
        let activations = Self.activations(depth: depth, inputUnits: inputUnits, codeUnits: codeUnits)
        self.layerSizes = layerSizes
        self.inputUnits = inputUnits
        self.codeUnits = codeUnits
        self.layers = (0..<(2 * depth)).map { index in
            DenseLayer(weights: .gaussian(rows: sizes[index], columns: sizes[index + 1], scale: weightScale, generator: &generator),
                       bias: [Float](repeating: 0, count: sizes[index + 1]), activation: activations[index])
        }
    }

    /// Unrolls a pretrained stack: encoder layer `i` is RBM `i` going up
    /// (`W`, hidden bias), and the decoder is the stack going down (`W'`,
    /// visible bias), so before fine-tuning the decoder's weights are the
    /// transposes of the encoder's.
    /// - Parameter rbms: bottom first; RBM `i` has `layerSizes[i]` visible and
    ///   `layerSizes[i + 1]` hidden units
    public init(unrolling rbms: [RBM], inputUnits: VisibleUnits, codeUnits: CodeUnits) {
        precondition(!rbms.isEmpty, "need at least one RBM")
        for (lower, upper) in zip(rbms, rbms.dropFirst()) {
            precondition(lower.hiddenCount == upper.visibleCount, "RBM sizes do not chain")
        }
        let depth = rbms.count
        let activations = Self.activations(depth: depth, inputUnits: inputUnits, codeUnits: codeUnits)
        self.layerSizes = [rbms[0].visibleCount] + rbms.map(\.hiddenCount)
        self.inputUnits = inputUnits
        self.codeUnits = codeUnits
        let encoder = rbms.enumerated().map { index, rbm in
            DenseLayer(weights: rbm.weights, bias: rbm.hiddenBias, activation: activations[index])
        }
        let decoder = rbms.reversed().enumerated().map { offset, rbm in
            DenseLayer(weights: rbm.weights.transposed(), bias: rbm.visibleBias, activation: activations[depth + offset])
        }
        self.layers = encoder + decoder
    }

    /// A model with the given layers, as a model file stores it: all
    /// `2 * depth`, or only the `depth` encoder layers (a model loaded for
    /// encoding, see ``hasDecoder``).
    public init(layerSizes: [Int], inputUnits: VisibleUnits, codeUnits: CodeUnits, layers: [DenseLayer]) {
        precondition(layers.count == 2 * (layerSizes.count - 1) || layers.count == layerSizes.count - 1,
                     "need one or two layers per encoder level")
        self.layerSizes = layerSizes
        self.inputUnits = inputUnits
        self.codeUnits = codeUnits
        self.layers = layers
    }

    /// Whether the decoder layers are here. A model loaded only to encode
    /// (``ModelFile/decodeEncoder(_:path:)``) has just the encoder: it can
    /// encode, but not decode, reconstruct, train or be saved.
    public var hasDecoder: Bool { layers.count == 2 * depth }

    /// Forgets the decoder layers (and so half the weights' memory).
    public mutating func dropDecoder() {
        layers.removeSubrange(depth...)
    }

    /// Rounds every weight to the nearest half-precision value, so that the
    /// model file stores the weights in half the bytes without changing
    /// them (``ModelFile``). Biases keep their full precision.
    public mutating func roundWeightsToHalfPrecision() {
        for index in layers.indices {
            for element in layers[index].weights.elements.indices {
                layers[index].weights.elements[element] = HalfPrecision.rounded(layers[index].weights.elements[element])
            }
        }
    }

    // MARK: - Encoding and decoding

    /// Raw inputs as the first layer sees them: features computed, then
    /// standardized per input, where the model has those steps.
    /// - Parameter input: `(batch, rawInputSize)`
    /// - Returns: `(batch, inputSize)`
    public func preprocess(_ input: Matrix) -> Matrix {
        let features = inputFeatures?.transform(input) ?? input
        return standardization?.standardize(features) ?? features
    }

    /// What the decoder reconstructs, in the scale of ``decode(_:)``'s
    /// output: the features when the model computes them, the raw inputs
    /// otherwise.
    /// - Parameter input: `(batch, rawInputSize)`
    public func reconstructionTarget(_ input: Matrix) -> Matrix {
        inputFeatures?.transform(input) ?? input
    }

    /// Codes for a batch of raw inputs (preprocessed first, see
    /// ``preprocess(_:)``). No noise is added in either code mode.
    /// - Parameter input: `(batch, rawInputSize)`
    /// - Returns: `(batch, codeSize)`
    public func encode(_ input: Matrix) -> Matrix {
        precondition(input.columns == rawInputSize, "input has \(input.columns) values per sample, model takes \(rawInputSize)")
        var activity = preprocess(input)
        for (index, layer) in layers[0..<depth].enumerated() {
            activity = index == depth - 1 && codeOutput == .preActivations ? layer.forwardLinear(activity) : layer.forward(activity)
        }
        return activity
    }

    /// Reconstructions of a batch of codes, in the raw input scale (of the
    /// features when the model computes them, see ``reconstructionTarget(_:)``).
    /// - Parameter codes: `(batch, codeSize)`
    /// - Returns: `(batch, inputSize)`
    public func decode(_ codes: Matrix) -> Matrix {
        precondition(codes.columns == codeSize, "codes have \(codes.columns) values, model has \(codeSize) code units")
        precondition(hasDecoder, "an encoder-only model cannot decode")
        var activity = codes
        for layer in layers[depth...] { activity = layer.forward(activity) }
        return standardization?.destandardize(activity) ?? activity
    }

    /// `decode(encode(input))`.
    /// - Parameter input: `(batch, inputSize)`
    /// - Returns: `(batch, inputSize)`
    public func reconstruct(_ input: Matrix) -> Matrix {
        decode(encode(input))
    }

    /// Mean over samples of the squared error summed over the inputs, in the
    /// raw scale: the paper's test metric, evaluated in batches of 1000 to
    /// bound memory.
    /// - Parameter data: `(samples, inputSize)`
    public func meanSquaredReconstructionError(_ data: Matrix) -> Double {
        guard data.rows > 0 else { return 0 }
        var total = 0.0
        for start in stride(from: 0, to: data.rows, by: 1000) {
            let batch = data.rows(start..<min(start + 1000, data.rows))
            total += reconstruct(batch).squaredDistance(to: reconstructionTarget(batch))
        }
        return total / Double(data.rows)
    }

    // MARK: - Binarization

    /// Sets each code unit's threshold to the median of its codes over `data`,
    /// so every bit is 1 for half of the training images: the most
    /// informative split for a hash bit. The median is ``HashBinarizer``'s
    /// (the mean of the two middle values for an even count).
    /// - Parameter data: `(samples, inputSize)`, raw inputs
    public mutating func fitThresholds(to data: Matrix) throws {
        guard data.rows > 0 else { return }
        var codes: [Float] = []
        codes.reserveCapacity(data.rows * codeSize)
        for start in stride(from: 0, to: data.rows, by: 1000) {
            codes.append(contentsOf: encode(data.rows(start..<min(start + 1000, data.rows))).elements)
        }
        thresholds = try HashBinarizer(medianOf: codes, bitCount: codeSize).thresholds
    }
}
