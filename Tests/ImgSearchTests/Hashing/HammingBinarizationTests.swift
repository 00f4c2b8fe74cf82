import Foundation
import Testing
@testable import ImgSearch

/// Binarization of code-layer activations, and the bit diagnostics.
@Suite struct HammingBinarizationTests {
    @Test func logisticThresholdsRoundAtOneHalf() throws {
        let binarizer = try HashBinarizer.logistic(bitCount: 4)
        #expect(binarizer.thresholds == [0.5, 0.5, 0.5, 0.5])
        // Unit 0 is the least significant bit; exactly 0.5 and NaN are 0.
        #expect(try binarizer.hash([0.9, 0.1, 0.5, 0.51] as [Float]) == 0b1001)
        #expect(try binarizer.hash([Float.nan, 1, 1, 1]) == 0b1110)
        #expect(try binarizer.hashes([0.9, 0.1, 0.5, 0.51, 0, 0, 0, 1]) == [0b1001, 0b1000])
        #expect(HashBinarizer.defaultBitCount == 30)
        #expect(try HashBinarizer.logistic().bitCount == 30)
    }

    @Test func medianThresholdsBalanceEveryBit() throws {
        var generator = SplitMix64(seed: 31)
        let count = 2_000, bits = 30
        // Skewed units: unit i is uniform on [0, 1] to the power 1 + i / 3,
        // so that 0.5 would set it far less than half the time.
        let codes = (0..<(count * bits)).map { index -> Float in
            let uniform = Float(generator.next() >> 40) / Float(1 << 24)
            return pow(uniform, 1 + Float(index % bits) / 3)
        }
        let median = try HashBinarizer(medianOf: codes, bitCount: bits)
        let balanced = try HashBitStatistics(hashes: median.hashes(codes), bitCount: bits)
        #expect(balanced.onesShare.allSatisfy { $0 == 0.5 })
        let rounded = try HashBitStatistics(hashes: HashBinarizer.logistic().hashes(codes), bitCount: bits)
        #expect(rounded.onesShare[bits - 1] < 0.1)
        #expect(balanced.largestCorrelation < 0.1)  // independent units stay uncorrelated
    }

    @Test func medianOfOddAndEvenCounts() throws {
        // An odd count: between the middle value and the next, so no training code sits on the threshold.
        #expect(try HashBinarizer(medianOf: [3, 1, 2], bitCount: 1).thresholds == [2.5])
        #expect(try HashBinarizer(medianOf: [4, 1, 3, 2], bitCount: 1).thresholds == [2.5])
        #expect(try HashBinarizer(medianOf: [1, 10, 3, 30, 2, 20], bitCount: 2).thresholds == [2.5, 25])
        #expect(try HashBinarizer(medianOf: [7], bitCount: 1).thresholds == [7])
    }

    @Test func thirtyTwoBitHashesAndNoWider() throws {
        let binarizer = try HashBinarizer(thresholds: Array(repeating: 0, count: 32))
        let code = (0..<32).map { Float($0 % 2 == 0 ? 1 : -1) }
        #expect(try binarizer.hash(code) == 0x5555_5555)
        #expect(try binarizer.hashes(code + code.map { -$0 }) == [0x5555_5555, 0xAAAA_AAAA])
        // A SemanticHash holds 32 bits: a wider code layer is refused, not cut.
        #expect(throws: HashBinarizerError.invalidBitCount(33)) { try HashBinarizer(thresholds: Array(repeating: 0, count: 33)) }
        #expect(throws: HashBinarizerError.invalidBitCount(64)) { try HashBinarizer(medianOf: Array(repeating: 0, count: 64), bitCount: 64) }
    }

    @Test func refusesBadShapesAndValues() {
        #expect(throws: HashBinarizerError.invalidBitCount(0)) { try HashBinarizer(thresholds: []) }
        #expect(throws: HashBinarizerError.invalidBitCount(65)) { try HashBinarizer.logistic(bitCount: 65) }
        #expect(throws: HashBinarizerError.nonFiniteValue(row: nil, bit: 1)) { try HashBinarizer(thresholds: [0, .infinity]) }
        #expect(throws: HashBinarizerError.nonFiniteValue(row: 1, bit: 0)) {
            try HashBinarizer(medianOf: [0, 0, .nan, 0], bitCount: 2)
        }
        #expect(throws: HashBinarizerError.shapeMismatch(values: 3, bitCount: 2)) { try HashBinarizer(medianOf: [0, 0, 0], bitCount: 2) }
        #expect(throws: HashBinarizerError.shapeMismatch(values: 0, bitCount: 2)) { try HashBinarizer(medianOf: [], bitCount: 2) }
        #expect(throws: HashBinarizerError.shapeMismatch(values: 3, bitCount: 4)) {
            try HashBinarizer.logistic(bitCount: 4).hash([0, 0, 0] as [Float])
        }
    }

    @Test func correlationOfCopiedAndComplementedBits() throws {
        // bit 1 copies bit 0, bit 2 is its complement, bit 3 is always 0.
        let hashes: [SemanticHash] = [0b0011, 0b0100, 0b0011, 0b0100, 0b0011, 0b0100]
        let statistics = try HashBitStatistics(hashes: hashes, bitCount: 4)
        #expect(statistics.count == 6)
        #expect(statistics.onesShare == [0.5, 0.5, 0.5, 0])
        func correlation(_ i: Int, _ j: Int) -> Double { statistics.correlation[i * 4 + j] }
        #expect(abs(correlation(0, 1) - 1) < 1e-12)
        #expect(abs(correlation(0, 2) + 1) < 1e-12)
        #expect(correlation(2, 0) == correlation(0, 2))
        #expect(correlation(0, 3) == 0 && correlation(3, 3) == 0)  // a constant bit has no correlation
        #expect(abs(correlation(1, 1) - 1) < 1e-12)
        #expect(abs(statistics.largestCorrelation - 1) < 1e-12)
    }

    @Test func binarizerIsCodable() throws {
        let binarizer = try HashBinarizer(thresholds: [0.25, 0.5])
        let data = try JSONEncoder().encode(binarizer)
        #expect(try JSONDecoder().decode(HashBinarizer.self, from: data) == binarizer)
        #expect(throws: HashBinarizerError.invalidBitCount(0)) {
            try JSONDecoder().decode(HashBinarizer.self, from: Data(#"{"thresholds":[]}"#.utf8))
        }
    }
}
