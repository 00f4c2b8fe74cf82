import ImgSearchCore

extension Matrix {
    /// A matrix of independent normal values with standard deviation `scale`
    /// (rbm.m initializes weights as `0.1 * randn`).
    public static func gaussian(rows: Int, columns: Int, scale: Float, generator: inout SplitMix64) -> Matrix {
        var matrix = Matrix(rows: rows, columns: columns)
        for index in 0..<matrix.count {
            matrix.elements[index] = scale * generator.nextGaussian()
        }
        return matrix
    }
}
