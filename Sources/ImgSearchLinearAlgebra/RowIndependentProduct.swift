import CImgSearchDense

/// A weight matrix packed for products whose every output row depends on
/// its own input row alone, bit for bit, whatever the other rows are.
///
/// OpenBLAS chooses its kernels by the shape of the call and the position
/// of a row in its tiles (a partial tile at the end of a batch takes
/// another path, a one-row product may become a matrix-vector one), and
/// each sums in its own order; so a picture encoded alone got a code up to
/// 3e-6 away from the same picture encoded in a batch, and one in 40,000
/// crossed a threshold into another hash (issue 19). Here each output value
/// is `((0 + x[0] w[0]) + x[1] w[1]) + ...`, k ascending, one rounded
/// multiply and one rounded add per term (Swift never fuses them), for
/// every row in every batch: the rows are computed four at a time only to
/// share the weight loads, and a batch's last rows run the same code
/// beside rows of zeros.
///
/// The weights are packed in chunks of 16 outputs, each chunk's `inputs x
/// 16` values contiguous, so the kernel (`imgsearch_dense_multiply` in
/// CImgSearchDense: AVX2 where the CPU has it, else portable C, the same
/// operations in the same order) keeps four rows' 16 sums in registers and
/// streams one chunk of weights.
public struct RowIndependentWeights: Sendable {
    public let inputs: Int
    public let outputs: Int
    /// Outputs per chunk, as the C kernel packs them.
    static let chunk = IMGSEARCH_DENSE_CHUNK
    /// `[chunk][input][16]`, zero beyond `outputs`.
    private let packed: [Float]

    /// Packs `weights` (`inputs x outputs`, row-major, as ``Matrix`` holds them).
    public init(_ weights: Matrix) {
        inputs = weights.rows
        outputs = weights.columns
        let chunkCount = (weights.columns + Self.chunk - 1) / Self.chunk
        var packed = [Float](repeating: 0, count: chunkCount * inputs * Self.chunk)
        for chunk in 0..<chunkCount {
            for input in 0..<inputs {
                for lane in 0..<Self.chunk where chunk * Self.chunk + lane < outputs {
                    packed[(chunk * inputs + input) * Self.chunk + lane] = weights[input, chunk * Self.chunk + lane]
                }
            }
        }
        self.packed = packed
    }

    /// `input x weights` (`input.rows x outputs`).
    public func multiply(_ input: Matrix) -> Matrix {
        precondition(input.columns == inputs, "input has \(input.columns) columns, the weights \(inputs) rows")
        var output = Matrix(rows: input.rows, columns: outputs)
        guard input.rows > 0, outputs > 0 else { return output }
        let zeros = [Float](repeating: 0, count: max(1, inputs))
        input.elements.withUnsafeBufferPointer { rows in
            zeros.withUnsafeBufferPointer { zeroRow in
                packed.withUnsafeBufferPointer { weights in
                    output.elements.withUnsafeMutableBufferPointer { out in
                        imgsearch_dense_multiply(rows.baseAddress, input.rows, inputs, weights.baseAddress, outputs,
                                                 zeroRow.baseAddress, out.baseAddress)
                    }
                }
            }
        }
        return output
    }
}
