internal import CImgSearchBLAS

/// The OpenBLAS thread pool, shared by every product in the process.
public enum BLAS {
    /// Threads OpenBLAS uses for one product (OpenBLAS's default: one per core).
    ///
    /// OpenBLAS keeps its own pool. Where the caller already runs work in
    /// parallel (one training per core, or a decoder pool beside the encoder),
    /// set this to 1 so the two pools do not oversubscribe the cores.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// Sets one thread a product and stops OpenBLAS's idle workers, which
    /// otherwise spin for a while from the moment the library loads: what a
    /// short command (one query) wants, since their spinning takes a core
    /// from it (on 2 cores, 20-35 ms of CPU a query, docs/benchmarks.md).
    /// A later ``threadCount`` above 1 starts workers again on the next product.
    public static func useOneThreadAndStopWorkers() {
        threadCount = 1
        _ = blas_thread_shutdown_()
    }

    /// The OpenBLAS build, for benchmark reports (for example "OpenBLAS 0.3.21 ... Zen").
    public static var configuration: String {
        guard let text = openblas_get_config() else { return "OpenBLAS" }
        return String(cString: text)
    }
}

extension Matrix {
    /// `c = alpha * op(a) * op(b) + beta * c`, through `cblas_sgemm`.
    ///
    /// `op(x)` is `x` or its transpose, chosen by the flags, so transposed
    /// products cost no copy. With `beta = 0` the previous contents of `c` are
    /// ignored (BLAS does not read them), with `beta = 1` the product is added.
    /// - Parameters:
    ///   - a: `(m, k)`, or `(k, m)` when `transposeA`
    ///   - b: `(k, n)`, or `(n, k)` when `transposeB`
    ///   - c: `(m, n)`, overwritten or accumulated into
    public static func multiply(
        _ a: Matrix, transposeA: Bool = false,
        _ b: Matrix, transposeB: Bool = false,
        into c: inout Matrix, alpha: Float = 1, beta: Float = 0
    ) {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let kB = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        precondition(k == kB, "inner dimensions differ: op(a) is \(m) x \(k), op(b) is \(kB) x \(n)")
        precondition(c.rows == m && c.columns == n, "product is \(m) x \(n) but c is \(c.rows) x \(c.columns)")
        guard m > 0, n > 0 else { return }
        if k == 0 {
            // BLAS would only scale c by beta; do the same without a call.
            c.scale(by: beta)
            return
        }
        a.elements.withUnsafeBufferPointer { aBuffer in
            b.elements.withUnsafeBufferPointer { bBuffer in
                c.elements.withUnsafeMutableBufferPointer { cBuffer in
                    cblas_sgemm(
                        CblasRowMajor,
                        transposeA ? CblasTrans : CblasNoTrans,
                        transposeB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k),
                        alpha,
                        aBuffer.baseAddress, Int32(a.columns),
                        bBuffer.baseAddress, Int32(b.columns),
                        beta,
                        cBuffer.baseAddress, Int32(n)
                    )
                }
            }
        }
    }

    /// `op(a) * op(b)` as a new matrix.
    /// - Parameters:
    ///   - a: `(m, k)`, or `(k, m)` when `transposeA`
    ///   - b: `(k, n)`, or `(n, k)` when `transposeB`
    /// - Returns: `(m, n)`
    public static func product(_ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false) -> Matrix {
        var c = Matrix(rows: transposeA ? a.columns : a.rows, columns: transposeB ? b.rows : b.columns)
        multiply(a, transposeA: transposeA, b, transposeB: transposeB, into: &c)
        return c
    }

    /// `a * b`, the plain matrix product.
    public static func * (a: Matrix, b: Matrix) -> Matrix {
        product(a, b)
    }
}
