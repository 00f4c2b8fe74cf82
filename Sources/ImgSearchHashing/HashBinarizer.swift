import ImgSearchCore

/// Turns code-layer activations into N-bit semantic hashes by thresholding
/// each unit, with the thresholds stored in the model.
///
/// Bit i of a hash is unit i's activation compared with `thresholds[i]`:
/// 1 when the activation is above the threshold, 0 otherwise (NaN included),
/// unit 0 in the least significant bit. Two choices of thresholds:
///
/// - ``logistic(bitCount:)``: 0.5 for every unit. Fine-tuning with Gaussian
///   noise on the code units' inputs (Salakhutdinov & Hinton's semantic
///   hashing) drives logistic activations towards 0 or 1, so 0.5 loses little
///   and needs no data.
/// - ``init(medianOf:bitCount:)``: each unit's median over the training codes,
///   so every bit is 1 for half the collection: balanced bits spread codes over
///   more addresses, which keeps posting lists short.
///
/// Which one to ship is measured on real codes (docs/hamming.md).
public struct HashBinarizer: Sendable, Hashable, Codable {
    /// One threshold per code unit (and bit), 1 ... 32 of them.
    public let thresholds: [Float]

    /// Bits per hash: the number of code units, 30 in the reference architecture.
    public var bitCount: Int { thresholds.count }

    /// The code length of the reference architecture (784-1000-500-250-30).
    public static let defaultBitCount = 30

    /// A binarizer with these thresholds (1 ... 32 finite values: a
    /// ``SemanticHash`` holds 32 bits).
    public init(thresholds: [Float]) throws(HashBinarizerError) {
        guard (1...semanticHashMaximumBits).contains(thresholds.count) else { throw .invalidBitCount(thresholds.count) }
        if let bit = thresholds.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteValue(row: nil, bit: bit)
        }
        self.thresholds = thresholds
    }

    private enum CodingKeys: String, CodingKey { case thresholds }

    /// Decodes a binarizer from a model file, with the same checks as `init(thresholds:)`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(thresholds: container.decode([Float].self, forKey: .thresholds))
    }

    /// Threshold 0.5 on every unit: rounding noise-trained logistic units.
    /// For codes that are the units' logits (``CodeOutput/preActivations``)
    /// the same split is a threshold of 0.
    public static func logistic(bitCount: Int = defaultBitCount, codeOutput: CodeOutput = .activations) throws(HashBinarizerError) -> HashBinarizer {
        guard (1...semanticHashMaximumBits).contains(bitCount) else { throw .invalidBitCount(bitCount) }
        return try HashBinarizer(thresholds: Array(repeating: codeOutput == .preActivations ? 0 : 0.5, count: bitCount))
    }

    /// Each unit's median over training codes: balanced bits.
    ///
    /// - Parameter codes: (count, bitCount) row-major activations, count >= 1,
    ///   all finite. With an even count the median is the mean of the two
    ///   middle values, so exactly half the training codes have each bit set
    ///   when their values are distinct. With an odd count it is the mean of
    ///   the middle value and the next, so (count - 1) / 2 codes have the bit
    ///   set: a threshold equal to one training image's value would leave that
    ///   image's bit to rounding (a copy of it, encoded in another batch,
    ///   could get the other bit).
    public init(medianOf codes: [Float], bitCount: Int = defaultBitCount) throws(HashBinarizerError) {
        guard (1...semanticHashMaximumBits).contains(bitCount) else { throw .invalidBitCount(bitCount) }
        guard !codes.isEmpty, codes.count % bitCount == 0 else {
            throw .shapeMismatch(values: codes.count, bitCount: bitCount)
        }
        if let index = codes.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteValue(row: index / bitCount, bit: index % bitCount)
        }
        let count = codes.count / bitCount
        let medians = (0..<bitCount).map { bit -> Float in
            let column = stride(from: bit, to: codes.count, by: bitCount).map { codes[$0] }.sorted()
            if count == 1 { return column[0] }
            let upper = count / 2 + count % 2
            return (column[upper - 1] + column[upper]) / 2
        }
        try self.init(thresholds: medians)
    }

    /// The hash of one code.
    ///
    /// - Parameter code: (bitCount) activations.
    public func hash(_ code: some Collection<Float>) throws(HashBinarizerError) -> SemanticHash {
        guard code.count == bitCount else { throw .shapeMismatch(values: code.count, bitCount: bitCount) }
        var hash: SemanticHash = 0
        for (bit, (value, threshold)) in zip(code, thresholds).enumerated() where value > threshold {
            hash |= 1 << SemanticHash(bit)
        }
        return hash
    }

    /// The hashes of many codes.
    ///
    /// - Parameter codes: (count, bitCount) row-major activations.
    /// - Returns: (count) hashes in the low bitCount bits.
    public func hashes(_ codes: [Float]) throws(HashBinarizerError) -> [SemanticHash] {
        guard codes.count % bitCount == 0 else { throw .shapeMismatch(values: codes.count, bitCount: bitCount) }
        let count = codes.count / bitCount
        return codes.withUnsafeBufferPointer { codes in
            thresholds.withUnsafeBufferPointer { thresholds in
                (0..<count).map { row in
                    var hash: SemanticHash = 0
                    let base = row * thresholds.count
                    for bit in 0..<thresholds.count where codes[base + bit] > thresholds[bit] {
                        hash |= 1 << SemanticHash(bit)
                    }
                    return hash
                }
            }
        }
    }
}

/// Why a binarizer could not be made or applied.
public enum HashBinarizerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Hashes have 1 ... 32 bits.
    case invalidBitCount(Int)
    /// A number of values that is not a whole number of codes of bitCount values.
    case shapeMismatch(values: Int, bitCount: Int)
    /// A NaN or infinite threshold or training value (row nil for thresholds).
    case nonFiniteValue(row: Int?, bit: Int)

    /// What went wrong, in words.
    public var description: String {
        switch self {
        case .invalidBitCount(let bits):
            return "invalid hash length \(bits) bits: hashes have 1 to 32 bits (a model's code layer has at most 32 units)"
        case .shapeMismatch(let values, let bits):
            return "\(values) values are not a whole number of \(bits)-value codes"
        case .nonFiniteValue(let row, let bit):
            if let row { return "training code \(row) has a NaN or infinite value at unit \(bit)" }
            return "threshold \(bit) is NaN or infinite"
        }
    }
}
