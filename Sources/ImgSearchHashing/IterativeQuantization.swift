import ImgSearchCore
import ImgSearchLinearAlgebra

/// Iterative quantization (ITQ; Gong & Lazebnik, CVPR 2011): PCA hashing
/// with the principal directions rotated so that taking signs loses as little
/// as possible.
///
/// With `V` the data projected on the leading `c` principal components
/// (samples, c), ITQ looks for binary codes `B` in {-1, 1} and an orthogonal
/// `R` (c, c) minimizing the quantization loss `|B - VR|²` (Frobenius), by
/// alternating two exact steps from a random rotation:
///
/// 1. fix `R`: `B = sign(VR)`;
/// 2. fix `B`: the orthogonal Procrustes problem, solved by the SVD
///    `V'B = U S W'`, `R = UW'`.
///
/// Neither step can raise the loss, so ``quantizationLoss`` never increases
/// (the test checks it). The paper uses 50 iterations: the loss has mostly
/// settled by then and more barely changes mAP.
public struct IterativeQuantization: Sendable {
    /// The fitted hash: the principal directions times the rotation.
    public let hashFunction: LinearHashFunction
    /// `(c, c)`: the rotation `R` of the last iteration.
    public let rotation: Matrix
    /// `|B - VR|²` per sample, measured at each iteration's step 1 (with the
    /// codes just set from the current rotation), first iteration first.
    public let quantizationLoss: [Double]

    /// The paper's number of iterations.
    public static let defaultIterations = 50

    /// Fits ITQ on `data`, whose principal components `pca` already holds
    /// (`pca.components.rows` = the number of bits), so PCA hashing and ITQ
    /// can share one PCA.
    /// - Parameters:
    ///   - data: `(samples, dimensions)`, the data `pca` was fitted on
    ///   - generator: draws the starting rotation
    public init(fitting data: Matrix, pca: PCA, iterations: Int = defaultIterations, generator: inout SplitMix64) throws {
        guard iterations >= 0 else { throw TrainingError.invalidConfiguration("ITQ with \(iterations) iterations") }
        guard data.rows > 0, data.columns == pca.mean.count else {
            throw TrainingError.invalidData("ITQ on \(data.rows) x \(data.columns) data with a PCA of \(pca.mean.count) dimensions")
        }
        let principal = try LinearHashFunction.pcaHashing(pca)
        let projected = principal.project(data)  // V, (samples, c)
        let bits = projected.columns
        // A random orthogonal start: the left singular vectors of a Gaussian matrix.
        var rotation = try SingularValueDecomposition(
            .gaussian(rows: bits, columns: bits, scale: 1, generator: &generator)).left
        var losses: [Double] = []
        losses.reserveCapacity(iterations)
        var rotated = Matrix(rows: projected.rows, columns: bits)
        var signs = Matrix(rows: projected.rows, columns: bits)
        var correlation = Matrix(rows: bits, columns: bits)
        for _ in 0..<iterations {
            // Step 1: B = sign(VR), and the loss of (B, R).
            Matrix.multiply(projected, rotation, into: &rotated)
            var loss = 0.0
            for index in 0..<rotated.count {
                let value = rotated.elements[index]
                let sign: Float = value > 0 ? 1 : -1
                signs.elements[index] = sign
                loss += Double((sign - value) * (sign - value))
            }
            losses.append(loss / Double(projected.rows))
            // Step 2: R = UW' from V'B = USW'.
            Matrix.multiply(projected, transposeA: true, signs, into: &correlation)
            let svd = try SingularValueDecomposition(correlation)
            rotation = Matrix.product(svd.left, svd.rightTransposed)
        }
        self.rotation = rotation
        quantizationLoss = losses
        hashFunction = try LinearHashFunction(mean: pca.mean, projection: Matrix.product(principal.projection, rotation))
    }
}
