import ArgumentParser
import ImgSearch

/// The model options of `imgsearch train`: the architecture, the training
/// schedule and the features the first layer sees. Every default is read
/// from the library's own defaults (``ThumbnailModelSettings``,
/// ``ThumbnailFeatures``), so the CLI and an embedding tool train the same
/// model when they say nothing.
struct ModelTrainingOptions: ParsableArguments {
    @Option(help: "Layer sizes from the thumbnail to the code, comma-separated.")
    var layers: String = ThumbnailModelSettings().layerSizes.map(String.init).joined(separator: ",")

    @Option(help: "Contrastive-divergence epochs per RBM.")
    var pretrainingEpochs = ThumbnailModelSettings().pretrainingEpochs

    @Option(help: "Backpropagation epochs.")
    var fineTuningEpochs = ThumbnailModelSettings().fineTuningEpochs

    @Option(help: "Noise on the code units' inputs during fine-tuning (standard deviation).")
    var noiseScale = ThumbnailModelSettings().noiseScale

    @Option(help: "Share of images fed to the encoder as their half-size copy in each fine-tuning epoch, so scaled-down copies get their original's code (0: none).")
    var halfSizeCopies = ThumbnailModelSettings().halfSizeCopyShare

    @Option(help: "Side of the cells of the gradient-orientation histograms the first layer sees (0: none).")
    var gradientCell = ThumbnailFeatures().cellSize

    @Option(help: "Orientation bins of the gradient histograms.")
    var orientationBins = ThumbnailFeatures().orientationBins

    @Option(help: "Per-image contrast normalization of the colour values: the epsilon added to each image's standard deviation (0: none).")
    var contrastEpsilon = ThumbnailFeatures().contrastEpsilon

    @Option(help: "Gradient histograms at 1 scale (the thumbnail) or 2 (also at half its side, over the same cells).")
    var gradientScales = ThumbnailFeatures().gradientScales

    @Option(help: "Side of the colour block: the thumbnail area-averaged to this many pixels a side (a divisor of the thumbnail's side).")
    var colourSide = ThumbnailFeatures().colourSide

    @Option(help: "Weight of the colour values against the gradient histograms, after standardization.")
    var colourWeight = ThumbnailFeatures().colourWeight

    @Option(help: "Weight of the thumbnail's HSV colour histogram (8x4x4 bins, square-rooted) against the gradient histograms, after standardization (0: no histogram block).")
    var histogramWeight = ThumbnailFeatures().histogramWeight

    @Flag(help: "Give the first layer the thumbnail's values as they are: no gradient histograms, no contrast normalization (the recipe before features).")
    var rawPixels = false

    func validate() throws {
        guard parsedLayers != nil else { throw ValidationError("--layers must be positive integers separated by commas, like 3072,512,256,128,30") }
        if let problem = features?.problem { throw ValidationError("features: \(problem)") }
        guard (0...1).contains(halfSizeCopies) else { throw ValidationError("--half-size-copies must be a share in 0...1, like 0.5") }
        guard parsedLayers?.last.map({ (1...semanticHashMaximumBits).contains($0) }) ?? false else {
            throw ValidationError("the last layer is the number of hash bits: 1 ... \(semanticHashMaximumBits)")
        }
    }

    private var parsedLayers: [Int]? {
        let sizes = layers.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard sizes.count >= 2, sizes.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return sizes.compactMap { $0 }
    }

    /// The features the options describe, sized to the thumbnail `--layers`
    /// starts with (the trainer refuses a first size that is not one).
    private var features: ThumbnailFeatures? {
        guard !rawPixels else { return nil }
        let features = ThumbnailFeatures(cellSize: gradientCell, orientationBins: orientationBins, gradientScales: gradientScales,
                                         contrastEpsilon: contrastEpsilon, colourSide: colourSide, colourWeight: colourWeight,
                                         histogramWeight: histogramWeight)
        return features.sized(toThumbnailValues: parsedLayers?.first ?? features.inputCount) ?? features
    }

    /// The settings these options describe, with `seed` for every random draw.
    func settings(seed: UInt64) -> ThumbnailModelSettings {
        var settings = ThumbnailModelSettings()
        settings.layerSizes = parsedLayers ?? settings.layerSizes
        settings.pretrainingEpochs = pretrainingEpochs
        settings.fineTuningEpochs = fineTuningEpochs
        settings.noiseScale = noiseScale
        settings.halfSizeCopyShare = halfSizeCopies
        settings.features = features
        settings.seed = seed
        return settings
    }
}
