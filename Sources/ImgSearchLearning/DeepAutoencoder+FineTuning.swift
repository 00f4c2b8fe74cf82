#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImgSearchCore
import ImgSearchLinearAlgebra

extension DeepAutoencoder {
    /// Fine-tunes the whole unrolled network by backpropagation of the
    /// reconstruction loss, with Adam on mini-batches.
    ///
    /// The loss is cross-entropy for logistic inputs and half the squared
    /// error for Gaussian (standardized) inputs. In the logistic code mode,
    /// every training sample gets its own fixed Gaussian noise vector (drawn
    /// once, before the first epoch) added to the code units' inputs.
    ///
    /// - Parameters:
    ///   - data: `(samples, inputSize)`, raw; preprocessed here
    ///     (``preprocess(_:)``)
    ///   - generator: the source of the shuffles and the code noise
    ///   - copies: altered versions of `data`'s rows (same shape, raw), and
    ///     the share of samples that, each epoch, go in as their copy while
    ///     the target stays the sample itself: the network learns to give a
    ///     copy the code of its original (a denoising autoencoder, Vincent et
    ///     al. 2008, with the alteration a near-duplicate search must see
    ///     through). The choice is drawn per sample and epoch from a
    ///     generator split off `generator`.
    ///   - validation: `(samples, inputSize)` raw held-out data whose error is
    ///     reported every `validationInterval` epochs and after the last one
    ///   - progress: called after every epoch with the mean squared
    ///     reconstruction error per sample (summed over the inputs, in the
    ///     space the network works in) over that epoch's batches
    /// - Returns: that error, one value per epoch
    /// - Throws: `TrainingError.invalidData`, `.invalidConfiguration`, `.cancelled`
    ///   (the model is then left as it was after the last whole epoch)
    @discardableResult
    public mutating func fineTune(
        on data: Matrix,
        configuration: FineTuningConfiguration = FineTuningConfiguration(),
        generator: inout SplitMix64,
        copies: (inputs: Matrix, share: Float)? = nil,
        validation: Matrix? = nil,
        validationInterval: Int = 1,
        progress: TrainingProgressHandler = { _ in .proceed }
    ) throws -> [Double] {
        try configuration.validate()
        guard hasDecoder else { throw TrainingError.invalidConfiguration("an encoder-only model cannot be fine-tuned") }
        try validateTrainingData(data)
        guard data.rows > 0, configuration.epochs > 0 else { return [] }
        let training = preprocess(data)
        var noiseGenerator = generator.split()
        // The copies preprocessed as the data are, with their share.
        var copying: (inputs: Matrix, share: Float)?
        var copyGenerator = SplitMix64(seed: 0)
        if let copies, copies.share > 0 {
            guard copies.inputs.rows == data.rows, copies.inputs.columns == data.columns, copies.share <= 1 else {
                throw TrainingError.invalidConfiguration(
                    "copies must match the data's \(data.rows) x \(data.columns) and their share be in 0...1 (got \(copies.inputs.rows) x \(copies.inputs.columns), \(copies.share))")
            }
            try validateTrainingData(copies.inputs)
            copying = (preprocess(copies.inputs), copies.share)
            copyGenerator = generator.split()
        }
        let noise: Matrix? = codeUnits.noiseScale > 0
            ? .gaussian(rows: data.rows, columns: codeSize, scale: codeUnits.noiseScale, generator: &noiseGenerator)
            : nil

        let batchSize = min(configuration.batchSize, data.rows)
        var workspace = BackpropagationWorkspace(model: self, batchSize: batchSize)
        var noiseBatch = Matrix(rows: batchSize, columns: codeSize)
        var targetBatch = Matrix(rows: batchSize, columns: training.columns)
        var optimizer = AdamState(layers: layers)
        var order = Array(0..<data.rows)
        var errors: [Double] = []
        let stopwatch = Stopwatch()
        var snapshot = layers

        for epoch in 1...configuration.epochs {
            let learningRate = configuration.learningRate(epoch: epoch)
            order.shuffle(using: &generator)
            var errorSum = 0.0
            for start in stride(from: 0, to: data.rows, by: batchSize) {
                let indices = order[start..<min(start + batchSize, data.rows)]
                if indices.count != workspace.batchSize {
                    workspace = BackpropagationWorkspace(model: self, batchSize: indices.count)
                    noiseBatch = Matrix(rows: indices.count, columns: codeSize)
                    targetBatch = Matrix(rows: indices.count, columns: training.columns)
                }
                training.gatherRows(indices, into: &workspace.activations[0])
                if let copying {
                    // The target is the sample; the input is its copy for the drawn share.
                    training.gatherRows(indices, into: &targetBatch)
                    for (row, index) in indices.enumerated() where copyGenerator.nextUniform() < copying.share {
                        copying.inputs.copyRow(index, into: &workspace.activations[0], row: row)
                    }
                }
                if let noise { noise.gatherRows(indices, into: &noiseBatch) }
                forward(&workspace, codeNoise: noise == nil ? nil : noiseBatch)
                let target = copying == nil ? workspace.activations[0] : targetBatch
                errorSum += workspace.activations[layers.count].squaredDistance(to: target)
                backward(&workspace, target: target)
                optimizer.step(&layers, gradients: workspace.gradients, learningRate: learningRate,
                               configuration: configuration)
            }
            if workspace.batchSize != batchSize {
                workspace = BackpropagationWorkspace(model: self, batchSize: batchSize)
                noiseBatch = Matrix(rows: batchSize, columns: codeSize)
                targetBatch = Matrix(rows: batchSize, columns: training.columns)
            }
            let meanError = errorSum / Double(data.rows)
            guard meanError.isFinite else {
                layers = snapshot
                throw TrainingError.invalidConfiguration("fine-tuning diverged in epoch \(epoch) (error \(meanError)); lower the learning rate (now \(configuration.learningRate))")
            }
            snapshot = layers
            errors.append(meanError)
            var report = TrainingProgress(phase: .fineTuning, epoch: epoch, epochCount: configuration.epochs,
                                          error: meanError, elapsedSeconds: stopwatch.elapsedSeconds)
            if let validation, epoch % max(1, validationInterval) == 0 || epoch == configuration.epochs {
                report.validationError = meanSquaredReconstructionError(validation)
            }
            if progress(report) == .cancel { throw TrainingError.cancelled }
        }
        return errors
    }

