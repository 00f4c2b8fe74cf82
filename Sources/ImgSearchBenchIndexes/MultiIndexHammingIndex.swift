import Foundation
import ImgSearchHashing

/// Multi-index hashing (Norouzi, Punjani & Fleet, CVPR 2012): exact k-nearest
/// search in Hamming space in sub-linear time for uniformly spread codes.
///
/// The code is cut into m substrings, each with its own hash table. A code
/// within distance r of the query has some substring within floor(r / m) of
/// the query's (pigeonhole), so probing every table at a small substring
/// radius finds every code in a much larger full radius: for 30 bits and
/// m = 2, two tables of 2^15 keys probed at substring radius 1 (32 addresses)
/// guarantee every code within distance 3. The radius grows until the k-th
/// distance is within the guarantee (exact), or until scanning is cheaper.
/// Memory: the flat index's 16 bytes per code plus 8 per code and table.
///
/// Not part of the library: no product path needs it (`query` scans once,
/// `dupes` probes buckets, `eval` ranks everything), so it lives in the
/// benchmark target beside the measurements that compare it with the
/// others (`imgsearch-bench hamming`, docs/hamming.md). Its tables and
/// probe are the bucket index's, in ImgSearchHashing.
public struct MultiIndexHammingIndex: HammingIndex {
    var codes: HammingProbedCodes

    /// An empty index for codes of `bitCount` bits (1 ... 32, default 30), with
    /// real-valued codes of `realCodeDimension` values for tie-breaking (0: none).
    ///
    /// - Parameter substringCount: m, 1 ... bitCount; nil (the default)
    ///   chooses round(bitCount / log2(count)), at least 2, whenever the
    ///   collection changes, as the paper recommends.
    public init(bitCount: Int = 30, realCodeDimension: Int = 0, substringCount: Int? = nil) throws(HammingIndexError) {
        codes = try HammingProbedCodes(
            multiIndexOf: bitCount, realCodeDimension: realCodeDimension, substringCount: substringCount)
    }

    /// Bits per code.
    public var bitCount: Int { codes.bitCount }
    /// Values per real-valued code, 0 when the index stores none.
    public var realCodeDimension: Int { codes.realCodeDimension }
    /// Codes in the index.
    public var count: Int { codes.count }
    /// The ids, in insertion order.
    public var ids: [Int64] { codes.ids }
    /// The substrings (hash tables) in use, m.
    public var substringCount: Int { codes.tableCount }
    /// The instruction set of probes and scans (results are identical).
    public var kernel: HammingKernel {
        get { codes.kernel }
        set { codes.kernel = newValue }
    }

    /// Adds codes with ids and rebuilds the tables (O(count): add in batches).
    public mutating func add(_ codes: [UInt32], ids: [Int64], realCodes: [Float]?) throws(HammingIndexError) {
        try self.codes.add(codes, ids: ids, realCodes: realCodes)
    }

    /// Removes the codes with these ids and rebuilds the tables.
    @discardableResult
    public mutating func remove(ids: Set<Int64>) -> Int {
        codes.remove(ids: ids)
    }

    /// The exact `k` nearest codes by multi-index probing.
    public func search(_ query: UInt32, k: Int, realCode: [Float]?, statistics: inout HammingSearchStatistics)
        throws(HammingIndexError) -> [HammingNeighbor]
    {
        try codes.search(query, k: k, realCode: realCode, statistics: &statistics)
    }

    /// Every code within `radius` (inclusive), by multi-index probing.
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

    /// The index as bytes, tables included (docs/hamming.md).
    public func serializedBytes() -> [UInt8] {
        codes.serializedBytes()
    }

    /// Loads a multi-index written by `serializedBytes()`.
    public init(serializedBytes bytes: some ContiguousBytes) throws(HammingIndexError) {
        codes = try HammingProbedCodes(serializedBytes: bytes, multiIndex: true)
    }
}
