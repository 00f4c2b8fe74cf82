import Foundation
import Testing
@testable import ImgSearch
import ImgSearchCore
import ImgSearchImaging
import ImgSearchLearning
import ImgSearchLinearAlgebra
import CImgSearchDense
import ImgSearchTestFixtures

/// The same picture must get the same code and hash whatever else is
/// encoded with it (issue 19: one image in 40,000 got another hash alone
/// than in a batch, its code differing by 3e-6 across a threshold).
@Suite struct BatchIndependentEncodingTests {
    static let model = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("index/default-model.isae").path

    static func encoder() throws -> AutoencoderEncoder {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: model)))
        return try AutoencoderEncoder(model: ModelFile.decodeEncoder(bytes, path: model))
    }

    /// `count` different 32x32 thumbnails from seeded synthetic photos.
    static func thumbnails(_ count: Int) -> [Thumbnail] {
        (0..<count).map { number in
            Thumbnail(of: SyntheticPhotos.image(number, label: number % 5), side: 32)
        }
    }

    @Test func everyBatchSizeAndCompositionGivesBitIdenticalCodes() throws {
        let encoder = try Self.encoder()
        let thumbnails = Self.thumbnails(300)
        let whole = try encoder.encode(thumbnails)
        let alone = try thumbnails.map { try encoder.encode([$0])[0] }
        var inSevens: [SemanticCode] = []
        for start in stride(from: 0, to: thumbnails.count, by: 7) {
            inSevens += try encoder.encode(Array(thumbnails[start..<min(start + 7, thumbnails.count)]))
        }
        let reversed = try Array(encoder.encode(thumbnails.reversed()).reversed())
        for (name, codes) in [("alone", alone), ("in sevens", inSevens), ("reversed", reversed)] {
            var differing = 0
            for (one, other) in zip(whole, codes) where one.code.map(\.bitPattern) != other.code.map(\.bitPattern) || one.hash != other.hash {
                differing += 1
            }
            #expect(differing == 0, "\(differing) of \(thumbnails.count) codes differ \(name) from in one batch")
        }
    }

    @Test func theRowIndependentProductIsTheMatrixProduct() {
        var generator = SplitMix64(seed: 3)
        for (rows, inputs, outputs) in [(1, 7, 30), (5, 64, 33), (9, 130, 512), (4, 3, 1)] {
            let a = Matrix(rows: rows, columns: inputs, elements: (0..<rows * inputs).map { _ in generator.nextUniform() - 0.5 })
            let b = Matrix(rows: inputs, columns: outputs, elements: (0..<inputs * outputs).map { _ in generator.nextUniform() - 0.5 })
            var expected = Matrix(rows: rows, columns: outputs)
            Matrix.multiply(a, b, into: &expected)
            let product = RowIndependentWeights(b).multiply(a)
            let largest = zip(product.elements, expected.elements).map { abs($0 - $1) }.max() ?? 0
            #expect(largest < 1e-5, "\(rows)x\(inputs) times \(inputs)x\(outputs): off by \(largest)")
        }
    }

    @Test func theEncoderGivesTheModelsCodes() throws {
        let encoder = try Self.encoder()
        let thumbnails = Self.thumbnails(20)
        let input = Matrix(rows: 20, columns: encoder.model.rawInputSize, elements: thumbnails.flatMap(\.values))
        let throughBLAS = encoder.model.encode(input)
        let codes = try encoder.encode(thumbnails)
        var largest: Float = 0
        for (row, code) in codes.enumerated() {
            for (column, value) in code.code.enumerated() { largest = max(largest, abs(value - throughBLAS[row, column])) }
        }
        #expect(largest < 1e-3, "codes differ from the model's by up to \(largest)")
    }

    @Test func thePortableKernelGivesTheAVX2KernelsBits() throws {
        let encoder = try Self.encoder()
        let thumbnails = Self.thumbnails(40)
        let before = try encoder.encode(thumbnails)
        let usedAVX2 = imgsearch_dense_uses_avx2() != 0
        imgsearch_dense_force_portable()
        let portable = try encoder.encode(thumbnails)
        #expect(before.map { $0.code.map(\.bitPattern) } == portable.map { $0.code.map(\.bitPattern) },
                "the \(usedAVX2 ? "AVX2" : "portable") and the portable kernel differ")
    }
}