    /// Checks shape and values of raw training data for this model.
    func validateTrainingData(_ data: Matrix) throws {
        guard data.columns == rawInputSize else {
            throw TrainingError.invalidData("samples have \(data.columns) values but the model takes \(rawInputSize)")
        }
        for (index, value) in data.elements.enumerated() where !value.isFinite || (inputUnits == .logistic && !(0...1).contains(value)) {
            throw TrainingError.invalidData("sample \(index / data.columns), value \(index % data.columns) is \(value); "
                + (value.isFinite ? "logistic inputs must be in [0, 1]" : "remove or repair non-finite inputs"))
        }
    }
}

/// Adam's running moments for every parameter, and the update.
struct AdamState {
    private var weightMoments: [(mean: [Float], square: [Float])]
    private var biasMoments: [(mean: [Float], square: [Float])]
    private var stepCount = 0

    package init(layers: [DenseLayer]) {
        weightMoments = layers.map { ([Float](repeating: 0, count: $0.weights.count), [Float](repeating: 0, count: $0.weights.count)) }
        biasMoments = layers.map { ([Float](repeating: 0, count: $0.bias.count), [Float](repeating: 0, count: $0.bias.count)) }
    }

    /// One Adam step on every layer:
    /// `m = b1 m + (1 - b1) g`, `v = b2 v + (1 - b2) g^2`,
    /// `w -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)`.
    package mutating func step(_ layers: inout [DenseLayer], gradients: AutoencoderGradients, learningRate: Float,
                       configuration: FineTuningConfiguration) {
        stepCount += 1
        let t = Float(stepCount)
        let (beta1, beta2) = (configuration.beta1, configuration.beta2)
        let correction = (1 - pow(beta2, t)).squareRoot() / (1 - pow(beta1, t))
        let stepSize = learningRate * correction
        for index in layers.indices {
            Self.update(&layers[index].weights.elements, gradient: gradients.weights[index],
                        moments: &weightMoments[index], stepSize: stepSize, weightCost: configuration.weightCost,
                        configuration: configuration)
            Self.update(&layers[index].bias, gradient: gradients.biases[index],
                        moments: &biasMoments[index], stepSize: stepSize, weightCost: 0,
                        configuration: configuration)
        }
    }

    private static func update(_ parameters: inout [Float], gradient: Matrix, moments: inout (mean: [Float], square: [Float]),
                               stepSize: Float, weightCost: Float, configuration: FineTuningConfiguration) {
        update(&parameters, gradient: gradient.elements, moments: &moments, stepSize: stepSize,
               weightCost: weightCost, configuration: configuration)
    }

    private static func update(_ parameters: inout [Float], gradient: [Float], moments: inout (mean: [Float], square: [Float]),
                               stepSize: Float, weightCost: Float, configuration: FineTuningConfiguration) {
        let (beta1, beta2, epsilon) = (configuration.beta1, configuration.beta2, configuration.epsilon)
        parameters.withUnsafeMutableBufferPointer { values in
            gradient.withUnsafeBufferPointer { gradients in
                moments.mean.withUnsafeMutableBufferPointer { means in
                    moments.square.withUnsafeMutableBufferPointer { squares in
                        for index in values.indices {
                            let g = gradients[index] + weightCost * values[index]
                            means[index] = beta1 * means[index] + (1 - beta1) * g
                            squares[index] = beta2 * squares[index] + (1 - beta2) * g * g
                            values[index] -= stepSize * means[index] / (squares[index].squareRoot() + epsilon)
                        }
                    }
                }
            }
        }
    }
}
