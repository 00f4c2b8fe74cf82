internal import CImgSearchBLAS

/// Principal component analysis: the linear baseline the paper compares the
/// autoencoder with (PCA-30 on MNIST: 13.87).
///
/// The covariance is one `cblas_sgemm` of the centred data with itself; its
/// eigenvectors come from LAPACK's `ssyevd` (divide and conquer), which
/// OpenBLAS bundles.
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
        var covariance = Matrix(rows: dimensions, columns: dimensions)
        Matrix.multiply(centred, transposeA: true, centred, into: &covariance, alpha: 1 / Float(data.rows - 1))

        // ssyevd overwrites the (symmetric, so layout-free) matrix with its
        // eigenvectors in columns, column-major: row-major rows. Eigenvalues ascend.
        var eigenvalues = [Float](repeating: 0, count: dimensions)
        var n = Int32(dimensions), info: Int32 = 0
        var workSize: Float = 0, integerWorkSize: Int32 = 0, query: Int32 = -1
        ssyevd_("V", "U", &n, &covariance.elements, &n, &eigenvalues, &workSize, &query, &integerWorkSize, &query, &info, 1, 1)
        var lwork = Int32(workSize), liwork = integerWorkSize
        var work = [Float](repeating: 0, count: Int(lwork))
        var integerWork = [Int32](repeating: 0, count: Int(liwork))
        ssyevd_("V", "U", &n, &covariance.elements, &n, &eigenvalues, &work, &lwork, &integerWork, &liwork, &info, 1, 1)
        guard info == 0 else {
            throw TrainingError.invalidConfiguration("LAPACK ssyevd failed with info \(info) on a \(dimensions) x \(dimensions) covariance")
        }
        let leading = Array((dimensions - componentCount)..<dimensions).reversed()
        mean = columnMean
        components = covariance.gatheringRows(leading)
        variances = leading.map { eigenvalues[$0] }
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
