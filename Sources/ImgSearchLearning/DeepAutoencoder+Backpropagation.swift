#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImgSearchLinearAlgebra

/// The gradient of the fine-tuning loss with respect to every parameter.
public struct AutoencoderGradients: Sendable {
    /// One `(inputs, outputs)` matrix per layer, like `DenseLayer.weights`.
    public var weights: [Matrix]
    /// One `outputs`-long vector per layer, like `DenseLayer.bias`.
    public var biases: [[Float]]
}

/// Every layer's output for one batch, and the buffers of the backward pass,
/// allocated once per batch size.
struct BackpropagationWorkspace {
    /// `activations[0]` is the input batch, `activations[i + 1]` the output of layer `i`.
    package var activations: [Matrix]
    /// `deltas[i]`: gradient of the loss with respect to layer `i`'s pre-activation.
    var deltas: [Matrix]
    package var gradients: AutoencoderGradients

    package init(model: DeepAutoencoder, batchSize: Int) {
        activations = [Matrix(rows: batchSize, columns: model.inputSize)]
            + model.layers.map { Matrix(rows: batchSize, columns: $0.outputCount) }
        deltas = model.layers.map { Matrix(rows: batchSize, columns: $0.outputCount) }
        gradients = AutoencoderGradients(
            weights: model.layers.map { Matrix(rows: $0.inputCount, columns: $0.outputCount) },
            biases: model.layers.map { [Float](repeating: 0, count: $0.outputCount) })
    }

    package var batchSize: Int { activations[0].rows }
}

extension DeepAutoencoder {
    // MARK: - Forward

    /// Forward pass: (batch, inputSize) in `workspace.activations[0]` -> every
    /// layer's output, the reconstruction last. `codeNoise` (batch, codeSize)
    /// is added to the code layer's input when given.
    func forward(_ workspace: inout BackpropagationWorkspace, codeNoise: Matrix?) {
        for (index, layer) in layers.enumerated() {
            layer.forward(workspace.activations[index], noise: index == depth - 1 ? codeNoise : nil,
                          into: &workspace.activations[index + 1])
        }
    }

    // MARK: - Backward

    /// Backward pass: (batch, inputSize) reconstruction error -> gradients of
    /// the mean loss per sample for every layer, overwriting
    /// `workspace.gradients` (sgemm with beta 0 is the explicit zeroing).
    ///
    /// Both losses start from the same delta at the output's pre-activation,
    /// `(output - target) / batch`: cross-entropy with logistic outputs, and
    /// half the squared error with linear outputs. Each earlier delta is the
    /// next one times `W'`, times `y(1 - y)` where the layer is logistic.
    func backward(_ workspace: inout BackpropagationWorkspace, target: Matrix) {
        let last = layers.count - 1
        let scale = 1 / Float(workspace.batchSize)
        workspace.activations[last + 1].elements.withUnsafeBufferPointer { output in
            target.elements.withUnsafeBufferPointer { wanted in
                workspace.deltas[last].elements.withUnsafeMutableBufferPointer { delta in
                    for index in delta.indices { delta[index] = (output[index] - wanted[index]) * scale }
                }
            }
        }
        for index in stride(from: last, through: 0, by: -1) {
            // dW = x' delta (batch summed), db = column sums of delta
            Matrix.multiply(workspace.activations[index], transposeA: true, workspace.deltas[index],
                            into: &workspace.gradients.weights[index])
            workspace.gradients.biases[index] = workspace.deltas[index].columnSums()
            guard index > 0 else { break }
            // delta of the layer below: delta W', through that layer's non-linearity
            Matrix.multiply(workspace.deltas[index], layers[index].weights, transposeB: true,
                            into: &workspace.deltas[index - 1])
            if layers[index - 1].activation == .logistic {
                workspace.activations[index].elements.withUnsafeBufferPointer { output in
                    workspace.deltas[index - 1].elements.withUnsafeMutableBufferPointer { delta in
                        for position in delta.indices {
                            delta[position] *= output[position] * (1 - output[position])
                        }
                    }
                }
            }
        }
    }

    // MARK: - Loss and gradients for a whole batch

    /// The fine-tuning loss, averaged over the rows of `input`: cross-entropy
    /// `-sum(x log y + (1 - x) log(1 - y))` for logistic inputs, half the
    /// squared error `sum((y - x)^2) / 2` for Gaussian ones.
    /// - Parameters:
    ///   - input: `(batch, inputSize)`, already standardized for Gaussian inputs
    ///   - codeNoise: `(batch, codeSize)` added to the code layer's input, or nil
    public func loss(_ input: Matrix, codeNoise: Matrix? = nil) -> Double {
        var workspace = BackpropagationWorkspace(model: self, batchSize: input.rows)
        workspace.activations[0] = input
        forward(&workspace, codeNoise: codeNoise)
        return Self.loss(output: workspace.activations[layers.count], target: input, inputUnits: inputUnits)
    }

    package static func loss(output: Matrix, target: Matrix, inputUnits: VisibleUnits) -> Double {
        guard output.rows > 0 else { return 0 }
        var total = 0.0
        switch inputUnits {
        case .gaussian:
            total = output.squaredDistance(to: target) / 2
        case .logistic:
            // Clamped so a saturated unit costs a large finite amount, not infinity.
            for (y, x) in zip(output.elements, target.elements) {
                let probability = min(max(Double(y), 1e-12), 1 - 1e-12)
                total -= Double(x) * log(probability) + (1 - Double(x)) * log(1 - probability)
            }
        }
        return total / Double(output.rows)
    }

    /// The gradient of `loss(input, codeNoise:)` with respect to every weight
    /// and bias, by backpropagation.
    /// - Parameters:
    ///   - input: `(batch, inputSize)`, already standardized for Gaussian inputs
    ///   - codeNoise: `(batch, codeSize)` or nil
    public func gradients(_ input: Matrix, codeNoise: Matrix? = nil) -> AutoencoderGradients {
        var workspace = BackpropagationWorkspace(model: self, batchSize: input.rows)
        workspace.activations[0] = input
        forward(&workspace, codeNoise: codeNoise)
        backward(&workspace, target: input)
        return workspace.gradients
    }
}
