import Foundation

/// The exhaustive Hamming index over plain codes: every query reads every
/// code once to count the codes at each distance, and once more to collect
/// those at or inside the k-th.
///
/// The same answers as ``FlatHammingIndex``, without its bit-sliced copy:
/// building that copy costs more than a scan, so the flat index pays off over
/// many queries and this one for an index built to answer one, such as
/// `imgsearch query` loading an index's hashes from disk (docs/hamming.md).
/// Memory: the codes and ids, plus the real codes if any; an index made from
/// codes alone (``init(bitCount:positionalCodes:)``) keeps no ids at all.
public struct ScanHammingIndex: HammingIndex {
    var store: HammingCodeStore

    /// An empty index for codes of `bitCount` bits (1 ... 32, default 30), with
    /// real-valued codes of `realCodeDimension` values for tie-breaking (0: none).
    public init(bitCount: Int = 30, realCodeDimension: Int = 0) throws(HammingIndexError) {
        store = try HammingCodeStore(bitCount: bitCount, realCodeDimension: realCodeDimension, layout: .plain)
    }

    /// An index of `codes` as they are, without copying them, each code's id
    /// its position in `codes`.
    public init(bitCount: Int, positionalCodes codes: [UInt32]) throws(HammingIndexError) {
        store = try HammingCodeStore(bitCount: bitCount, positionalCodes: codes, layout: .plain)
    }

    /// Bits per code.
    public var bitCount: Int { store.bitCount }
    /// Values per real-valued code, 0 when the index stores none.
    public var realCodeDimension: Int { store.realCodeDimension }
    /// Codes in the index.
    public var count: Int { store.count }
    /// The ids, in insertion order.
    public var ids: [Int64] { store.ids }
    /// The codes, in insertion order.
    public var codes: [UInt32] { store.codes }
    /// The instruction set of the scan: the best this CPU has unless set
    /// lower (to compare kernels; results are identical).
    public var kernel: HammingKernel {
        get { store.kernel }
        set { store.kernel = min(newValue, HammingKernel.best) }
    }

    /// Adds codes with ids; see ``HammingIndex/add(_:ids:realCodes:)``.
    public mutating func add(_ codes: [UInt32], ids: [Int64], realCodes: [Float]?) throws(HammingIndexError) {
        try store.add(codes, ids: ids, realCodes: realCodes)
    }

    /// Removes the codes with these ids; returns how many were removed.
    @discardableResult
    public mutating func remove(ids: Set<Int64>) -> Int {
        store.remove(ids: ids)
    }

    /// The `k` nearest codes by two passes over the codes; see ``HammingIndex``.
    public func search(_ query: UInt32, k: Int, realCode: [Float]?, statistics: inout HammingSearchStatistics)
        throws(HammingIndexError) -> [HammingNeighbor]
    {
        try store.search(query, mode: .nearest(k: k), realCode: realCode, statistics: &statistics)
    }

    /// Every code within `radius` (inclusive).
    public func search(_ query: UInt32, radius: Int, realCode: [Float]?, statistics: inout HammingSearchStatistics)
        throws(HammingIndexError) -> [HammingNeighbor]
    {
        try store.search(query, mode: .within(radius: radius), realCode: realCode, statistics: &statistics)
    }

    /// The `k` nearest codes and every code tied with the k-th; see
    /// ``HammingIndex/searchWithTies(_:k:radius:tieLimit:statistics:)``.
    public func searchWithTies(_ query: UInt32, k: Int, radius: Int?, tieLimit: Int, statistics: inout HammingSearchStatistics)
        throws(HammingIndexError) -> [HammingNeighbor]
    {
        try store.search(query, mode: .nearestWithTies(k: k, radius: radius, tieLimit: tieLimit), realCode: nil,
                         statistics: &statistics)
    }

    /// The codes nearest to a query given as several variants, each code at
    /// its nearest variant with that variant's penalty added, ties at the
    /// k-th such distance included (up to `tieLimit`); `distance` is the
    /// penalized one. One pass over the codes for all the variants.
    public func mergedSearchWithTies(_ queries: [UInt32], penalties: [Int], k: Int, radius: Int?, tieLimit: Int)
        throws(HammingIndexError) -> [HammingNeighbor]
    {
        try store.mergedSearchWithTies(queries, penalties: penalties, k: k, radius: radius, tieLimit: tieLimit)
    }

    /// The index as bytes (docs/hamming.md): the flat index's layout under its own kind.
    public func serializedBytes() -> [UInt8] {
        HammingIndexFile.bytes(of: store, tables: nil, kind: .scan, substringCount: 0)
    }

    /// Loads a scan index written by `serializedBytes()`.
    public init(serializedBytes bytes: some ContiguousBytes) throws(HammingIndexError) {
        store = try HammingIndexFile.read(bytes, kind: .scan).store
    }
}
