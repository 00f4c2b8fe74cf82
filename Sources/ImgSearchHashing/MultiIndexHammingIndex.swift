import Foundation

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
public struct MultiIndexHammingIndex: HammingIndex {
    var store: HammingCodeStore
    package var tables: HammingTables
    /// The substring count asked for, or nil to choose it from the size.
    let requestedSubstringCount: Int?

    /// An empty index for codes of `bitCount` bits (1 ... 32, default 30), with
    /// real-valued codes of `realCodeDimension` values for tie-breaking (0: none).
    ///
    /// - Parameter substringCount: m, 1 ... bitCount; nil (the default)
    ///   chooses round(bitCount / log2(count)), at least 2, whenever the
    ///   collection changes, as the paper recommends.
    public init(bitCount: Int = 30, realCodeDimension: Int = 0, substringCount: Int? = nil) throws(HammingIndexError) {
        store = try HammingCodeStore(bitCount: bitCount, realCodeDimension: realCodeDimension)
        if let substringCount, !(1...bitCount).contains(substringCount) {
            throw .invalidArgument("\(substringCount) substrings for \(bitCount)-bit codes; use 1 ... \(bitCount)")
        }
        requestedSubstringCount = substringCount
        tables = Self.tables(for: store, substringCount: substringCount)
    }

    private static func tables(for store: HammingCodeStore, substringCount: Int?) -> HammingTables {
        let m = substringCount ?? HammingTables.automaticSubstringCount(bitCount: store.bitCount, count: store.count)
        return HammingTables(codes: store.codes, bitCount: store.bitCount, substringCount: m)
    }

    /// Bits per code.
    public var bitCount: Int { store.bitCount }
    /// Values per real-valued code, 0 when the index stores none.
    public var realCodeDimension: Int { store.realCodeDimension }
    /// Codes in the index.
    public var count: Int { store.count }
    /// The ids, in insertion order.
    public var ids: [Int64] { store.ids }
    /// The substrings (hash tables) in use, m.
    public var substringCount: Int { tables.layouts.count }
    /// The instruction set of probes and scans (results are identical).
    public var kernel: HammingKernel {
        get { store.kernel }
        set { store.kernel = min(newValue, HammingKernel.best) }
    }

    /// Adds codes with ids and rebuilds the tables (O(count): add in batches).
    public mutating func add(_ codes: [UInt32], ids: [Int64], realCodes: [Float]?) throws(HammingIndexError) {
        try store.add(codes, ids: ids, realCodes: realCodes)
        tables = Self.tables(for: store, substringCount: requestedSubstringCount)
    }

    /// Removes the codes with these ids and rebuilds the tables.
    @discardableResult
    public mutating func remove(ids: Set<Int64>) -> Int {
        let removed = store.remove(ids: ids)
        if removed > 0 { tables = Self.tables(for: store, substringCount: requestedSubstringCount) }
        return removed
    }

    /// The exact `k` nearest codes by multi-index probing.
    public func search(_ query: UInt32, k: Int, realCode: [Float]?, statistics: inout HammingSearchStatistics)
        throws(HammingIndexError) -> [HammingNeighbor]
    {
        try store.search(query, mode: .nearest(k: k), realCode: realCode, statistics: &statistics, probe: probe)
    }

    /// Every code within `radius` (inclusive), by multi-index probing.
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

    /// The index as bytes, tables included (docs/hamming.md).
    public func serializedBytes() -> [UInt8] {
        HammingIndexFile.bytes(
            of: store, tables: tables, kind: .multiIndex, substringCount: requestedSubstringCount ?? 0)
    }

    /// Loads a multi-index written by `serializedBytes()`.
    public init(serializedBytes bytes: some ContiguousBytes) throws(HammingIndexError) {
        let contents = try HammingIndexFile.read(bytes, kind: .multiIndex)
        let requested = contents.substringCount
        guard let tables = contents.tables, (0...contents.store.bitCount).contains(requested),
              requested == 0 || tables.layouts.count == requested
        else {
            throw .corrupt("\(contents.tables?.layouts.count ?? 0) hash tables, \(requested) asked for")
        }
        store = contents.store
        requestedSubstringCount = requested == 0 ? nil : requested
        self.tables = tables
    }
}
