import Dispatch
import Foundation

/// A set of Hamming codes with ids that answers nearest-neighbour and radius
/// queries exactly, in the vocabulary of FAISS's `IndexBinary`.
///
/// Codes are `bitCount`-bit semantic hashes (30 by default) in the low bits
/// of a `UInt32`. Each may carry its real-valued code (the encoder's
/// activations before binarization), used only to order codes at equal
/// Hamming distance: with 31 possible distances ties are everywhere, and the
/// real code says which of the tied images is nearer. Without real codes ties
/// go by id, so every index gives the same, deterministic answer.
///
/// Implementations: ``FlatHammingIndex`` (the exhaustive scan over bit-sliced
/// codes, and the reference the others are tested against),
/// ``ScanHammingIndex`` (the exhaustive scan over plain codes, for an index
/// built to answer one query: `imgsearch query`), ``BucketHammingIndex``
/// (semantic hashing's address lookup: `imgsearch dupes`); the benchmark
/// target adds `MultiIndexHammingIndex` (Norouzi, Punjani & Fleet's
/// multi-index hashing), which no product path needs. All are values:
/// copies are independent.
public protocol HammingIndex: Sendable {
    /// Bits per code, 1 ... 32.
    var bitCount: Int { get }
    /// Values per real-valued code, 0 when the index stores none.
    var realCodeDimension: Int { get }
    /// Codes in the index (FAISS's `ntotal`).
    var count: Int { get }

    /// Adds codes with their ids (FAISS's `add_with_ids`).
    ///
    /// - Parameter codes: (n), each below `2^bitCount`.
    /// - Parameter ids: (n); not required to be unique (`remove` removes all
    ///   codes with an id).
    /// - Parameter realCodes: (n, realCodeDimension) row-major; required when
    ///   the index has a real-code dimension, refused otherwise.
    mutating func add(_ codes: [UInt32], ids: [Int64], realCodes: [Float]?) throws(HammingIndexError)

    /// Removes every code whose id is in `ids`; returns how many were removed.
    @discardableResult
    mutating func remove(ids: Set<Int64>) -> Int

    /// The `k` nearest codes to `query`, nearest first (all codes if fewer).
    ///
    /// - Parameter realCode: the query's real-valued code
    ///   (realCodeDimension values) to break ties, or nil to break them by id.
    /// - Parameter statistics: the search's counters are added to it.
    func search(_ query: UInt32, k: Int, realCode: [Float]?, statistics: inout HammingSearchStatistics)
        throws(HammingIndexError) -> [HammingNeighbor]

    /// Every code at Hamming distance <= `radius` from `query` (inclusive, as
    /// semantic hashing counts its radius; FAISS's `range_search` is strict),
    /// nearest first, ties ordered as for `search(_:k:)`.
    func search(_ query: UInt32, radius: Int, realCode: [Float]?, statistics: inout HammingSearchStatistics)
        throws(HammingIndexError) -> [HammingNeighbor]

    /// The `k` nearest codes to `query` and every code tied with the k-th,
    /// nearest first by (distance, id): the candidates for a caller that
    /// breaks ties by real codes it keeps elsewhere (`imgsearch query` keeps
    /// them in the database and fetches only these).
    ///
    /// - Parameter radius: only codes within it (inclusive); nil for any distance.
    /// - Parameter tieLimit: when more codes than this lie at or inside the
    ///   k-th distance, the first `k` by (distance, id) alone, so that a
    ///   degenerate index where most codes share one hash cannot make a
    ///   query fetch them all.
    func searchWithTies(_ query: UInt32, k: Int, radius: Int?, tieLimit: Int, statistics: inout HammingSearchStatistics)
        throws(HammingIndexError) -> [HammingNeighbor]

    /// The index as bytes: header, ids, codes, real codes (see docs/hamming.md).
    /// The bit-sliced copy the scan reads is rebuilt on load (it is the same
    /// for every kernel); hash tables are stored.
    func serializedBytes() -> [UInt8]

    /// Loads an index written by `serializedBytes()`.
    init(serializedBytes bytes: some ContiguousBytes) throws(HammingIndexError)
}

extension HammingIndex {
    /// Adds codes with their ids, for an index without real-valued codes.
    public mutating func add(_ codes: [UInt32], ids: [Int64]) throws(HammingIndexError) {
        try add(codes, ids: ids, realCodes: nil)
    }

