import Foundation

/// The exhaustive Hamming index: every query scans every code.
///
/// The reference every other index is tested against, and the default: a
/// scan of a million 30-bit codes takes tens of microseconds, because the C
/// kernel keeps the codes bit-sliced (32 planes of 256 codes) and computes 256
/// distances at a time with carry-save adders, comparing them with the current
/// k-th distance without leaving the vector registers (docs/hamming.md). Memory:
/// 16 bytes per code (code, id, sliced copy) plus the real codes if any.
public struct FlatHammingIndex: HammingIndex {
    var store: HammingCodeStore

    /// An empty index for codes of `bitCount` bits (1 ... 32, default 30), with
    /// real-valued codes of `realCodeDimension` values for tie-breaking (0: none).
    public init(bitCount: Int = 30, realCodeDimension: Int = 0) throws(HammingIndexError) {
        store = try HammingCodeStore(bitCount: bitCount, realCodeDimension: realCodeDimension)
    }

    /// An index that takes these arrays as they are, without copying them
    /// (a query process loading a million hashes touches each byte once).
    package init(bitCount: Int, codes: [UInt32], ids: [Int64]) throws(HammingIndexError) {
        store = try HammingCodeStore(bitCount: bitCount, realCodeDimension: 0, codes: codes, ids: ids, realCodes: [])
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

    /// The `k` nearest codes by exhaustive scan; see ``HammingIndex``.
    public func search(_ query: UInt32, k: Int, realCode: [Float]?, statistics: inout HammingSearchStatistics)
        throws(HammingIndexError) -> [HammingNeighbor]
    {
        try store.search(query, mode: .nearest(k: k), realCode: realCode, statistics: &statistics)
    }

    /// Every code within `radius` (inclusive) by exhaustive scan.
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

    /// The index as bytes (docs/hamming.md).
    public func serializedBytes() -> [UInt8] {
        HammingIndexFile.bytes(of: store, tables: nil, kind: .flat, substringCount: 0)
    }

    /// Loads a flat index written by `serializedBytes()`.
    public init(serializedBytes bytes: some ContiguousBytes) throws(HammingIndexError) {
        store = try HammingIndexFile.read(bytes, kind: .flat).store
    }
}
