import Testing
@testable import ImgSearch

/// LSH, PCA hashing and ITQ, and the SVD under ITQ, on synthetic data with
/// known properties.
@Suite struct BaselineHashingTests {
    /// 600 samples of 24 dimensions with a decaying spectrum, shifted off the origin.
    static func anisotropicData(seed: UInt64) -> Matrix {
        var generator = SplitMix64(seed: seed)
        var data = Matrix.gaussian(rows: 600, columns: 24, scale: 1, generator: &generator)
        for row in 0..<data.rows {
            for column in 0..<data.columns { data[row, column] = data[row, column] * 3 / Float(column + 1) + 5 }
        }
        let mixing = Matrix.gaussian(rows: 24, columns: 24, scale: 1, generator: &generator)
        return data * mixing
    }

    static func maximumDeviation(_ a: Matrix, _ b: Matrix) -> Float {
        zip(a.elements, b.elements).map { abs($0 - $1) }.max() ?? 0
    }

    @Test(arguments: [(7, 5), (5, 7), (30, 30)])
    func singularValueDecompositionReconstructs(rows: Int, columns: Int) throws {
        var generator = SplitMix64(seed: UInt64(rows * 100 + columns))
        let matrix = Matrix.gaussian(rows: rows, columns: columns, scale: 1, generator: &generator)
        let svd = try SingularValueDecomposition(matrix)
        let p = min(rows, columns)
        #expect(svd.left.rows == rows && svd.left.columns == p && svd.rightTransposed.rows == p && svd.rightTransposed.columns == columns)
        #expect(zip(svd.values, svd.values.dropFirst()).allSatisfy { $0 >= $1 } && svd.values.allSatisfy { $0 >= 0 })
        var scaled = svd.left
        for row in 0..<rows { for column in 0..<p { scaled[row, column] *= svd.values[column] } }
        #expect(Self.maximumDeviation(scaled * svd.rightTransposed, matrix) < 1e-4)
        let identity = Matrix(rows: p, columns: p) { $0 == $1 ? 1 : 0 }
        #expect(Self.maximumDeviation(Matrix.product(svd.left, transposeA: true, svd.left), identity) < 1e-4)
        #expect(Self.maximumDeviation(Matrix.product(svd.rightTransposed, svd.rightTransposed, transposeB: true), identity) < 1e-4)
    }

    @Test func iterativeQuantizationNeverRaisesItsLoss() throws {
        // Points near the corners of a randomly rotated 8-dimensional cube:
        // the rotation that brings them back to the corners makes the signs
        // lose almost nothing, and ITQ should find most of the way there.
        var generator = SplitMix64(seed: 11)
        let corners = Matrix(rows: 800, columns: 8) { _, _ in generator.next() & 1 == 0 ? -1 : 1 }
        let turn = try SingularValueDecomposition(.gaussian(rows: 8, columns: 8, scale: 1, generator: &generator)).left
        var data = corners * turn
        data.add(.gaussian(rows: 800, columns: 8, scale: 0.1, generator: &generator))
        let pca = try PCA(fitting: data, componentCount: 8)
        let itq = try IterativeQuantization(fitting: data, pca: pca, iterations: 50, generator: &generator)
        #expect(itq.quantizationLoss.count == 50)
        for (before, after) in zip(itq.quantizationLoss, itq.quantizationLoss.dropFirst()) {
            #expect(after <= before * (1 + 1e-5), "loss rose from \(before) to \(after)")
        }
        let first = try #require(itq.quantizationLoss.first), last = try #require(itq.quantizationLoss.last)
        #expect(last < first * 0.5, "50 iterations lowered the loss only from \(first) to \(last)")
        // The rotation stays orthogonal, so ITQ codes the same subspace as PCA.
        let identity = Matrix(rows: 8, columns: 8) { $0 == $1 ? 1 : 0 }
        #expect(Self.maximumDeviation(Matrix.product(itq.rotation, transposeA: true, itq.rotation), identity) < 1e-4)
        // Its quantization loss is below PCA hashing's (rotation = identity).
        let projected = try LinearHashFunction.pcaHashing(pca).project(data)
        let pcaLoss = projected.elements.reduce(0.0) { sum, value in
            let sign: Float = value > 0 ? 1 : -1
            return sum + Double((sign - value) * (sign - value))
        } / Double(data.rows)
        #expect(last < pcaLoss)
    }

    @Test func pcaHashingBitsAreBalancedOnSymmetricData() throws {
        let data = Self.anisotropicData(seed: 12)
        let hashing = try LinearHashFunction.pcaHashing(PCA(fitting: data, componentCount: 6))
        let hashes = hashing.hashes(data)
        let statistics = try HashBitStatistics(hashes: hashes, bitCount: 6)
        for share in statistics.onesShare { #expect((0.4...0.6).contains(share), "a bit is set for \(share) of the samples") }
        // Principal components are uncorrelated, and so, nearly, are their signs.
        #expect(statistics.largestCorrelation < 0.2)
    }

    @Test func randomProjectionsAreSeededAndCentred() throws {
        let data = Self.anisotropicData(seed: 13)
        var first = SplitMix64(seed: 9), second = SplitMix64(seed: 9)
        let a = try LinearHashFunction.randomProjections(fitting: data, bitCount: 16, generator: &first)
        let b = try LinearHashFunction.randomProjections(fitting: data, bitCount: 16, generator: &second)
        #expect(a.hashes(data) == b.hashes(data))
        #expect(a.bitCount == 16)
        // Centred on the data's mean (about 5 * column sums, far from 0), so
        // bits split the data instead of all agreeing.
        let statistics = try HashBitStatistics(hashes: a.hashes(data), bitCount: 16)
        #expect(statistics.onesShare.allSatisfy { (0.25...0.75).contains($0) })
        #expect(throws: TrainingError.self) { try LinearHashFunction(mean: [0, 0], projection: Matrix(rows: 3, columns: 2)) }
    }

    @Test func pcaFromTheGramMatrixMatchesTheCovariance() throws {
        var generator = SplitMix64(seed: 21)
        let data = Matrix.gaussian(rows: 20, columns: 50, scale: 1, generator: &generator)
        let gram = try PCA(fitting: data, componentCount: 4)  // 20 < 50: the Gram path
        // Three copies of the rows: the covariance path, same directions.
        let tripled = Matrix(rows: 60, columns: 50, elements: data.elements + data.elements + data.elements)
        let covariance = try PCA(fitting: tripled, componentCount: 4)
        for component in 0..<4 {
            var dot: Float = 0
            for column in 0..<50 { dot += gram.components[component, column] * covariance.components[component, column] }
            #expect(abs(abs(dot) - 1) < 1e-3, "component \(component): |cos| = \(abs(dot))")
            // The scatter's eigenvalue: variance times 19 (n - 1), and three
            // copies scatter three times as much over 59.
            let scatter = gram.variances[component] * 19
            #expect(abs(scatter - covariance.variances[component] * 59 / 3) < 1e-3 * scatter)
        }
    }
}
