import Foundation

/// What the bucket index and the multi-index share: the codes, their hash
/// tables (one table of whole codes for a bucket index, m tables of
/// substrings for a multi-index), rebuilt after every change, and the
/// searches that probe the tables before they fall back to the scan.
///
/// `package`, so that an index kind outside this module (the multi-index,
/// which only the benchmarks use) is a thin wrapper and the C probe stays
/// behind this type.
package struct HammingProbedCodes: Sendable {
    var store: HammingCodeStore
    private(set) var tables: HammingTables
    /// The substring count asked for, or nil to choose it from the size.
    package let requestedSubstringCount: Int?
    private let kind: HammingIndexKind

    /// Empty codes of `bitCount` bits probed through one table of whole
    /// codes: a bucket index.
    package init(bucketIndexOf bitCount: Int, realCodeDimension: Int) throws(HammingIndexError) {
        try self.init(bitCount: bitCount, realCodeDimension: realCodeDimension, kind: .bucket, substringCount: 1)
    }

    /// Empty codes of `bitCount` bits probed through `substringCount` tables
    /// of substrings: a multi-index (nil: m chosen from the size whenever the
    /// collection changes).
    package init(multiIndexOf bitCount: Int, realCodeDimension: Int, substringCount: Int?) throws(HammingIndexError) {
        try self.init(bitCount: bitCount, realCodeDimension: realCodeDimension, kind: .multiIndex,
                      substringCount: substringCount)
    }

    private init(bitCount: Int, realCodeDimension: Int, kind: HammingIndexKind, substringCount: Int?)
        throws(HammingIndexError)
    {
        store = try HammingCodeStore(bitCount: bitCount, realCodeDimension: realCodeDimension)
        if let substringCount, !(1...bitCount).contains(substringCount) {
            throw .invalidArgument("\(substringCount) substrings for \(bitCount)-bit codes; use 1 ... \(bitCount)")
        }
        self.kind = kind
        requestedSubstringCount = substringCount
        tables = HammingTables(
            codes: [], bitCount: bitCount,
            substringCount: substringCount ?? HammingTables.automaticSubstringCount(bitCount: bitCount, count: 0))
    }

    private mutating func rebuildTables() {
        let m = requestedSubstringCount
            ?? HammingTables.automaticSubstringCount(bitCount: store.bitCount, count: store.count)
        tables = HammingTables(codes: store.codes, bitCount: store.bitCount, substringCount: m)
    }

    package var bitCount: Int { store.bitCount }
    package var realCodeDimension: Int { store.realCodeDimension }
    package var count: Int { store.count }
    package var ids: [Int64] { store.ids }
    /// The hash tables in use (1 for a bucket index, m for a multi-index).
    package var tableCount: Int { tables.layouts.count }
    package var kernel: HammingKernel {
        get { store.kernel }
        set { store.kernel = min(newValue, HammingKernel.best) }
    }

    /// Adds codes and rebuilds the tables (O(count): callers add in batches).
    package mutating func add(_ codes: [UInt32], ids: [Int64], realCodes: [Float]?) throws(HammingIndexError) {
        try store.add(codes, ids: ids, realCodes: realCodes)
        rebuildTables()
    }

    /// Removes the codes with these ids and rebuilds the tables.
    package mutating func remove(ids: Set<Int64>) -> Int {
        let removed = store.remove(ids: ids)
        if removed > 0 { rebuildTables() }
        return removed
    }

    package func search(_ query: UInt32, k: Int, realCode: [Float]?, statistics: inout HammingSearchStatistics)
        throws(HammingIndexError) -> [HammingNeighbor]
    {
        try store.search(query, mode: .nearest(k: k), realCode: realCode, statistics: &statistics, probe: probe)
    }

    package func search(_ query: UInt32, radius: Int, realCode: [Float]?, statistics: inout HammingSearchStatistics)
        throws(HammingIndexError) -> [HammingNeighbor]
    {
        try store.search(query, mode: .within(radius: radius), realCode: realCode, statistics: &statistics, probe: probe)
    }

    package func searchWithTies(_ query: UInt32, k: Int, radius: Int?, tieLimit: Int, statistics: inout HammingSearchStatistics)
        throws(HammingIndexError) -> [HammingNeighbor]
    {
        try store.search(query, mode: .nearestWithTies(k: k, radius: radius, tieLimit: tieLimit), realCode: nil,
                         statistics: &statistics, probe: probe)
    }

    private func probe(_ query: UInt32, _ result: inout CandidateResult) -> Bool {
        tables.probe(query, maxCost: store.count, kernel: store.kernel, into: &result)
    }

    /// The codes and tables as bytes, with this kind's header (docs/hamming.md).
    package func serializedBytes() -> [UInt8] {
        HammingIndexFile.bytes(of: store, tables: tables, kind: kind, substringCount: requestedSubstringCount ?? 0)
    }

    /// Loads a bucket index (`multiIndex` false) or a multi-index written by
    /// `serializedBytes()`.
    package init(serializedBytes bytes: some ContiguousBytes, multiIndex: Bool) throws(HammingIndexError) {
        kind = multiIndex ? .multiIndex : .bucket
        let contents = try HammingIndexFile.read(bytes, kind: kind)
        guard let tables = contents.tables else { throw .corrupt("no hash tables") }
        let requested = contents.substringCount
        if multiIndex {
            guard (0...contents.store.bitCount).contains(requested), requested == 0 || tables.layouts.count == requested
            else {
                throw .corrupt("\(tables.layouts.count) hash tables, \(requested) asked for")
            }
            requestedSubstringCount = requested == 0 ? nil : requested
        } else {
            guard tables.layouts.count == 1 else { throw .corrupt("a bucket index has one hash table") }
            requestedSubstringCount = 1
        }
        store = contents.store
        self.tables = tables
    }
}
