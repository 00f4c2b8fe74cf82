import ImgSearchCore
import ImgSearchLinearAlgebra

extension RBM {
    /// Trains the RBM by contrastive divergence (CD-1, or CD-k with
    /// `configuration.gibbsSteps = k`) on mini-batches, as rbm.m does.
    ///
    /// Each epoch visits the samples in a fresh random order. Per batch of `B`:
    /// the positive statistics `v0' h0` come from the data and the hidden
    /// probabilities; the negative statistics `vk' hk` from the reconstruction
    /// after k steps of alternating Gibbs sampling that starts from sampled
    /// hidden states; the reconstruction is kept as means (not sampled), as in
    /// rbm.m. The weights then move by
    /// `increment = momentum * increment + rate * ((v0'h0 - vk'hk) / B - weightCost * W)`.
    /// Every product is one `cblas_sgemm`, and both statistics are accumulated
    /// straight into the increment through sgemm's `alpha`/`beta`, so no
    /// gradient matrix is ever formed.
    ///
    /// - Parameters:
    ///   - data: `(samples, visible)`; in [0, 1] for logistic visible units,
    ///     standardized for Gaussian ones
    ///   - generator: the source of the shuffles, the sampled hidden states and
    ///     the linear units' noise; the same seed gives the same weights
    ///   - phase: how progress reports name this training (a layer of a stack)
    ///   - progress: called after every epoch with the mean reconstruction
    ///     error per sample; answering `.cancel` stops the training
    /// - Returns: the mean squared reconstruction error per sample, one value per epoch
    /// - Throws: `TrainingError.invalidData` for a shape mismatch, NaN or
    ///   out-of-range values; `.invalidConfiguration`; `.cancelled`.
    @discardableResult
    public mutating func train(
        on data: Matrix,
        configuration: RBMTrainingConfiguration = RBMTrainingConfiguration(),
        generator: inout SplitMix64,
        phase: TrainingProgress.Phase = .pretraining(layer: 0, layerCount: 1),
        progress: TrainingProgressHandler = { _ in .proceed }
    ) throws -> [Double] {
        try configuration.validate()
        try validate(data)
        guard data.rows > 0, configuration.epochs > 0 else { return [] }

        let batchSize = min(configuration.batchSize, data.rows)
        var workspace = ContrastiveDivergenceWorkspace(rbm: self, batchSize: batchSize)
        // The last batch of an epoch may be shorter; it gets its own buffers
        // but shares the momentum state.
        var lastWorkspace: ContrastiveDivergenceWorkspace?
        var order = Array(0..<data.rows)
        var errors: [Double] = []
        let stopwatch = Stopwatch()

        for epoch in 1...configuration.epochs {
            let momentum = configuration.momentum(epoch: epoch)
            order.shuffle(using: &generator)
            var errorSum = 0.0
            for start in stride(from: 0, to: data.rows, by: batchSize) {
                let indices = order[start..<min(start + batchSize, data.rows)]
                if indices.count == batchSize {
                    data.gatherRows(indices, into: &workspace.batch)
                    errorSum += step(&workspace, momentum: momentum, configuration: configuration, generator: &generator)
                } else {
                    var partial = lastWorkspace ?? ContrastiveDivergenceWorkspace(rbm: self, batchSize: indices.count)
                    partial.takeIncrements(from: &workspace)
                    data.gatherRows(indices, into: &partial.batch)
                    errorSum += step(&partial, momentum: momentum, configuration: configuration, generator: &generator)
                    workspace.takeIncrements(from: &partial)
                    lastWorkspace = partial
                }
            }
            let meanError = errorSum / Double(data.rows)
            errors.append(meanError)
            let report = TrainingProgress(phase: phase, epoch: epoch, epochCount: configuration.epochs,
                                          error: meanError, elapsedSeconds: stopwatch.elapsedSeconds)
            if progress(report) == .cancel { throw TrainingError.cancelled }
        }
        return errors
    }

