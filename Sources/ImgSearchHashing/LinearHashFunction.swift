import ImgSearchCore
import ImgSearchLinearAlgebra

/// A hash from the signs of linear projections: bit `i` of `x` is 1 when
/// `(x - mean) · projection[:, i] > 0`.
///
/// The classic unsupervised binary codes that the semantic hash is measured
/// against are all of this form and differ only in the projection (Gong &
/// Lazebnik, "Iterative quantization", CVPR 2011, section 2):
///
/// - ``randomProjections(fitting:bitCount:generator:)``: LSH, Gaussian random
///   directions (Charikar's sign random projections).
/// - ``pcaHashing(_:)``: PCA hashing, the leading principal directions.
/// - ``IterativeQuantization``: the principal directions rotated so that the
///   signs lose as little as possible.
///
/// Data are centred first (on the fitting data's mean), as in that paper, so
/// that every direction splits the data near its middle.
public struct LinearHashFunction: Sendable {
    /// The fitting data's mean, `dimensions` values.
    public let mean: [Float]
    /// `(dimensions, bitCount)`: one direction per bit, in columns.
    public let projection: Matrix

    /// Bits per hash.
    public var bitCount: Int { projection.columns }

    /// A hash function with these directions.
    /// - Parameter projection: `(mean.count, bitCount)`, 1 ... 32 columns.
    public init(mean: [Float], projection: Matrix) throws {
        guard projection.rows == mean.count, (1...32).contains(projection.columns) else {
            throw TrainingError.invalidConfiguration(
                "a \(projection.rows) x \(projection.columns) projection for \(mean.count)-dimensional data (1 to 32 bits)")
        }
        self.mean = mean
        self.projection = projection
    }

    /// LSH: `bitCount` directions with independent standard normal entries.
    /// - Parameter data: `(samples, dimensions)`, used only for its mean.
    public static func randomProjections(fitting data: Matrix, bitCount: Int, generator: inout SplitMix64) throws -> LinearHashFunction {
        guard data.rows > 0 else { throw TrainingError.invalidData("LSH needs at least 1 sample") }
        let mean = data.columnSums().map { $0 / Float(data.rows) }
        return try LinearHashFunction(
            mean: mean, projection: .gaussian(rows: data.columns, columns: bitCount, scale: 1, generator: &generator))
    }

    /// PCA hashing: the signs of the leading principal components, one bit each.
    public static func pcaHashing(_ pca: PCA) throws -> LinearHashFunction {
        try LinearHashFunction(mean: pca.mean, projection: pca.components.transposed())
    }

    /// `(x - mean) * projection`, the values whose signs are the bits.
    /// - Parameter data: `(samples, dimensions)`
    /// - Returns: `(samples, bitCount)`
    public func project(_ data: Matrix) -> Matrix {
        var centred = data
        centred.addToEachRow(mean.map { -$0 })
        return Matrix.product(centred, projection)
    }

    /// The hashes of `data`'s rows, bit `i` in the `i`-th lowest bit.
    /// - Parameter data: `(samples, dimensions)`
    public func hashes(_ data: Matrix) -> [UInt32] {
        Self.signBits(of: project(data))
    }

    /// Bit `i` of row `r` is 1 when `values[r, i] > 0`.
    /// - Parameter values: `(samples, bits)`, at most 32 columns
    static func signBits(of values: Matrix) -> [UInt32] {
        (0..<values.rows).map { row in
            var hash: UInt32 = 0
            for bit in 0..<values.columns where values[row, bit] > 0 { hash |= 1 << UInt32(bit) }
            return hash
        }
    }
}
