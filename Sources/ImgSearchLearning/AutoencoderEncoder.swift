import ImgSearchCore
import ImgSearchImaging
import ImgSearchLinearAlgebra
import ImgSearchHashing

/// A trained ``DeepAutoencoder`` as the indexer and the query engine use it:
/// thumbnails in, codes and semantic hashes out.
///
/// The thumbnail's 3 * side * side values (channel-planar, see
/// ``Thumbnail``) are the network's input row; the code layer's output
/// (activations or logits, see ``CodeOutput``) is the real-valued code, and
/// the model's per-unit thresholds turn it into the hash (``HashBinarizer``;
/// an activation of 0.5 when the model has none).
public struct AutoencoderEncoder: SemanticEncoder {
    public let model: DeepAutoencoder
    public let binarizer: HashBinarizer
    public let thumbnailSide: Int
    /// The encoder layers' weights packed for row-independent products:
    /// a picture's code must not depend on what it is encoded with.
    private let packedWeights: [RowIndependentWeights]

    /// Wraps `model`, whose input must be a square RGB thumbnail.
    public init(model: DeepAutoencoder) throws {
        let side = Int(Double(model.rawInputSize / 3).squareRoot().rounded())
        guard side > 0, 3 * side * side == model.rawInputSize else {
            throw TrainingError.invalidConfiguration(
                "the model takes \(model.rawInputSize) inputs, not a square RGB thumbnail (3 * side * side)")
        }
        guard model.codeSize <= 32 else {
            throw TrainingError.invalidConfiguration("the model has \(model.codeSize) code units; hashes hold at most 32 bits")
        }
        self.model = model
        self.thumbnailSide = side
        packedWeights = model.layers[0..<model.depth].map { RowIndependentWeights($0.weights) }
        if model.thresholds.count == model.codeSize {
            binarizer = try HashBinarizer(thresholds: model.thresholds)
        } else {
            binarizer = try HashBinarizer.logistic(bitCount: model.codeSize, codeOutput: model.codeOutput)
        }
    }

    public var codeOutput: CodeOutput { model.codeOutput }

    public func hash(_ code: [Float]) throws -> SemanticHash {
        try binarizer.hash(code)
    }

    /// Codes and hashes for `thumbnails`, in one forward pass per batch of 256.
    public func encode(_ thumbnails: [Thumbnail]) throws -> [SemanticCode] {
        var codes: [SemanticCode] = []
        codes.reserveCapacity(thumbnails.count)
        for start in stride(from: 0, to: thumbnails.count, by: 256) {
            let batch = thumbnails[start..<min(start + 256, thumbnails.count)]
            var input: [Float] = []
            input.reserveCapacity(batch.count * model.rawInputSize)
            for thumbnail in batch {
                guard thumbnail.side == thumbnailSide else {
                    throw TrainingError.invalidConfiguration("a \(thumbnail.side)x\(thumbnail.side) thumbnail for a model of side \(thumbnailSide)")
                }
                input.append(contentsOf: thumbnail.values)
            }
            let output = encodeRowByRow(Matrix(rows: batch.count, columns: model.rawInputSize, elements: input))
            for row in 0..<output.rows {
                let code = output.row(row)
                codes.append(SemanticCode(code: code, hash: try binarizer.hash(code)))
            }
        }
        return codes
    }

    /// ``DeepAutoencoder/encode(_:)`` with every product row-independent
    /// (``RowIndependentWeights``): the features and the elementwise steps
    /// already are, and BLAS's products were not.
    func encodeRowByRow(_ input: Matrix) -> Matrix {
        var activity = model.preprocess(input)
        for (index, layer) in model.layers[0..<model.depth].enumerated() {
            activity = packedWeights[index].multiply(activity)
            activity.addToEachRow(layer.bias)
            let isLinearCode = index == model.depth - 1 && model.codeOutput == .preActivations
            if !isLinearCode && layer.activation == .logistic { activity.applyLogistic() }
        }
        return activity
    }
}
