/// A dense row-major matrix of `Float` over one contiguous buffer.
///
/// Row `r`, column `c` is `elements[r * columns + c]`. Rows are samples and
/// columns are units everywhere in the learning code (a batch of 100 MNIST
/// images is a 100 x 784 matrix), which is the layout `cblas_sgemm` reads
/// without copies. Value semantics come from the `[Float]` storage
/// (copy-on-write), so a matrix can be passed around freely and mutated in
/// place when it is uniquely referenced.
public struct Matrix: Sendable, Equatable {
    /// Number of rows (samples).
    public let rows: Int
    /// Number of columns (units).
    public let columns: Int
    /// `rows * columns` values, row after row.
    public var elements: [Float]

    /// A `rows` x `columns` matrix with every element set to `value`.
    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions cannot be negative")
        self.rows = rows
        self.columns = columns
        self.elements = [Float](repeating: value, count: rows * columns)
    }

    /// Wraps `elements`, which must hold exactly `rows * columns` values, row-major.
    public init(rows: Int, columns: Int, elements: [Float]) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions cannot be negative")
        precondition(elements.count == rows * columns,
                     "a \(rows) x \(columns) matrix needs \(rows * columns) elements, got \(elements.count)")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix whose elements come from `generator(row, column)`.
    public init(rows: Int, columns: Int, generator: (Int, Int) -> Float) {
        self.init(rows: rows, columns: columns)
        for row in 0..<rows {
            for column in 0..<columns {
                elements[row * columns + column] = generator(row, column)
            }
        }
    }

    /// Number of elements, `rows * columns`.
    public var count: Int { rows * columns }

    /// `(rows, columns)`, for messages and checks.
    public var shape: (rows: Int, columns: Int) { (rows, columns) }

    /// The element at `row`, `column`.
    public subscript(row: Int, column: Int) -> Float {
        get { elements[row * columns + column] }
        set { elements[row * columns + column] = newValue }
    }

    /// A copy of row `row` as an array of `columns` values.
    public func row(_ row: Int) -> [Float] {
        Array(elements[(row * columns)..<((row + 1) * columns)])
    }

    /// The rows `range`, copied into a new `(range.count, columns)` matrix.
    public func rows(_ range: Range<Int>) -> Matrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "row range \(range) outside 0..<\(rows)")
        return Matrix(rows: range.count, columns: columns,
                      elements: Array(elements[(range.lowerBound * columns)..<(range.upperBound * columns)]))
    }

    /// The rows named by `indices`, in that order, copied into a new matrix.
    ///
    /// Mini-batches are gathered this way from a shuffled index list, so the
    /// training set itself is never reordered.
    public func gatheringRows<Indices: Collection>(_ indices: Indices) -> Matrix where Indices.Element == Int {
        var batch = Matrix(rows: indices.count, columns: columns)
        gatherRows(indices, into: &batch)
        return batch
    }

    /// Overwrites row `targetRow` of `target` with row `row` of this matrix.
    public func copyRow(_ row: Int, into target: inout Matrix, row targetRow: Int) {
        precondition(target.columns == columns && row >= 0 && row < rows && targetRow >= 0 && targetRow < target.rows,
                     "row \(row) of a \(rows) x \(columns) matrix does not fit row \(targetRow) of a \(target.rows) x \(target.columns) one")
        target.elements.replaceSubrange((targetRow * columns)..<((targetRow + 1) * columns),
                                        with: elements[(row * columns)..<((row + 1) * columns)])
    }

    /// Copies the rows named by `indices` into the first rows of `batch`, which
    /// must have `columns` columns and at least `indices.count` rows; reuses
    /// `batch`'s storage so a training loop allocates nothing per batch.
    public func gatherRows<Indices: Collection>(_ indices: Indices, into batch: inout Matrix) where Indices.Element == Int {
        precondition(batch.columns == columns && batch.rows >= indices.count, "batch shape does not fit the gathered rows")
        let width = columns
        elements.withUnsafeBufferPointer { source in
            batch.elements.withUnsafeMutableBufferPointer { target in
                var targetRow = 0
                for index in indices {
                    precondition(index >= 0 && index < rows, "row \(index) outside 0..<\(rows)")
                    let from = source.baseAddress! + index * width
                    (target.baseAddress! + targetRow * width).update(from: from, count: width)
                    targetRow += 1
                }
            }
        }
    }

    /// The transpose, a `(columns, rows)` matrix.
    public func transposed() -> Matrix {
        var result = Matrix(rows: columns, columns: rows)
        let (rowCount, columnCount) = (rows, columns)
        elements.withUnsafeBufferPointer { source in
            result.elements.withUnsafeMutableBufferPointer { target in
                // Blocked so both reads and writes stay within cache lines.
                let block = 32
                for rowStart in stride(from: 0, to: rowCount, by: block) {
                    for columnStart in stride(from: 0, to: columnCount, by: block) {
                        for row in rowStart..<min(rowStart + block, rowCount) {
                            for column in columnStart..<min(columnStart + block, columnCount) {
                                target[column * rowCount + row] = source[row * columnCount + column]
                            }
                        }
                    }
                }
            }
        }
        return result
    }
}
