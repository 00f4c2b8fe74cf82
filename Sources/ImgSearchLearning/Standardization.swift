import ImgSearchLinearAlgebra

/// Per-input standardization: `(x - mean) / standardDeviation`.
///
/// Gaussian visible units assume zero mean and unit variance per input
/// (Hinton's practical guide, section 13.2), so raw pixels are standardized
/// with statistics of the training set. The statistics are part of the model:
/// a query must be standardized exactly as the training images were.
public struct Standardization: Sendable, Equatable {
    /// One mean per input.
    public var mean: [Float]
    /// One standard deviation per input, never below the floor used when fitting.
    public var standardDeviation: [Float]

    /// Statistics given directly; both arrays have one value per input.
    public init(mean: [Float], standardDeviation: [Float]) {
        precondition(mean.count == standardDeviation.count, "mean and standard deviation lengths differ")
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// The statistics of `data`'s columns.
    /// - Parameters:
    ///   - data: `(samples, inputs)`
    ///   - minimumDeviation: floor for the standard deviation (default 1e-3 of
    ///     the data's range in [0, 1]) so a constant input (a border pixel that
    ///     is always black) maps to 0 instead of dividing by zero.
    public init(fitting data: Matrix, minimumDeviation: Float = 1e-3) {
        let count = Double(max(1, data.rows))
        var sums = [Double](repeating: 0, count: data.columns)
        var squares = [Double](repeating: 0, count: data.columns)
        for row in 0..<data.rows {
            for column in 0..<data.columns {
                let value = Double(data[row, column])
                sums[column] += value
                squares[column] += value * value
            }
        }
        mean = sums.map { Float($0 / count) }
        standardDeviation = zip(sums, squares).map { sum, square in
            let variance = max(0, square / count - (sum / count) * (sum / count))
            return max(minimumDeviation, Float(variance.squareRoot()))
        }
    }

    /// Number of inputs.
    public var count: Int { mean.count }

    /// `(x - mean) / standardDeviation`, column by column.
    /// - Parameter data: `(samples, inputs)`
    public func standardize(_ data: Matrix) -> Matrix {
        precondition(data.columns == count, "data has \(data.columns) columns, statistics have \(count)")
        let scale = standardDeviation.map { 1 / $0 }
        var result = data
        let width = count
        for row in 0..<data.rows {
            for column in 0..<width {
                result.elements[row * width + column] = (result.elements[row * width + column] - mean[column]) * scale[column]
            }
        }
        return result
    }

    /// `x * standardDeviation + mean`, the inverse of `standardize`.
    /// - Parameter data: `(samples, inputs)`
    public func destandardize(_ data: Matrix) -> Matrix {
        precondition(data.columns == count, "data has \(data.columns) columns, statistics have \(count)")
        var result = data
        let width = count
        for row in 0..<data.rows {
            for column in 0..<width {
                result.elements[row * width + column] = result.elements[row * width + column] * standardDeviation[column] + mean[column]
            }
        }
        return result
    }
}
