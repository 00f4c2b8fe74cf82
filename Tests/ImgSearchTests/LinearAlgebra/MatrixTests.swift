import Foundation
import Testing
@testable import ImgSearch

/// Every fast path of the matrix code against a plain reference.
@Suite struct MatrixTests {
    /// The reference: a naive triple loop in Double.
    static func naiveProduct(_ a: Matrix, transposeA: Bool, _ b: Matrix, transposeB: Bool) -> [[Double]] {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let n = transposeB ? b.rows : b.columns
        return (0..<m).map { i in
            (0..<n).map { j in
                (0..<k).reduce(0.0) { sum, p in
                    sum + Double(transposeA ? a[p, i] : a[i, p]) * Double(transposeB ? b[j, p] : b[p, j])
                }
            }
        }
    }

    static func random(_ rows: Int, _ columns: Int, _ generator: inout SplitMix64) -> Matrix {
        Matrix.gaussian(rows: rows, columns: columns, scale: 1, generator: &generator)
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func sgemmMatchesTripleLoop(transposeA: Bool, transposeB: Bool) {
        var generator = SplitMix64(seed: 1)
        let (m, k, n) = (7, 13, 5)
        let a = transposeA ? Self.random(k, m, &generator) : Self.random(m, k, &generator)
        let b = transposeB ? Self.random(n, k, &generator) : Self.random(k, n, &generator)
        let initial = Self.random(m, n, &generator)
        var c = initial
        Matrix.multiply(a, transposeA: transposeA, b, transposeB: transposeB, into: &c, alpha: 0.5, beta: 2)
        let reference = Self.naiveProduct(a, transposeA: transposeA, b, transposeB: transposeB)
        var maximumError = 0.0
        for i in 0..<m {
            for j in 0..<n {
                let expected = 0.5 * reference[i][j] + 2 * Double(initial[i, j])
                maximumError = max(maximumError, abs(Double(c[i, j]) - expected))
            }
        }
        #expect(maximumError < 1e-4, "max |sgemm - triple loop| = \(maximumError)")
    }

    @Test func productOperatorAndEmptyInnerDimension() {
        let a = Matrix(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5, 6])
        let b = Matrix(rows: 3, columns: 2, elements: [7, 8, 9, 10, 11, 12])
        #expect((a * b).elements == [58, 64, 139, 154])
        var c = Matrix(rows: 2, columns: 2, repeating: 3)
        Matrix.multiply(Matrix(rows: 2, columns: 0), Matrix(rows: 0, columns: 2), into: &c, beta: 0.5)
        #expect(c.elements == [1.5, 1.5, 1.5, 1.5])
    }

    @Test func transposeGatherAndRowSlices() {
        var generator = SplitMix64(seed: 2)
        let a = Self.random(37, 41, &generator)
        let t = a.transposed()
        #expect(t.rows == 41 && t.columns == 37)
        #expect((0..<37).allSatisfy { i in (0..<41).allSatisfy { j in t[j, i] == a[i, j] } })
        #expect(t.transposed() == a)
        let gathered = a.gatheringRows([5, 0, 36])
        #expect(gathered.row(0) == a.row(5) && gathered.row(1) == a.row(0) && gathered.row(2) == a.row(36))
        #expect(a.rows(3..<5).row(1) == a.row(4))
    }

    @Test func elementwiseHelpers() {
        var a = Matrix(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5, 6])
        #expect(a.columnSums() == [5, 7, 9])
        a.addToEachRow([10, 20, 30])
        #expect(a.elements == [11, 22, 33, 14, 25, 36])
        a.scale(by: 2)
        a.add(Matrix(rows: 2, columns: 3, repeating: 1), scaledBy: -2)
        #expect(a.elements == [20, 42, 64, 26, 48, 70])
        #expect(a.squaredDistance(to: Matrix(rows: 2, columns: 3, elements: [20, 42, 64, 26, 48, 72])) == 4)
    }

    @Test func fastExponentialMatchesTheLibrary() {
        var worst: Float = 0
        for step in -8700...8800 {
            let x = Float(step) / 100
            let relative = abs(Elementwise.exp(x) - Foundation.exp(x)) / Foundation.exp(x)
            worst = max(worst, relative)
        }
        #expect(worst < 1e-6, "max relative error of Elementwise.exp: \(worst)")
        #expect(Elementwise.logistic(0) == 0.5)
        #expect(Elementwise.logistic(-200) >= 0 && Elementwise.logistic(-200) < 1e-30)
        #expect(Elementwise.logistic(200) == 1)
        var m = Matrix(rows: 1, columns: 3, elements: [-1, 0, 2])
        m.applyLogistic()
        for (value, x) in zip(m.elements, [-1.0, 0, 2]) {
            #expect(abs(Double(value) - 1 / (1 + Foundation.exp(-x))) < 1e-6)
        }
    }

    @Test func splitMixIsSeededAndFillMatchesNext() {
        var first = SplitMix64(seed: 42), second = SplitMix64(seed: 42), other = SplitMix64(seed: 43)
        let a = (0..<5).map { _ in first.next() }
        #expect(a == (0..<5).map { _ in second.next() })
        #expect(a != (0..<5).map { _ in other.next() })
        // The published first output of SplitMix64 seeded with 0.
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)

        var sequential = SplitMix64(seed: 9), filled = SplitMix64(seed: 9)
        let expected = (0..<100).map { _ in sequential.nextUniform() }
        var buffer = [Float](repeating: 0, count: 100)
        buffer.withUnsafeMutableBufferPointer { filled.fillUniform($0) }
        #expect(buffer == expected)
        #expect(filled.next() == sequential.next())
        #expect(buffer.allSatisfy { (0..<1).contains($0) })

        var gaussian = SplitMix64(seed: 5)
        let samples = (0..<20000).map { _ in Double(gaussian.nextGaussian()) }
        let mean = samples.reduce(0, +) / Double(samples.count)
        let variance = samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples.count)
        #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.05)
    }
}
