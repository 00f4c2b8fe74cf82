internal import CImgSearchBLAS
import ImgSearchCore

/// The thin singular value decomposition `M = U diag(s) V'` of a row-major
/// matrix, through LAPACK's `sgesvd` (bundled in OpenBLAS).
///
/// Iterative quantization needs it once per iteration for the orthogonal
/// Procrustes step on a (bits, bits) matrix, so it is written for small
/// matrices: the input is copied and every output is a new matrix.
public struct SingularValueDecomposition: Sendable {
    /// `U`, `(m, p)` with `p = min(m, n)`: orthonormal columns.
    public let left: Matrix
    /// The `p` singular values, largest first, all >= 0.
    public let values: [Float]
    /// `V'`, `(p, n)`: orthonormal rows.
    public let rightTransposed: Matrix

    /// Decomposes `matrix`, `(m, n)` with m, n >= 1.
    /// - Throws: `TrainingError.invalidConfiguration` when LAPACK does not
    ///   converge or the matrix holds NaN.
    public init(_ matrix: Matrix) throws {
        let (m, n) = (matrix.rows, matrix.columns)
        guard m > 0, n > 0 else { throw TrainingError.invalidData("the SVD of an empty \(m) x \(n) matrix") }
        let p = min(m, n)
        // LAPACK reads the row-major buffer as the column-major M' (n x m).
        // Decomposing M' = A S B' gives M = B S A', and the outputs come back
        // column-major, so read row-major: the `vt` buffer (p x m column-major)
        // is B as an (m, p) row-major matrix, the `u` buffer (n x p) is A' as
        // a (p, n) row-major matrix. Those are U and V' of M, with no copies.
        var a = matrix.elements
        var rowsF = Int32(n), columnsF = Int32(m), leading = Int32(n), leadingVT = Int32(p)
        var singular = [Float](repeating: 0, count: p)
        var u = [Float](repeating: 0, count: n * p)
        var vt = [Float](repeating: 0, count: p * m)
        var info: Int32 = 0, query: Int32 = -1, workSize: Float = 0
        sgesvd_("S", "S", &rowsF, &columnsF, &a, &leading, &singular, &u, &leading, &vt, &leadingVT,
                &workSize, &query, &info, 1, 1)
        var lwork = Int32(max(1, workSize))
        var work = [Float](repeating: 0, count: Int(lwork))
        sgesvd_("S", "S", &rowsF, &columnsF, &a, &leading, &singular, &u, &leading, &vt, &leadingVT,
                &work, &lwork, &info, 1, 1)
        guard info == 0 else {
            throw TrainingError.invalidConfiguration("LAPACK sgesvd failed with info \(info) on a \(m) x \(n) matrix")
        }
        left = Matrix(rows: m, columns: p, elements: vt)
        values = singular
        rightTransposed = Matrix(rows: p, columns: n, elements: u)
    }
}