    /// One CD-k update on `workspace.batch`; returns the summed squared error
    /// of the first reconstruction.
    private mutating func step(
        _ workspace: inout ContrastiveDivergenceWorkspace, momentum: Float,
        configuration: RBMTrainingConfiguration, generator: inout SplitMix64
    ) -> Double {
        let rate = configuration.learningRate / Float(workspace.batch.rows)

        // MARK: - Positive phase
        hiddenProbabilities(workspace.batch, into: &workspace.positiveHidden)
        let positiveVisibleActivity = workspace.batch.columnSums()
        let positiveHiddenActivity = workspace.positiveHidden.columnSums()
        // increment = momentum * increment + rate * v0' h0
        Matrix.multiply(workspace.batch, transposeA: true, workspace.positiveHidden,
                        into: &workspace.weightIncrement, alpha: rate, beta: momentum)

        // MARK: - Negative phase
        sampleHiddenStates(workspace.positiveHidden, into: &workspace.hiddenStates,
                           uniforms: &workspace.uniforms, generator: &generator)
        var squaredError = 0.0
        for gibbsStep in 1...configuration.gibbsSteps {
            visibleReconstruction(workspace.hiddenStates, into: &workspace.negativeVisible)
            hiddenProbabilities(workspace.negativeVisible, into: &workspace.negativeHidden)
            if gibbsStep == 1 { squaredError = workspace.negativeVisible.squaredDistance(to: workspace.batch) }
            if gibbsStep < configuration.gibbsSteps {
                sampleHiddenStates(workspace.negativeHidden, into: &workspace.hiddenStates,
                                   uniforms: &workspace.uniforms, generator: &generator)
            }
        }
        // increment -= rate * vk' hk
        Matrix.multiply(workspace.negativeVisible, transposeA: true, workspace.negativeHidden,
                        into: &workspace.weightIncrement, alpha: -rate, beta: 1)

        // MARK: - Update
        let decay = configuration.learningRate * configuration.weightCost
        weights.elements.withUnsafeMutableBufferPointer { weightValues in
            workspace.weightIncrement.elements.withUnsafeMutableBufferPointer { increments in
                for index in weightValues.indices {
                    increments[index] -= decay * weightValues[index]
                    weightValues[index] += increments[index]
                }
            }
        }
        let negativeVisibleActivity = workspace.negativeVisible.columnSums()
        let negativeHiddenActivity = workspace.negativeHidden.columnSums()
        Self.updateBias(&visibleBias, increment: &workspace.visibleBiasIncrement, momentum: momentum, rate: rate,
                        positive: positiveVisibleActivity, negative: negativeVisibleActivity)
        Self.updateBias(&hiddenBias, increment: &workspace.hiddenBiasIncrement, momentum: momentum, rate: rate,
                        positive: positiveHiddenActivity, negative: negativeHiddenActivity)
        return squaredError
    }

    /// Binary states `u < p` for logistic units; `p + N(0, 1)` for linear ones.
    private func sampleHiddenStates(
        _ probabilities: Matrix, into states: inout Matrix, uniforms: inout [Float], generator: inout SplitMix64
    ) {
        switch hiddenUnits {
        case .logistic:
            uniforms.withUnsafeMutableBufferPointer { generator.fillUniform($0) }
            probabilities.elements.withUnsafeBufferPointer { means in
                uniforms.withUnsafeBufferPointer { random in
                    states.elements.withUnsafeMutableBufferPointer { sampled in
                        for index in sampled.indices { sampled[index] = random[index] < means[index] ? 1 : 0 }
                    }
                }
            }
        case .linear:
            for index in 0..<states.count {
                states.elements[index] = probabilities.elements[index] + generator.nextGaussian()
            }
        }
    }

    private static func updateBias(
        _ bias: inout [Float], increment: inout [Float], momentum: Float, rate: Float,
        positive: [Float], negative: [Float]
    ) {
        for index in bias.indices {
            increment[index] = momentum * increment[index] + rate * (positive[index] - negative[index])
            bias[index] += increment[index]
        }
    }

    /// Checks that `data` fits the visible layer and holds usable values.
    package func validate(_ data: Matrix) throws {
        guard data.columns == visibleCount else {
            throw TrainingError.invalidData("samples have \(data.columns) values but the RBM has \(visibleCount) visible units")
        }
        for (index, value) in data.elements.enumerated() {
            guard value.isFinite else {
                throw TrainingError.invalidData("sample \(index / data.columns), value \(index % data.columns) is \(value); remove or repair non-finite inputs")
            }
            if visibleUnits == .logistic, !(0...1).contains(value) {
                throw TrainingError.invalidData("sample \(index / data.columns), value \(index % data.columns) is \(value), outside [0, 1], which logistic visible units need; scale the data to [0, 1] or use Gaussian visible units on standardized data")
            }
        }
    }
}

/// Buffers for one batch size, allocated once per training run so the
/// inner loop allocates nothing but the small bias-activity vectors.
struct ContrastiveDivergenceWorkspace {
    package var batch: Matrix
    var positiveHidden: Matrix
    var hiddenStates: Matrix
    var negativeVisible: Matrix
    var negativeHidden: Matrix
    var uniforms: [Float]
    var weightIncrement: Matrix
    var visibleBiasIncrement: [Float]
    var hiddenBiasIncrement: [Float]

    package init(rbm: RBM, batchSize: Int) {
        batch = Matrix(rows: batchSize, columns: rbm.visibleCount)
        positiveHidden = Matrix(rows: batchSize, columns: rbm.hiddenCount)
        hiddenStates = positiveHidden
        negativeVisible = batch
        negativeHidden = positiveHidden
        uniforms = [Float](repeating: 0, count: batchSize * rbm.hiddenCount)
        weightIncrement = Matrix(rows: rbm.visibleCount, columns: rbm.hiddenCount)
        visibleBiasIncrement = [Float](repeating: 0, count: rbm.visibleCount)
        hiddenBiasIncrement = [Float](repeating: 0, count: rbm.hiddenCount)
    }

    /// Moves the momentum state from `other` (swaps, so nothing is copied).
    mutating func takeIncrements(from other: inout ContrastiveDivergenceWorkspace) {
        swap(&weightIncrement, &other.weightIncrement)
        swap(&visibleBiasIncrement, &other.visibleBiasIncrement)
        swap(&hiddenBiasIncrement, &other.hiddenBiasIncrement)
    }
}
