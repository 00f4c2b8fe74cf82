import ImgSearchCore
import ImgSearchLinearAlgebra

extension DeepAutoencoder {
    /// The unit types of each RBM of the stack, bottom first: the input
    /// units at the bottom, logistic units in between, and at the top the
    /// code units (linear hidden units for linear codes, logistic ones for
    /// hashing codes, which the semantic-hashing paper pretrains as binary).
    public static func stackUnits(depth: Int, inputUnits: VisibleUnits, codeUnits: CodeUnits) -> [(visible: VisibleUnits, hidden: HiddenUnits)] {
        (0..<depth).map { index in
            (index == 0 ? inputUnits : .logistic,
             index == depth - 1 && codeUnits == .linear ? .linear : .logistic)
        }
    }

    /// rbm.m's settings for every RBM of the stack, with the learning rate
    /// suited to each one's unit types, and `epochs` epochs each.
    public static func recommendedPretraining(depth: Int, inputUnits: VisibleUnits, codeUnits: CodeUnits,
                                              epochs: Int = 50) -> [RBMTrainingConfiguration] {
        stackUnits(depth: depth, inputUnits: inputUnits, codeUnits: codeUnits).map { units in
            var configuration = RBMTrainingConfiguration.recommended(visibleUnits: units.visible, hiddenUnits: units.hidden)
            configuration.epochs = epochs
            return configuration
        }
    }

    /// Greedy layer-wise pretraining, then unrolling: RBM 0 trains on the
    /// data, RBM `i + 1` on the hidden probabilities of RBM `i` over the
    /// whole training set (not on sampled states, as in the paper's code).
    ///
    /// With `inputFeatures` every sample's features are computed first
    /// (`layerSizes[0]` is then their count); for Gaussian inputs the data
    /// are then standardized (with the features' weighting). Both steps are
    /// kept in the returned model.
    /// - Parameters:
    ///   - data: `(samples, layerSizes[0])`, raw
    ///   - configurations: one per RBM, bottom first (default
    ///     `recommendedPretraining`)
    ///   - generator: each RBM gets its own stream split from it
    /// - Returns: the unrolled autoencoder, decoder weights the transposes of the encoder's
    public static func pretrained(
        on data: Matrix, layerSizes: [Int], inputUnits: VisibleUnits, codeUnits: CodeUnits,
        configurations: [RBMTrainingConfiguration]? = nil,
        inputFeatures: ThumbnailFeatures? = nil,
        generator: inout SplitMix64,
        progress: TrainingProgressHandler = { _ in .proceed }
    ) throws -> DeepAutoencoder {
        guard layerSizes.count >= 2, layerSizes.allSatisfy({ $0 > 0 }) else {
            throw TrainingError.invalidConfiguration("layer sizes \(layerSizes): need an input size and at least one more, all positive")
        }
        let depth = layerSizes.count - 1
        let configurations = configurations ?? recommendedPretraining(depth: depth, inputUnits: inputUnits, codeUnits: codeUnits)
        guard configurations.count == depth else {
            throw TrainingError.invalidConfiguration("\(configurations.count) RBM configurations for \(depth) RBMs")
        }
        if let inputFeatures {
            if let problem = inputFeatures.problem { throw TrainingError.invalidConfiguration(problem) }
            guard data.columns == inputFeatures.inputCount, layerSizes[0] == inputFeatures.outputCount else {
                throw TrainingError.invalidConfiguration(
                    "features of \(inputFeatures.inputCount) values into \(inputFeatures.outputCount): data has \(data.columns), the first layer \(layerSizes[0])")
            }
        }
        let features = inputFeatures?.transform(data) ?? data
        var standardization = inputUnits == .gaussian ? Standardization(fitting: features) : nil
        if let inputFeatures, let fitted = standardization { standardization = inputFeatures.weighted(fitted) }
        var layerData = standardization?.standardize(features) ?? features
        var rbms: [RBM] = []
        var errors: [Double] = []
        for (index, units) in stackUnits(depth: depth, inputUnits: inputUnits, codeUnits: codeUnits).enumerated() {
            var layerGenerator = generator.split()
            var rbm = RBM(visible: layerSizes[index], hidden: layerSizes[index + 1],
                          visibleUnits: units.visible, hiddenUnits: units.hidden, generator: &layerGenerator)
            let epochErrors = try rbm.train(on: layerData, configuration: configurations[index], generator: &layerGenerator,
                                            phase: .pretraining(layer: index, layerCount: depth), progress: progress)
            errors.append(epochErrors.last ?? rbm.meanReconstructionError(layerData))
            if index < depth - 1 { layerData = rbm.hiddenProbabilities(layerData) }
            rbms.append(rbm)
        }
        var model = DeepAutoencoder(unrolling: rbms, inputUnits: inputUnits, codeUnits: codeUnits)
        model.standardization = standardization
        model.inputFeatures = inputFeatures
        model.metadata.pretraining = configurations
        model.metadata.pretrainingErrors = errors
        model.metadata.trainingSamples = data.rows
        return model
    }
}
