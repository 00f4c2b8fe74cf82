/// Element-wise work over whole matrices, written as plain loops over unsafe
/// buffers with wrapping integer arithmetic so the optimizer turns them into
/// SIMD code: between two `cblas_sgemm` calls these loops are the only other
/// work, and a scalar loop here would cost as much as the products.
extension Matrix {
    // MARK: - Arithmetic

    /// Multiplies every element by `factor`.
    public mutating func scale(by factor: Float) {
        elements.withUnsafeMutableBufferPointer { values in
            for index in values.indices { values[index] *= factor }
        }
    }

    /// `self += factor * other`; `other` has the same shape.
    public mutating func add(_ other: Matrix, scaledBy factor: Float = 1) {
        precondition(rows == other.rows && columns == other.columns, "shapes differ: \(shape) and \(other.shape)")
        elements.withUnsafeMutableBufferPointer { values in
            other.elements.withUnsafeBufferPointer { addends in
                for index in values.indices { values[index] += factor * addends[index] }
            }
        }
    }

    /// Adds `vector` to every row: the bias of a layer, one value per unit.
    /// - Parameter vector: `columns` values
    public mutating func addToEachRow(_ vector: [Float]) {
        precondition(vector.count == columns, "row vector has \(vector.count) values, matrix has \(columns) columns")
        let width = columns
        elements.withUnsafeMutableBufferPointer { values in
            vector.withUnsafeBufferPointer { addend in
                for row in 0..<rows {
                    let rowValues = UnsafeMutableBufferPointer(rebasing: values[(row &* width)..<(row &* width &+ width)])
                    for column in 0..<width { rowValues[column] += addend[column] }
                }
            }
        }
    }

    /// The sum of each column, `columns` values (the sum over the batch of
    /// each unit's activity, as rbm.m's `sum(poshidprobs)`).
    public func columnSums() -> [Float] {
        var sums = [Float](repeating: 0, count: columns)
        let width = columns
        elements.withUnsafeBufferPointer { values in
            sums.withUnsafeMutableBufferPointer { total in
                for row in 0..<rows {
                    let rowValues = UnsafeBufferPointer(rebasing: values[(row &* width)..<(row &* width &+ width)])
                    for column in 0..<width { total[column] += rowValues[column] }
                }
            }
        }
        return sums
    }

    /// `sum((self - other)^2)` over all elements, accumulated in `Double` per
    /// row so the sum over a large test set keeps its digits.
    public func squaredDistance(to other: Matrix) -> Double {
        precondition(rows == other.rows && columns == other.columns, "shapes differ: \(shape) and \(other.shape)")
        var total = 0.0
        let width = columns
        elements.withUnsafeBufferPointer { values in
            other.elements.withUnsafeBufferPointer { others in
                for row in 0..<rows {
                    var rowSum: Float = 0
                    for column in 0..<width {
                        let difference = values[row &* width &+ column] - others[row &* width &+ column]
                        rowSum += difference * difference
                    }
                    total += Double(rowSum)
                }
            }
        }
        return total
    }

    // MARK: - Activations

    /// Replaces every element `x` by the logistic function `1 / (1 + exp(-x))`.
    public mutating func applyLogistic() {
        elements.withUnsafeMutableBufferPointer { values in
            for index in values.indices { values[index] = Elementwise.logistic(values[index]) }
        }
    }
}

/// Scalar kernels that inline into the matrix loops and vectorize.
public enum Elementwise {
    /// `exp(x)` for `Float`, to within about 2 ulp, written without library
    /// calls so that loops over it vectorize (`expf` is an opaque call and
    /// would make the logistic units cost as much as the products).
    ///
    /// Range reduction `x = n ln 2 + r` with `|r| <= ln2 / 2` (Cody-Waite,
    /// two-part ln 2), a degree-6 polynomial for `exp(r)` (the Cephes `expf`
    /// coefficients), and `2^n` built directly in the exponent bits. The input
    /// is clamped to [-87, 88] so `2^n` stays a normal float.
    @inlinable @inline(__always)
    public static func exp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87), 88)
        // Adding 1.5 * 2^23 rounds to the nearest integer in the FPU's own
        // rounding, with no call to rint, and leaves n in the low mantissa bits.
        let shifter: Float = 12_582_912
        let shifted = clamped * 1.442_695_04 + shifter
        let n = shifted - shifter
        let r = (clamped - n * 0.693_359_375) - n * -2.121_944_4e-4
        var polynomial: Float = 1.987_569_15e-4
        polynomial = polynomial * r + 1.398_199_950_7e-3
        polynomial = polynomial * r + 8.333_451_907_3e-3
        polynomial = polynomial * r + 4.166_579_589_4e-2
        polynomial = polynomial * r + 1.666_666_545_9e-1
        polynomial = polynomial * r + 5.000_000_120_1e-1
        let expR = polynomial * r * r + r + 1
        let exponent = Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000
        let twoToN = Float(bitPattern: UInt32(bitPattern: (exponent &+ 127) << 23))
        return expR * twoToN
    }

    /// The logistic function `1 / (1 + exp(-x))`, vectorizable (see `exp`).
    @inlinable @inline(__always)
    public static func logistic(_ x: Float) -> Float {
        1 / (1 + exp(-x))
    }
}
