import ImgSearchCore

/// Diagnostics of a set of hashes: how often each bit is set, and how much
/// bits depend on each other.
///
/// Good semantic-hash bits are balanced (set for about half the images) and
/// uncorrelated: a bit that is almost always 0, or that copies another,
/// wastes an address bit and crowds codes into fewer buckets.
public struct HashBitStatistics: Sendable, Hashable {
    /// Bits per hash.
    public let bitCount: Int
    /// Hashes measured.
    public let count: Int
    /// (bitCount): the share of hashes with each bit set, 0 ... 1.
    public let onesShare: [Double]
    /// (bitCount, bitCount) row-major: Pearson correlation (phi coefficient)
    /// between bits i and j over the hashes, -1 ... 1; 1 on the diagonal, and
    /// 0 for a pair where either bit is constant (no variance to correlate).
    public let correlation: [Double]

    /// Measures `hashes`, whose low `bitCount` bits (1 ... 64) are the hash.
    ///
    /// O(count * ones^2): one pass, counting co-occurring set bits.
    public init(hashes: [SemanticHash], bitCount: Int) throws(HashBinarizerError) {
        guard (1...64).contains(bitCount) else { throw .invalidBitCount(bitCount) }
        self.bitCount = bitCount
        count = hashes.count
        let mask = bitCount == 32 ? SemanticHash.max : (SemanticHash(1) << SemanticHash(bitCount)) - 1
        var both = [Int](repeating: 0, count: bitCount * bitCount)  // both[i * bitCount + j], i <= j
        for hash in hashes {
            var rest = hash & mask
            while rest != 0 {
                let i = rest.trailingZeroBitCount
                var others = rest
                while others != 0 {
                    both[i * bitCount + others.trailingZeroBitCount] += 1
                    others &= others - 1
                }
                rest &= rest - 1
            }
        }
        let n = Double(hashes.count)
        let ones = (0..<bitCount).map { Double(both[$0 * bitCount + $0]) }
        onesShare = ones.map { hashes.isEmpty ? 0 : $0 / n }
        var correlation = [Double](repeating: 0, count: bitCount * bitCount)
        for i in 0..<bitCount {
            for j in i..<bitCount {
                let varianceProduct = ones[i] * (n - ones[i]) * ones[j] * (n - ones[j])
                guard varianceProduct > 0 else { continue }
                let value = (Double(both[i * bitCount + j]) * n - ones[i] * ones[j]) / varianceProduct.squareRoot()
                correlation[i * bitCount + j] = value
                correlation[j * bitCount + i] = value
            }
        }
        self.correlation = correlation
    }

    /// The largest |correlation| between two different bits: near 0 is good.
    public var largestCorrelation: Double {
        var largest = 0.0
        for i in 0..<bitCount {
            for j in 0..<bitCount where i != j { largest = max(largest, abs(correlation[i * bitCount + j])) }
        }
        return largest
    }
}
