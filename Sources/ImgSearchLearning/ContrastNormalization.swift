import ImgSearchLinearAlgebra

/// Per-image contrast normalization: each sample's values lose their own
/// mean and are divided by their own standard deviation plus `epsilon`.
///
/// Why: on raw thumbnails, distances are dominated by overall brightness and
/// contrast (the first principal component of CIFAR-10 is brightness), which
/// say little about what a picture shows. Normalizing every image first made
/// PCA-30 retrieval on CIFAR-10 better (mAP@1000 0.234 to 0.250 in the
/// exploration recorded in docs/quality.md). Coates, Lee and Ng (2011)
/// normalize CIFAR patches the same way before unsupervised feature
/// learning. `epsilon` keeps a flat image (all one colour) from being blown
/// up into noise.
///
/// The colour block of ``ThumbnailFeatures`` is normalized this way, as part
/// of the model: a query is normalized exactly as the training images were.
public struct ContrastNormalization: Sendable, Equatable, Codable {
    /// Added to each image's standard deviation (values in [0, 1]).
    public var epsilon: Float

    public init(epsilon: Float) {
        precondition(epsilon > 0 && epsilon.isFinite, "epsilon must be positive")
        self.epsilon = epsilon
    }

    /// Each row of `data` minus its mean, divided by its standard deviation plus `epsilon`.
    /// - Parameter data: `(samples, inputs)`
    public func normalize(_ data: Matrix) -> Matrix {
        var result = data
        let width = data.columns
        guard width > 0 else { return result }
        data.elements.withUnsafeBufferPointer { input in
            result.elements.withUnsafeMutableBufferPointer { values in
                for row in 0..<data.rows {
                    normalize(UnsafeBufferPointer(rebasing: input[(row * width)..<((row + 1) * width)]),
                              into: UnsafeMutableBufferPointer(rebasing: values[(row * width)..<((row + 1) * width)]))
                }
            }
        }
        return result
    }

    /// One sample normalized into `target` (of the same length).
    package func normalize(_ sample: UnsafeBufferPointer<Float>, into target: UnsafeMutableBufferPointer<Float>) {
        guard !sample.isEmpty else { return }
        var sum: Float = 0
        for value in sample { sum += value }
        let mean = sum / Float(sample.count)
        var squares: Float = 0
        for value in sample { squares += (value - mean) * (value - mean) }
        let scale = 1 / ((squares / Float(sample.count)).squareRoot() + epsilon)
        for index in sample.indices { target[index] = (sample[index] - mean) * scale }
    }
}
