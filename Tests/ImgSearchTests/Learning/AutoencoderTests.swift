import Foundation
import Testing
@testable import ImgSearch

/// Backpropagation against finite differences, pretraining, unrolling and fine-tuning on tiny networks.
@Suite struct AutoencoderTests {
    static let sizes = [6, 5, 4, 3]

    /// The loss of `model` on `input`, recomputed from scratch in Double with
    /// plain loops: the reference the finite differences are taken of.
    static func referenceLoss(_ model: DeepAutoencoder, _ input: Matrix, noise: Matrix?) -> Double {
        var total = 0.0
        for row in 0..<input.rows {
            var activity = (0..<input.columns).map { Double(input[row, $0]) }
            for (index, layer) in model.layers.enumerated() {
                activity = (0..<layer.outputCount).map { j in
                    var sum = Double(layer.bias[j])
                    for i in 0..<layer.inputCount { sum += activity[i] * Double(layer.weights[i, j]) }
                    if index == model.depth - 1, let noise { sum += Double(noise[row, j]) }
                    return layer.activation == .logistic ? 1 / (1 + Foundation.exp(-sum)) : sum
                }
            }
            for (y, x) in zip(activity, (0..<input.columns).map { Double(input[row, $0]) }) {
                switch model.inputUnits {
                case .logistic: total -= x * Foundation.log(y) + (1 - x) * Foundation.log(1 - y)
                case .gaussian: total += (y - x) * (y - x) / 2
                }
            }
        }
        return total / Double(input.rows)
    }

    static let modes: [(VisibleUnits, CodeUnits)] = [
        (.logistic, .linear), (.logistic, .logistic(noiseScale: 2)),
        (.gaussian, .linear), (.gaussian, .logistic(noiseScale: 2)),
    ]

    @Test(arguments: 0..<4)
    func backpropagationMatchesFiniteDifferences(mode: Int) throws {
        let (inputUnits, codeUnits) = Self.modes[mode]
        var generator = SplitMix64(seed: 10 + UInt64(mode))
        var model = DeepAutoencoder(layerSizes: Self.sizes, inputUnits: inputUnits, codeUnits: codeUnits,
                                    weightScale: 0.5, generator: &generator)
        for index in model.layers.indices {
            for j in model.layers[index].bias.indices { model.layers[index].bias[j] = 0.2 * generator.nextGaussian() }
        }
        let input = inputUnits == .logistic
            ? Matrix(rows: 4, columns: 6) { _, _ in generator.nextUniform() }
            : Matrix.gaussian(rows: 4, columns: 6, scale: 1, generator: &generator)
        let noise: Matrix? = codeUnits.noiseScale > 0
            ? .gaussian(rows: 4, columns: 3, scale: codeUnits.noiseScale, generator: &generator) : nil

        // The Float loss agrees with the Double reference.
        let reference = Self.referenceLoss(model, input, noise: noise)
        #expect(abs(model.loss(input, codeNoise: noise) - reference) < 1e-4 * max(1, abs(reference)))

        let gradients = model.gradients(input, codeNoise: noise)
        let step = 1e-3
        var worst = 0.0
        func check(_ analytic: Float, perturb: (inout DeepAutoencoder, Float) -> Void) {
            // Central differences of the Double reference: the parameter is
            // nudged in Float, so the step actually taken is measured.
            var plus = model, minus = model
            perturb(&plus, Float(step))
            perturb(&minus, -Float(step))
            let numeric = (Self.referenceLoss(plus, input, noise: noise) - Self.referenceLoss(minus, input, noise: noise)) / (2 * step)
            let relative = abs(Double(analytic) - numeric) / max(abs(Double(analytic)), abs(numeric), 1e-3)
            worst = max(worst, relative)
        }
        for index in model.layers.indices {
            for element in 0..<model.layers[index].weights.count {
                check(gradients.weights[index].elements[element]) { $0.layers[index].weights.elements[element] += $1 }
            }
            for element in model.layers[index].bias.indices {
                check(gradients.biases[index][element]) { $0.layers[index].bias[element] += $1 }
            }
        }
        print("backpropagation vs finite differences, \(inputUnits) inputs, \(codeUnits) codes: max relative error \(worst)")
        #expect(worst < 1e-2, "max relative error \(worst)")
    }

