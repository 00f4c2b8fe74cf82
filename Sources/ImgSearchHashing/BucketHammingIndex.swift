import Foundation

/// Semantic hashing's address lookup: each code is a memory address, and a
/// query probes every address within a growing Hamming radius.
///
/// One hash table maps a whole code to its posting list (the codes sorted,
/// with a directory on their top bits). A k-nearest search probes the
/// addresses at distance 0, 1, 2, ... (1, 31, 466, 4,526 addresses in total
/// for 30 bits at r = 0 ... 3) and stops once it holds k codes at distance
/// <= r, so it is exact. When the next radius would cost more than scanning
/// every code, it scans instead. Fast when queries have near-duplicates in
/// the index; for uniformly spread codes, multi-index hashing (in the benchmark
/// target, `ImgSearchBenchIndexes`) probes fewer addresses.
/// Memory: the flat index's 16 bytes per code plus 8 per code for the table.
public struct BucketHammingIndex: HammingIndex {
    package var codes: HammingProbedCodes

    /// An empty index for codes of `bitCount` bits (1 ... 32, default 30), with
    /// real-valued codes of `realCodeDimension` values for tie-breaking (0: none).
    public init(bitCount: Int = 30, realCodeDimension: Int = 0) throws(HammingIndexError) {
        codes = try HammingProbedCodes(bucketIndexOf: bitCount, realCodeDimension: realCodeDimension)
    }

    /// Bits per code.
    public var bitCount: Int { codes.bitCount }
    /// Values per real-valued code, 0 when the index stores none.
    public var realCodeDimension: Int { codes.realCodeDimension }
    /// Codes in the index.
    public var count: Int { codes.count }
    /// The ids, in insertion order.
    public var ids: [Int64] { codes.ids }
    /// The instruction set of probes and scans (results are identical).
    public var kernel: HammingKernel {
        get { codes.kernel }
        set { codes.kernel = newValue }
    }

    /// Adds codes with ids and rebuilds the table (O(count): add in batches).
    public mutating func add(_ codes: [UInt32], ids: [Int64], realCodes: [Float]?) throws(HammingIndexError) {
        try self.codes.add(codes, ids: ids, realCodes: realCodes)
    }

    /// Removes the codes with these ids and rebuilds the table.
    @discardableResult
    public mutating func remove(ids: Set<Int64>) -> Int {
        codes.remove(ids: ids)
    }

    /// The exact `k` nearest codes by probing addresses at growing radius.
    public func search(_ query: UInt32, k: Int, realCode: [Float]?, statistics: inout HammingSearchStatistics)
        throws(HammingIndexError) -> [HammingNeighbor]
    {
        try codes.search(query, k: k, realCode: realCode, statistics: &statistics)
    }

    /// Every code within `radius` (inclusive), by probing its addresses.
    public func search(_ query: UInt32, radius: Int, realCode: [Float]?, statistics: inout HammingSearchStatistics)
        throws(HammingIndexError) -> [HammingNeighbor]
    {
        try codes.search(query, radius: radius, realCode: realCode, statistics: &statistics)
    }

    /// The `k` nearest codes and every code tied with the k-th; see
    /// ``HammingIndex/searchWithTies(_:k:radius:tieLimit:statistics:)``.
    public func searchWithTies(_ query: UInt32, k: Int, radius: Int?, tieLimit: Int, statistics: inout HammingSearchStatistics)
        throws(HammingIndexError) -> [HammingNeighbor]
    {
        try codes.searchWithTies(query, k: k, radius: radius, tieLimit: tieLimit, statistics: &statistics)
    }

    /// The index as bytes, table included (docs/hamming.md).
    public func serializedBytes() -> [UInt8] {
        codes.serializedBytes()
    }

    /// Loads a bucket index written by `serializedBytes()`.
    public init(serializedBytes bytes: some ContiguousBytes) throws(HammingIndexError) {
        codes = try HammingProbedCodes(serializedBytes: bytes, multiIndex: false)
    }
}
