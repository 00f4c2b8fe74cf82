import Testing
@testable import ImgSearch

/// Contrastive divergence on small synthetic sets.
@Suite struct RBMTests {
    /// 400 noisy copies of 4 binary prototypes over 16 pixels: structure an
    /// RBM with a few hidden units can capture.
    static func prototypes(samples: Int = 400, seed: UInt64 = 3) -> Matrix {
        var generator = SplitMix64(seed: seed)
        let patterns: [[Float]] = (0..<4).map { p in (0..<16).map { ($0 / 4 == p || $0 % 4 == p) ? 1 : 0 } }
        return Matrix(rows: samples, columns: 16) { row, column in
            let pixel = patterns[row % 4][column]
            return generator.nextUniform() < 0.05 ? 1 - pixel : pixel
        }
    }

    static func configuration(epochs: Int, learningRate: Float = 0.1) -> RBMTrainingConfiguration {
        var configuration = RBMTrainingConfiguration()
        configuration.epochs = epochs
        configuration.batchSize = 20
        configuration.learningRate = learningRate
        return configuration
    }

    @Test(arguments: [1, 3])
    func trainingLowersReconstructionError(gibbsSteps: Int) throws {
        let data = Self.prototypes()
        var generator = SplitMix64(seed: 1)
        var rbm = RBM(visible: 16, hidden: 8, generator: &generator)
        let before = rbm.meanReconstructionError(data)
        var configuration = Self.configuration(epochs: 30)
        configuration.gibbsSteps = gibbsSteps
        let errors = try rbm.train(on: data, configuration: configuration, generator: &generator)
        #expect(errors.count == 30)
        #expect(errors.last! < errors.first! / 2, "CD-\(gibbsSteps) epoch errors \(errors.first!) -> \(errors.last!)")
        #expect(rbm.meanReconstructionError(data) < before / 4)
    }

    @Test func gaussianVisibleAndLinearHiddenUnitsLearnToo() throws {
        let binary = Self.prototypes()
        let standardized = Standardization(fitting: binary).standardize(binary)
        var generator = SplitMix64(seed: 2)
        var gaussian = RBM(visible: 16, hidden: 8, visibleUnits: .gaussian, hiddenUnits: .logistic, generator: &generator)
        let gaussianErrors = try gaussian.train(on: standardized, configuration: Self.configuration(epochs: 30, learningRate: 0.01),
                                                generator: &generator)
        #expect(gaussianErrors.last! < gaussianErrors.first! * 0.8, "Gaussian visible: \(gaussianErrors.first!) -> \(gaussianErrors.last!)")

        var linear = RBM(visible: 16, hidden: 4, visibleUnits: .logistic, hiddenUnits: .linear, generator: &generator)
        let linearErrors = try linear.train(on: binary, configuration: Self.configuration(epochs: 30, learningRate: 0.01),
                                            generator: &generator)
        #expect(linearErrors.last! < linearErrors.first! * 0.8, "linear hidden: \(linearErrors.first!) -> \(linearErrors.last!)")
    }

    @Test func sameSeedGivesSameWeights() throws {
        let data = Self.prototypes()
        func trained(seed: UInt64) throws -> RBM {
            var generator = SplitMix64(seed: seed)
            var rbm = RBM(visible: 16, hidden: 8, generator: &generator)
            try rbm.train(on: data, configuration: Self.configuration(epochs: 3), generator: &generator)
            return rbm
        }
        #expect(try trained(seed: 5) == trained(seed: 5))
        #expect(try trained(seed: 5) != trained(seed: 6))
    }

    @Test func lastShortBatchIsTrainedToo() throws {
        // 410 samples in batches of 20: the last batch has 10.
        let data = Self.prototypes(samples: 410)
        var generator = SplitMix64(seed: 1)
        var rbm = RBM(visible: 16, hidden: 8, generator: &generator)
        let errors = try rbm.train(on: data, configuration: Self.configuration(epochs: 5), generator: &generator)
        #expect(errors.allSatisfy { $0.isFinite })
    }

    @Test func badDataAndCancellationAreReported() throws {
        var generator = SplitMix64(seed: 1)
        var rbm = RBM(visible: 16, hidden: 8, generator: &generator)
        var data = Self.prototypes()
        data[3, 2] = .nan
        #expect(throws: TrainingError.self) { try rbm.train(on: data, generator: &generator) }
        data[3, 2] = 2
        do {
            try rbm.train(on: data, generator: &generator)
            Issue.record("a value of 2 for logistic visible units was accepted")
        } catch let error as TrainingError {
            #expect(error.description.contains("outside [0, 1]"))
        }
        #expect(throws: TrainingError.self) {
            try rbm.train(on: Matrix(rows: 10, columns: 15), generator: &generator)
        }
        var epochsSeen = 0
        #expect(throws: TrainingError.cancelled) {
            try rbm.train(on: Self.prototypes(), configuration: Self.configuration(epochs: 10), generator: &generator) { _ in
                epochsSeen += 1
                return epochsSeen == 2 ? .cancel : .proceed
            }
        }
        #expect(epochsSeen == 2)
    }
}