    /// The `k` nearest codes to `query`, nearest first; see the requirement.
    public func search(_ query: UInt32, k: Int, realCode: [Float]? = nil) throws(HammingIndexError) -> [HammingNeighbor] {
        var statistics = HammingSearchStatistics()
        return try search(query, k: k, realCode: realCode, statistics: &statistics)
    }

    /// Every code within `radius` (inclusive) of `query`, nearest first.
    public func search(_ query: UInt32, radius: Int, realCode: [Float]? = nil) throws(HammingIndexError) -> [HammingNeighbor] {
        var statistics = HammingSearchStatistics()
        return try search(query, radius: radius, realCode: realCode, statistics: &statistics)
    }

    /// The `k` nearest codes and their ties; see the requirement.
    public func searchWithTies(_ query: UInt32, k: Int, radius: Int? = nil, tieLimit: Int = .max)
        throws(HammingIndexError) -> [HammingNeighbor]
    {
        var statistics = HammingSearchStatistics()
        return try searchWithTies(query, k: k, radius: radius, tieLimit: tieLimit, statistics: &statistics)
    }

    /// The `k` nearest codes for each query, searched on `threads` threads.
    ///
    /// - Parameter queries: (q) codes.
    /// - Parameter realCodes: (q, realCodeDimension) row-major, or nil.
    /// - Parameter threads: worker threads; by default one per core. Queries
    ///   are shared out round-robin, each searched whole by one thread.
    /// - Returns: (q) result lists, in query order.
    public func search(
        _ queries: [UInt32], k: Int, realCodes: [Float]? = nil,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        statistics: inout HammingSearchStatistics
    ) throws(HammingIndexError) -> [[HammingNeighbor]] {
        let dimension = realCodeDimension
        if let realCodes, realCodes.count != queries.count * dimension {
            throw .countMismatch(what: "real-valued codes for \(queries.count) queries",
                                 expected: queries.count * dimension, found: realCodes.count)
        }
        return try forEachQuery(queries.count, threads: threads, statistics: &statistics) {
            (query, statistics) throws(HammingIndexError) in
            let realCode = realCodes.map { Array($0[(query * dimension)..<((query + 1) * dimension)]) }
            return try search(queries[query], k: k, realCode: realCode, statistics: &statistics)
        }
    }

    /// The `k` nearest codes for each query; see the version with statistics.
    public func search(
        _ queries: [UInt32], k: Int, realCodes: [Float]? = nil,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws(HammingIndexError) -> [[HammingNeighbor]] {
        var statistics = HammingSearchStatistics()
        return try search(queries, k: k, realCodes: realCodes, threads: threads, statistics: &statistics)
    }
}

/// Pointers the worker threads write to, each to its own slots.
private struct WorkerSlots<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
}

/// Runs `search` for queries 0 ..< count on `threads` threads, round-robin,
/// and returns the results in order; the first error any thread met is thrown.
func forEachQuery(
    _ count: Int, threads: Int, statistics: inout HammingSearchStatistics,
    _ search: @Sendable (Int, inout HammingSearchStatistics) throws(HammingIndexError) -> [HammingNeighbor]
) throws(HammingIndexError) -> [[HammingNeighbor]] {
    guard count > 0 else { return [] }
    let workers = max(1, min(threads, count))
    var results = [[HammingNeighbor]](repeating: [], count: count)
    var counters = [HammingSearchStatistics](repeating: HammingSearchStatistics(), count: workers)
    var errors = [HammingIndexError?](repeating: nil, count: workers)
    withoutActuallyEscaping(search) { search in
        results.withUnsafeMutableBufferPointer { results in
            counters.withUnsafeMutableBufferPointer { counters in
                errors.withUnsafeMutableBufferPointer { errors in
                    // Non-empty arrays: count > 0 and workers >= 1.
                    guard let output = results.baseAddress.map(WorkerSlots.init),
                          let counterSlots = counters.baseAddress.map(WorkerSlots.init),
                          let errorSlots = errors.baseAddress.map(WorkerSlots.init) else { return }
                    let work: @Sendable (Int) -> Void = { worker in
                        var query = worker
                        while query < count {
                            do throws(HammingIndexError) {
                                output.base[query] = try search(query, &counterSlots.base[worker])
                            } catch {
                                errorSlots.base[worker] = error
                                return
                            }
                            query += workers
                        }
                    }
                    if workers == 1 {
                        work(0)
                    } else {
                        DispatchQueue.concurrentPerform(iterations: workers, execute: work)
                    }
                }
            }
        }
    }
    for counter in counters { statistics.formSum(counter) }
    if let error = errors.lazy.compactMap({ $0 }).first { throw error }
    return results
}
