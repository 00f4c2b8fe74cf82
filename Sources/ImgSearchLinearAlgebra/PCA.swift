internal import CImgSearchBLAS
import ImgSearchCore

/// Principal component analysis: the linear baseline the paper compares the
/// autoencoder with (PCA-30 on MNIST: 13.87).
///
/// The covariance is one `cblas_sgemm` of the centred data with itself; its
/// eigenvectors come from LAPACK's `ssyevd` (divide and conquer), which
/// OpenBLAS bundles. With fewer samples than dimensions the smaller Gram
/// matrix is decomposed instead (same components, same variances).
public struct PCA: Sendable {
    /// The mean of the fitted data, `dimensions` values.
    public let mean: [Float]
    /// `(componentCount, dimensions)`: orthonormal rows, largest variance first.
    public let components: Matrix
    /// The variance along each component, largest first.
    public let variances: [Float]

    /// Fits the leading `componentCount` components of `data`.
    /// - Parameter data: `(samples, dimensions)`
    /// - Throws: `TrainingError.invalidData` when there are no samples or too
    ///   few dimensions, `.invalidConfiguration` when LAPACK fails
    public init(fitting data: Matrix, componentCount: Int) throws {
        let dimensions = data.columns
        guard data.rows > 1 else { throw TrainingError.invalidData("PCA needs at least 2 samples, got \(data.rows)") }
        guard (1...dimensions).contains(componentCount) else {
            throw TrainingError.invalidConfiguration("PCA with \(componentCount) components of \(dimensions)-dimensional data")
        }
        let columnMean = data.columnSums().map { $0 / Float(data.rows) }
        var centred = data
        centred.addToEachRow(columnMean.map { -$0 })
        mean = columnMean
        if data.rows < dimensions, componentCount < data.rows {
            let (leading, leadingVariances) = try Self.componentsFromGram(of: centred, componentCount: componentCount)
            components = leading
            variances = leadingVariances
            return
        }
        var covariance = Matrix(rows: dimensions, columns: dimensions)
        Matrix.multiply(centred, transposeA: true, centred, into: &covariance, alpha: 1 / Float(data.rows - 1))
        let eigenvalues = try Self.symmetricEigenvectors(&covariance)
        let leading = Array((dimensions - componentCount)..<dimensions).reversed()
        components = covariance.gatheringRows(leading)
        variances = leading.map { eigenvalues[$0] }
    }

    /// The leading components from the (samples, samples) Gram matrix, for
    /// fewer samples than dimensions: its eigenvectors `u` map to the
    /// covariance's as `X'u / |X'u|` with the same eigenvalues, and a
    /// 300-image folder then costs a 300 x 300 eigenproblem instead of a
    /// 3072 x 3072 one (seconds, in a test).
    /// - Parameter centred: `(samples, dimensions)`, column means removed
    static func componentsFromGram(of centred: Matrix, componentCount: Int) throws -> (Matrix, [Float]) {
        let samples = centred.rows
        var gram = Matrix(rows: samples, columns: samples)
        Matrix.multiply(centred, centred, transposeB: true, into: &gram, alpha: 1 / Float(samples - 1))
        let eigenvalues = try symmetricEigenvectors(&gram)
        let leading = (0..<componentCount).map { samples - 1 - $0 }
        var components = Matrix.product(gram.gatheringRows(leading), centred)
        for row in 0..<components.rows {
            var norm: Float = 0
            for column in 0..<components.columns { norm += components[row, column] * components[row, column] }
            let scale = 1 / max(norm.squareRoot(), .leastNormalMagnitude)
            for column in 0..<components.columns { components[row, column] *= scale }
        }
        return (components, leading.map { max(0, eigenvalues[$0]) })
    }

    /// Replaces the symmetric `matrix` by its eigenvectors, one per row, and
    /// returns the eigenvalues, ascending (LAPACK's `ssyevd`, divide and conquer).
    static func symmetricEigenvectors(_ matrix: inout Matrix) throws -> [Float] {
        let dimensions = matrix.rows
        // ssyevd overwrites the (symmetric, so layout-free) matrix with its
        // eigenvectors in columns, column-major: row-major rows. Eigenvalues ascend.
        var eigenvalues = [Float](repeating: 0, count: dimensions)
        var n = Int32(dimensions), info: Int32 = 0
        var workSize: Float = 0, integerWorkSize: Int32 = 0, query: Int32 = -1
        ssyevd_("V", "U", &n, &matrix.elements, &n, &eigenvalues, &workSize, &query, &integerWorkSize, &query, &info, 1, 1)
        // The size query answers in a Float, which rounds LAPACK's minimum
        // (1 + 6n + 2n², 18,892,801 at n = 3072) below itself past 2^24, and
        // ssyevd then refuses the workspace (info -8); ask for the minimum.
        var lwork = max(Int32(workSize), Int32(1 + 6 * dimensions + 2 * dimensions * dimensions))
        var liwork = max(integerWorkSize, Int32(3 + 5 * dimensions))
        var work = [Float](repeating: 0, count: Int(lwork))
        var integerWork = [Int32](repeating: 0, count: Int(liwork))
        ssyevd_("V", "U", &n, &matrix.elements, &n, &eigenvalues, &work, &lwork, &integerWork, &liwork, &info, 1, 1)
        guard info == 0 else {
            throw TrainingError.invalidConfiguration("LAPACK ssyevd failed with info \(info) on a \(dimensions) x \(dimensions) matrix")
        }
        return eigenvalues
    }

    /// Coordinates along the components.
    /// - Parameter data: `(samples, dimensions)`
    /// - Returns: `(samples, componentCount)`
    public func project(_ data: Matrix) -> Matrix {
        var centred = data
        centred.addToEachRow(mean.map { -$0 })
        return Matrix.product(centred, components, transposeB: true)
    }

    /// The data mapped back from its projection: `mean + (x - mean) V' V`.
    /// - Parameter data: `(samples, dimensions)`
    /// - Returns: `(samples, dimensions)`
    public func reconstruct(_ data: Matrix) -> Matrix {
        var result = Matrix.product(project(data), components)
        result.addToEachRow(mean)
        return result
    }
}