    @Test func unrollingTransposesTheStackAndKeepsBiases() throws {
        let data = RBMTests.prototypes()
        var generator = SplitMix64(seed: 4)
        var configurations = DeepAutoencoder.recommendedPretraining(depth: 2, inputUnits: .logistic, codeUnits: .linear, epochs: 2)
        configurations = configurations.map { var c = $0; c.batchSize = 20; return c }
        var reports: [TrainingProgress.Phase] = []
        let model = try DeepAutoencoder.pretrained(
            on: data, layerSizes: [16, 8, 3], inputUnits: .logistic, codeUnits: .linear,
            configurations: configurations, generator: &generator) { progress in
                reports.append(progress.phase)
                return .proceed
            }
        #expect(reports == [.pretraining(layer: 0, layerCount: 2), .pretraining(layer: 0, layerCount: 2),
                            .pretraining(layer: 1, layerCount: 2), .pretraining(layer: 1, layerCount: 2)])
        #expect(model.layers.map(\.activation) == [Activation.logistic, .linear, .logistic, .logistic])
        #expect(model.layers[3].weights == model.layers[0].weights.transposed())
        #expect(model.layers[2].weights == model.layers[1].weights.transposed())
        #expect(model.encode(data).shape == (400, 3))
        #expect(model.decode(model.encode(data)).shape == (400, 16))
        #expect(model.metadata.pretrainingErrors.count == 2)
    }

    @Test(arguments: [CodeUnits.linear, .logistic(noiseScale: 4)])
    func fineTuningLowersTheErrorAndIsSeeded(codeUnits: CodeUnits) throws {
        let data = RBMTests.prototypes()
        func trained(seed: UInt64) throws -> (DeepAutoencoder, [Double]) {
            var generator = SplitMix64(seed: seed)
            var configurations = DeepAutoencoder.recommendedPretraining(depth: 2, inputUnits: .logistic, codeUnits: codeUnits, epochs: 5)
            configurations = configurations.map { var c = $0; c.batchSize = 20; return c }
            var model = try DeepAutoencoder.pretrained(
                on: data, layerSizes: [16, 12, 4], inputUnits: .logistic, codeUnits: codeUnits,
                configurations: configurations, generator: &generator)
            var fineTuning = FineTuningConfiguration()
            fineTuning.epochs = 30
            fineTuning.batchSize = 20
            fineTuning.learningRate = 0.01
            let errors = try model.fineTune(on: data, configuration: fineTuning, generator: &generator)
            return (model, errors)
        }
        let (model, errors) = try trained(seed: 8)
        #expect(errors.last! < errors.first! / 2, "\(codeUnits): fine-tuning errors \(errors.first!) -> \(errors.last!)")
        #expect(try trained(seed: 8).0 == model)
        if case .logistic = codeUnits {
            // The noise pushes the code units towards 0 and 1.
            let codes = model.encode(data).elements
            let nearlyBinary = codes.filter { $0 < 0.1 || $0 > 0.9 }.count
            #expect(Double(nearlyBinary) > 0.7 * Double(codes.count), "\(nearlyBinary) of \(codes.count) codes within 0.1 of a bit")
        }
    }

    @Test func fineTuningOnCopiesTeachesTheEncoderToSeeThroughThem() throws {
        // Inputs (a, b, a, b); their copies lose the second half: (a, b, 0.5, 0.5).
        var generator = SplitMix64(seed: 12)
        let pairs = (0..<300).map { _ in (generator.nextUniform(), generator.nextUniform()) }
        let data = Matrix(rows: 300, columns: 4, elements: pairs.flatMap { [$0.0, $0.1, $0.0, $0.1] })
        let copies = Matrix(rows: 300, columns: 4, elements: pairs.flatMap { [$0.0, $0.1, 0.5, 0.5] })
        func trained(copyShare: Float) throws -> DeepAutoencoder {
            var generator = SplitMix64(seed: 5)
            var configurations = DeepAutoencoder.recommendedPretraining(depth: 1, inputUnits: .gaussian, codeUnits: .linear, epochs: 3)
            configurations[0].batchSize = 20
            var model = try DeepAutoencoder.pretrained(on: data, layerSizes: [4, 2], inputUnits: .gaussian, codeUnits: .linear,
                                                       configurations: configurations, generator: &generator)
            var fineTuning = FineTuningConfiguration()
            fineTuning.epochs = 60
            fineTuning.batchSize = 20
            fineTuning.learningRate = 0.01
            try model.fineTune(on: data, configuration: fineTuning, generator: &generator, copies: (copies, copyShare))
            return model
        }
        // How far a copy's code is from its original's.
        func codeGap(_ model: DeepAutoencoder) -> Double {
            model.encode(copies).squaredDistance(to: model.encode(data)) / 300
        }
        let plain = try trained(copyShare: 0), taught = try trained(copyShare: 0.5)
        #expect(codeGap(taught) < codeGap(plain) / 4, "copy-to-original code distance \(codeGap(taught)) with copies, \(codeGap(plain)) without")
        // Taught, a copy still reconstructs to its original.
        let repaired = taught.reconstruct(copies).squaredDistance(to: data) / 300
        #expect(repaired < 0.05, "squared error of a copy's reconstruction against its original: \(repaired)")
        var generator2 = SplitMix64(seed: 1)
        var model = plain
        #expect(throws: TrainingError.self) {
            try model.fineTune(on: data, generator: &generator2, copies: (Matrix(rows: 299, columns: 4), 0.5))
        }
    }

    @Test func gaussianInputsAreStandardizedAndRestored() throws {
        var generator = SplitMix64(seed: 6)
        // Raw values around 100 with spread 10: only standardization makes them usable.
        let raw = Matrix(rows: 200, columns: 8) { row, column in
            100 + 10 * Float((row + column) % 4) + generator.nextGaussian()
        }
        var configurations = DeepAutoencoder.recommendedPretraining(depth: 1, inputUnits: .gaussian, codeUnits: .linear, epochs: 3)
        configurations[0].batchSize = 20
        var model = try DeepAutoencoder.pretrained(on: raw, layerSizes: [8, 4], inputUnits: .gaussian, codeUnits: .linear,
                                                   configurations: configurations, generator: &generator)
        let statistics = try #require(model.standardization)
        #expect(abs(statistics.mean[0] - 115) < 1)
        #expect(statistics.destandardize(statistics.standardize(raw)).squaredDistance(to: raw) < 1e-6 * Double(raw.count) * 1e4)
        var fineTuning = FineTuningConfiguration()
        fineTuning.epochs = 40
        fineTuning.batchSize = 20
        fineTuning.learningRate = 0.01
        try model.fineTune(on: raw, configuration: fineTuning, generator: &generator)
        // Reconstructions come back in the raw scale, close to the data.
        let error = model.meanSquaredReconstructionError(raw) / 8
        #expect(error < 25, "mean squared error per value \(error) (data variance about 125)")
        try model.fitThresholds(to: raw)
        #expect(model.thresholds.count == 4)
    }

    @Test func contrastNormalizationRemovesEachImagesBrightnessAndContrast() {
        let normalization = ContrastNormalization(epsilon: 0.05)
        // The same pattern, darker and with less contrast, and a flat image.
        let pattern: [Float] = [0.2, 0.8, 0.4, 0.6, 0.1, 0.9]
        let faded = pattern.map { 0.1 + 0.5 * $0 }
        let data = Matrix(rows: 3, columns: 6, elements: pattern + faded + [Float](repeating: 0.7, count: 6))
        let normalized = normalization.normalize(data)
        for row in 0..<2 {
            let values = normalized.row(row)
            let mean = values.reduce(0, +) / 6
            #expect(abs(mean) < 1e-6)
            let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 6).squareRoot()
            // s / (s + epsilon): 0.29 / 0.34 and 0.15 / 0.20.
            #expect(deviation > 0.7 && deviation < 0.9, "deviation \(deviation)")
        }
        // The faded copy differs only in scale (epsilon weighs more against its smaller spread).
        let dot = zip(normalized.row(0), normalized.row(1)).map { $0 * $1 }.reduce(0, +)
        let norms = [0, 1].map { row in normalized.row(row).map { $0 * $0 }.reduce(0, +).squareRoot() }
        #expect(dot / (norms[0] * norms[1]) > 0.9999)
        #expect(normalized.row(2).allSatisfy { $0 == 0 }, "a flat image maps to zeros, not noise")
    }

    /// 4x4 thumbnails, channel-planar, a value per (channel, y, x).
    static func thumbnail(_ value: (Int, Int, Int) -> Float) -> [Float] {
        (0..<3).flatMap { channel in (0..<4).flatMap { y in (0..<4).map { x in value(channel, y, x) } } }
    }

    @Test func gradientHistogramsFollowEdgesAndIgnoreBrightness() {
        let features = ThumbnailFeatures(side: 4, cellSize: 2, orientationBins: 4, gradientScales: 1, contrastEpsilon: 0.05, colourSide: 4, colourWeight: 0.3)
        #expect(features.inputCount == 48 && features.gradientCount == 16 && features.outputCount == 64 && features.problem == nil)
        // Brightness rising downwards: every gradient points along y (angle
        // pi/2, bin 2 of 4); rising rightwards: along x (angle 0, bin 0).
        let downwards = Self.thumbnail { _, y, _ in 0.2 * Float(y) }
        let rightwards = Self.thumbnail { _, _, x in 0.2 * Float(x) }
        let flat = [Float](repeating: 0.6, count: 48)
        let brighter = downwards.map { $0 + 0.1 }
        let output = features.transform(Matrix(rows: 4, columns: 48, elements: downwards + rightwards + flat + brighter))
        let histogramsDown = Array(output.row(0).prefix(16)), histogramsRight = Array(output.row(1).prefix(16))
        #expect((0..<16).allSatisfy { ($0 % 4 == 2) || histogramsDown[$0] == 0 }, "\(histogramsDown)")
        #expect((0..<16).allSatisfy { ($0 % 4 == 0) || histogramsRight[$0] == 0 }, "\(histogramsRight)")
        let length = histogramsDown.map { $0 * $0 }.reduce(0, +).squareRoot()
        #expect(abs(length - 1) < 0.01, "the histogram block has unit length: \(length)")
        #expect(output.row(2).allSatisfy { abs($0) < 1e-5 }, "a flat image has no gradients and no contrast")
        // Brightness changes neither block.
        #expect(zip(output.row(3), output.row(0)).allSatisfy { abs($0 - $1) < 1e-5 })
        // The colour block is the contrast-normalized thumbnail.
        let colour = ContrastNormalization(epsilon: 0.05).normalize(Matrix(rows: 1, columns: 48, elements: downwards))
        #expect(Array(output.row(0).suffix(48)) == colour.row(0))
        // Weighting scales the colour block's deviations only.
        let statistics = Standardization(mean: [Float](repeating: 0, count: 64), standardDeviation: [Float](repeating: 2, count: 64))
        let weighted = features.weighted(statistics)
        #expect(weighted.standardDeviation.prefix(16).allSatisfy { $0 == 2 })
        #expect(weighted.standardDeviation.suffix(48).allSatisfy { abs($0 - 2 / 0.3) < 1e-5 })
        #expect(ThumbnailFeatures(side: 4, cellSize: 3).problem != nil)
    }

    @Test func aCoarseColourBlockIsTheAreaAverageContrastNormalized() {
        let features = ThumbnailFeatures(side: 4, cellSize: 2, orientationBins: 4, gradientScales: 1, contrastEpsilon: 0.05, colourSide: 2, colourWeight: 0.8)
        #expect(features.colourCount == 12 && features.outputCount == 28 && features.problem == nil)
        #expect(ThumbnailFeatures(side: 4, colourSide: 3).problem?.contains("colour side 3") == true)
        let image = Self.thumbnail { channel, y, x in Float(channel) * 0.1 + 0.05 * Float(y) + 0.02 * Float(x * x) }
        let output = features.transform(Matrix(rows: 1, columns: 48, elements: image))
        // Each colour value is the mean of its 2x2 block, channel-planar.
        var averaged: [Float] = []
        for channel in 0..<3 {
            for y in 0..<2 {
                for x in 0..<2 {
                    let corner = channel * 16 + 2 * y * 4 + 2 * x
                    let sum: Float = image[corner] + image[corner + 1] + image[corner + 4] + image[corner + 5]
                    averaged.append(sum / 4)
                }
            }
        }
        let expected = ContrastNormalization(epsilon: 0.05).normalize(Matrix(rows: 1, columns: 12, elements: averaged)).row(0)
        let colour = Array(output.row(0).suffix(12))
        #expect(zip(colour, expected).allSatisfy { abs($0 - $1) < 1e-5 }, "\(colour) against \(expected)")
        // The histograms do not depend on the colour block's side.
        let full = ThumbnailFeatures(side: 4, cellSize: 2, orientationBins: 4, gradientScales: 1, contrastEpsilon: 0.05, colourSide: 4, colourWeight: 0.8)
        #expect(Array(full.transform(Matrix(rows: 1, columns: 48, elements: image)).row(0).prefix(16)) == Array(output.row(0).prefix(16)))
    }

    @Test func theHistogramBlockIsTheSquareRootOfTheColourHistogramAndComesLast() {
        let plain = ThumbnailFeatures(side: 4, cellSize: 2, orientationBins: 4, gradientScales: 1, contrastEpsilon: 0.05, colourSide: 2, colourWeight: 0.8)
        var features = plain
        features.histogramWeight = 1.5
        #expect(features.histogramCount == 128 && features.outputCount == plain.outputCount + 128 && features.problem == nil)
        features.histogramWeight = -1
        #expect(features.problem?.contains("histogram weight") == true)
        features.histogramWeight = 1.5
        // Values that are whole bytes, so the RGB picture holds the same colours.
        let image = Self.thumbnail { channel, y, x in (Float((channel * 97 + y * 61 + x * 37) % 256) / 255) }
        let output = features.transform(Matrix(rows: 1, columns: 48, elements: image)).row(0)
        // The blocks before the histogram are unchanged.
        #expect(Array(output.prefix(plain.outputCount)) == plain.transform(Matrix(rows: 1, columns: 48, elements: image)).row(0))
        let pixels = (0..<16).flatMap { pixel in (0..<3).map { UInt8((image[$0 * 16 + pixel] * 255).rounded()) } }
        let histogram = ColourHistogram(of: RGBImage(width: 4, height: 4, pixels: pixels))
        let block = Array(output.suffix(128))
        #expect(zip(block, histogram.shares).allSatisfy { abs($0 - $1.squareRoot()) < 1e-6 }, "\(block) against \(histogram.shares)")
        // Its deviations are divided by its weight; the colour block's by its own.
        let statistics = Standardization(mean: [Float](repeating: 0, count: features.outputCount),
                                         standardDeviation: [Float](repeating: 2, count: features.outputCount))
        let weighted = features.weighted(statistics).standardDeviation
        #expect(weighted.suffix(128).allSatisfy { abs($0 - 2 / 1.5) < 1e-6 })
        #expect(weighted[plain.gradientCount..<plain.outputCount].allSatisfy { abs($0 - 2 / 0.8) < 1e-6 })
    }

    @Test func theCoarseGradientBlockOfAHalfSizeCopyIsItsOriginals() {
        let features = ThumbnailFeatures(side: 32, cellSize: 4, orientationBins: 9, gradientScales: 2)
        #expect(features.gradientCount == 2 * 576 && features.problem == nil)
        #expect(ThumbnailFeatures(side: 30, cellSize: 3, gradientScales: 2, colourSide: 6).problem?.contains("odd") == true)
        var generator = SplitMix64(seed: 8)
        let original = Thumbnail(side: 32, values: (0..<3072).map { index in
            let x = Float(index % 32), y = Float((index / 32) % 32)
            let value: Float = 0.5 + 0.3 * sin(x / 3 + y / 5) + 0.1 * generator.nextGaussian()
            return (min(1, max(0, value)) * 255).rounded() / 255
        })
        let copy = original.halfSizeCopy
        let output = features.transform(Matrix(rows: 2, columns: 3072, elements: original.values + copy.values))
        let fine = (Array(output.row(0)[0..<576]), Array(output.row(1)[0..<576]))
        let coarse = (Array(output.row(0)[576..<1152]), Array(output.row(1)[576..<1152]))
        func distance(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot() }
        // Both blocks have unit length; the copy changes the fine one and
        // the coarse one only by the rounding of its pixels to 8 bits.
        #expect(abs(distance(coarse.0, [Float](repeating: 0, count: 576)) - 1) < 0.01)
        #expect(distance(fine.0, fine.1) > 0.4 && distance(coarse.0, coarse.1) < distance(fine.0, fine.1) / 4,
                "coarse blocks \(distance(coarse.0, coarse.1)) apart, fine \(distance(fine.0, fine.1))")
        // The coarse block is the fine block of the half-resolution image.
        let halfResolution = ThumbnailFeatures(side: 16, cellSize: 2, orientationBins: 9, gradientScales: 1, colourSide: 8)
        let averaged = (0..<3).flatMap { plane in (0..<16).flatMap { y in (0..<16).map { x in
            let at = plane * 1024 + 2 * y * 32 + 2 * x
            return (original.values[at] + original.values[at + 1] + original.values[at + 32] + original.values[at + 33]) / 4
        } } }
        let reference = Array(halfResolution.transform(Matrix(rows: 1, columns: 768, elements: averaged)).row(0)[0..<576])
        #expect(distance(reference, coarse.0) < 1e-4)
    }

    /// The histograms by their definition (the angle from `atan2`), to check
    /// the sign tests that replace it.
    static func referenceHistograms(_ values: [Float], side: Int, cell: Int, bins: Int) -> [Float] {
        let area = side * side
        let grey = (0..<area).map { (values[$0] + values[area + $0] + values[2 * area + $0]) / 3 }
        var histograms = [Float](repeating: 0, count: (side / cell) * (side / cell) * bins)
        for y in 0..<side {
            for x in 0..<side {
                let dx = x > 0 && x < side - 1 ? grey[y * side + x + 1] - grey[y * side + x - 1] : 0
                let dy = y > 0 && y < side - 1 ? grey[(y + 1) * side + x] - grey[(y - 1) * side + x] : 0
                let magnitude = (dx * dx + dy * dy).squareRoot()
                guard magnitude > 0 else { continue }
                var angle = Double(atan2(dy, dx))
                if angle < 0 { angle += .pi }
                if angle >= .pi { angle -= .pi }
                let bin = min(bins - 1, Int(angle / (.pi / Double(bins))))
                histograms[((y / cell) * (side / cell) + x / cell) * bins + bin] += magnitude
            }
        }
        let length = histograms.map { $0 * $0 }.reduce(0, +).squareRoot()
        return histograms.map { $0 / (length + 1e-3) }
    }

    @Test func histogramBinsFollowTheAngleDefinition() {
        var generator = SplitMix64(seed: 21)
        let features = ThumbnailFeatures(side: 32, cellSize: 4, orientationBins: 9, gradientScales: 1)
        // Smooth random images with edges in every direction, quantized to 8 bits as decoded pixels are.
        let images = (0..<6).map { _ -> [Float] in
            let (a, b, c) = (generator.nextGaussian(), generator.nextGaussian(), generator.nextGaussian())
            return (0..<3072).map { index in
                let x = Float(index % 32), y = Float((index / 32) % 32)
                let value = 0.5 + 0.25 * sin(a * x / 5 + b * y / 5) + 0.1 * c * Float(index % 3) + 0.05 * generator.nextGaussian()
                return (min(1, max(0, value)) * 255).rounded() / 255
            }
        }
        let output = features.transform(Matrix(rows: images.count, columns: 3072, elements: images.flatMap { $0 }))
        for (row, image) in images.enumerated() {
            let reference = Self.referenceHistograms(image, side: 32, cell: 4, bins: 9)
            let computed = Array(output.row(row).prefix(576))
            let largest = zip(reference, computed).map { abs($0 - $1) }.max() ?? 0
            #expect(largest < 1e-5, "image \(row): largest difference \(largest)")
        }
    }

    @Test func aModelWithFeaturesComputesThemWhereverItSeesThumbnails() throws {
        var generator = SplitMix64(seed: 9)
        let raw = Matrix(rows: 120, columns: 48) { row, column in
            Float(row % 3) * 0.2 + 0.1 * Float((row + column) % 4) + 0.01 * generator.nextGaussian()
        }
        let features = ThumbnailFeatures(side: 4, cellSize: 2, orientationBins: 4, gradientScales: 1, contrastEpsilon: 0.05, colourSide: 4, colourWeight: 0.3)
        var configurations = DeepAutoencoder.recommendedPretraining(depth: 1, inputUnits: .gaussian, codeUnits: .logistic(noiseScale: 2), epochs: 2)
        configurations[0].batchSize = 20
        #expect(throws: TrainingError.self) {  // the first layer must take the features' count
            try DeepAutoencoder.pretrained(on: raw, layerSizes: [48, 3], inputUnits: .gaussian, codeUnits: .logistic(noiseScale: 2),
                                           configurations: configurations, inputFeatures: features, generator: &generator)
        }
        var model = try DeepAutoencoder.pretrained(on: raw, layerSizes: [64, 3], inputUnits: .gaussian, codeUnits: .logistic(noiseScale: 2),
                                                   configurations: configurations, inputFeatures: features,
                                                   generator: &generator)
        #expect(model.inputFeatures == features && model.rawInputSize == 48 && model.inputSize == 64)
        // Standardized after the features, with the colour block weighted.
        let transformed = features.transform(raw)
        let statistics = try #require(model.standardization)
        #expect(statistics == features.weighted(Standardization(fitting: transformed)))
        #expect(model.preprocess(raw) == statistics.standardize(transformed))
        // A brighter copy of every image has the same code.
        let brighter = Matrix(rows: raw.rows, columns: raw.columns, elements: raw.elements.map { $0 + 0.3 })
        #expect(model.encode(brighter).squaredDistance(to: model.encode(raw)) < 1e-6)
        var fineTuning = FineTuningConfiguration()
        fineTuning.epochs = 2
        fineTuning.batchSize = 20
        try model.fineTune(on: raw, configuration: fineTuning, generator: &generator)
        // Logits as the code: the logistic of them is the activations, and a
        // threshold moved through the logit gives the same bits.
        var logits = model
        logits.codeOutput = .preActivations
        let activations = model.encode(raw), preActivations = logits.encode(raw)
        #expect(zip(activations.elements, preActivations.elements).allSatisfy { abs($0 - 1 / (1 + exp(-$1))) < 1e-5 })
        // Errors are measured against the features the decoder reproduces.
        #expect(model.reconstruct(raw).columns == 64)
        let error = model.meanSquaredReconstructionError(raw)
        #expect(abs(error - model.meanSquaredReconstructionError(brighter)) < 1e-3 * error)
    }

    @Test func fineTuningRejectsBadInput() {
        var generator = SplitMix64(seed: 1)
        var model = DeepAutoencoder(layerSizes: [4, 2], generator: &generator)
        #expect(throws: TrainingError.self) { try model.fineTune(on: Matrix(rows: 3, columns: 5), generator: &generator) }
        #expect(throws: TrainingError.self) {
            try model.fineTune(on: Matrix(rows: 3, columns: 4, repeating: .infinity), generator: &generator)
        }
        var bad = FineTuningConfiguration()
        bad.learningRate = -1
        #expect(throws: TrainingError.self) {
            try model.fineTune(on: Matrix(rows: 3, columns: 4), configuration: bad, generator: &generator)
        }
    }
}
