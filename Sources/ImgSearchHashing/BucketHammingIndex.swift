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
/// the index; for uniformly spread codes, ``MultiIndexHammingIndex`` is better.
/// Memory: the flat index's 16 bytes per code plus 8 per code for the table.
public struct BucketHammingIndex: HammingIndex {
    var store: HammingCodeStore
    package var tables: HammingTables

    /// An empty index for codes of `bitCount` bits (1 ... 32, default 30), with
    /// real-valued codes of `realCodeDimension` values for tie-breaking (0: none).
    public init(bitCount: Int = 30, realCodeDimension: Int = 0) throws(HammingIndexError) {
        store = try HammingCodeStore(bitCount: bitCount, realCodeDimension: realCodeDimension)
        tables = HammingTables(codes: [], bitCount: bitCount, substringCount: 1)
    }

    /// Bits per code.
    public var bitCount: Int { store.bitCount }
    /// Values per real-valued code, 0 when the index stores none.
    public var realCodeDimension: Int { store.realCodeDimension }
    /// Codes in the index.
    public var count: Int { store.count }
    /// The ids, in insertion order.
    public var ids: [Int64] { store.ids }
    /// The instruction set of probes and scans (results are identical).
    public var kernel: HammingKernel {
        get { store.kernel }
        set { store.kernel = min(newValue, HammingKernel.best) }
    }

    /// Adds codes with ids and rebuilds the table (O(count): add in batches).
    public mutating func add(_ codes: [UInt32], ids: [Int64], realCodes: [Float]?) throws(HammingIndexError) {
        try store.add(codes, ids: ids, realCodes: realCodes)
        tables = HammingTables(codes: store.codes, bitCount: bitCount, substringCount: 1)
    }

    /// Removes the codes with these ids and rebuilds the table.
    @discardableResult
    public mutating func remove(ids: Set<Int64>) -> Int {
        let removed = store.remove(ids: ids)
        if removed > 0 { tables = HammingTables(codes: store.codes, bitCount: bitCount, substringCount: 1) }
        return removed
    }

    /// The exact `k` nearest codes by probing addresses at growing radius.
    public func search(_ query: UInt32, k: Int, realCode: [Float]?, statistics: inout HammingSearchStatistics)
        throws(HammingIndexError) -> [HammingNeighbor]
    {
        try store.search(query, mode: .nearest(k: k), realCode: realCode, statistics: &statistics, probe: probe)
    }

    /// Every code within `radius` (inclusive), by probing its addresses.
    public func search(_ query: UInt32, radius: Int, realCode: [Float]?, statistics: inout HammingSearchStatistics)
        throws(HammingIndexError) -> [HammingNeighbor]
    {
        try store.search(query, mode: .within(radius: radius), realCode: realCode, statistics: &statistics, probe: probe)
    }

    /// The `k` nearest codes and every code tied with the k-th; see
    /// ``HammingIndex/searchWithTies(_:k:radius:tieLimit:statistics:)``.
    public func searchWithTies(_ query: UInt32, k: Int, radius: Int?, tieLimit: Int, statistics: inout HammingSearchStatistics)
        throws(HammingIndexError) -> [HammingNeighbor]
    {
        try store.search(query, mode: .nearestWithTies(k: k, radius: radius, tieLimit: tieLimit), realCode: nil,
                         statistics: &statistics, probe: probe)
    }

    private func probe(_ query: UInt32, _ result: inout CandidateResult) -> Bool {
        tables.probe(query, maxCost: store.count, kernel: store.kernel, into: &result)
    }

    /// The index as bytes, table included (docs/hamming.md).
    public func serializedBytes() -> [UInt8] {
        HammingIndexFile.bytes(of: store, tables: tables, kind: .bucket, substringCount: 1)
    }

    /// Loads a bucket index written by `serializedBytes()`.
    public init(serializedBytes bytes: some ContiguousBytes) throws(HammingIndexError) {
        let contents = try HammingIndexFile.read(bytes, kind: .bucket)
        guard let tables = contents.tables, tables.layouts.count == 1 else {
            throw .corrupt("a bucket index has one hash table")
        }
        store = contents.store
        self.tables = tables
    }
}
