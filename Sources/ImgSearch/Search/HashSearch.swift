/// An indexed image found near a query: its stored record and both distances.
struct RankedImage {
    var record: ImageRecord
    var hamming: Int
    var distance: Float
}

/// Exact k-nearest search over an index's semantic hashes, ties broken by
/// the real-valued codes.
///
/// The hashes come from the store's packed blocks into a
/// ``FlatHammingIndex`` (the exhaustive scan). The real codes stay in the
/// database: only the images at or inside the k-th Hamming distance are
/// fetched, and ordered by (Hamming distance, Euclidean distance between
/// real codes, id). With 31 possible distances many images share the k-th
/// one; all of them are compared, up to ``maximumTieCandidates``, past which
/// ties at the boundary go by id (a degenerate index where most images share
/// one hash).
struct HashSearch {
    let index: FlatHammingIndex
    static let maximumTieCandidates = 50_000

    /// Loads every hash of `store`.
    init(store: IndexStore, bitCount: Int) throws {
        guard (1...32).contains(bitCount) else {
            throw HammingIndexError.invalidBitCount(bitCount)
        }
        let (ids, hashes) = try store.loadHashes32()
        index = try FlatHammingIndex(bitCount: bitCount, codes: hashes, ids: ids)
    }

    /// The `k` nearest images to (`hash`, `code`), nearest first; with
    /// `radius`, only those within that Hamming distance (inclusive).
    func nearest(hash: UInt64, code: [Float], k: Int, radius: Int? = nil, store: IndexStore) throws -> [RankedImage] {
        guard k > 0, index.count > 0 else { return [] }
        let query = UInt32(truncatingIfNeeded: hash)
        var statistics = HammingSearchStatistics()
        let byID = try index.search(query, k: k, realCode: nil, statistics: &statistics)
        guard let kth = byID.last?.distance else { return [] }
        let boundary = min(kth, radius ?? kth)
        var candidates = try index.search(query, radius: boundary, realCode: nil, statistics: &statistics)
        if candidates.count > Self.maximumTieCandidates {
            candidates = byID.filter { $0.distance <= boundary }
        }
        let hammingByID = Dictionary(candidates.map { ($0.id, $0.distance) }, uniquingKeysWith: min)
        let ranked = try store.records(ids: candidates.map(\.id)).map { record in
            RankedImage(record: record, hamming: hammingByID[record.id] ?? 0, distance: Self.euclidean(record.code, code))
        }
        return Array(ranked.sorted { a, b in
            (a.hamming, a.distance, a.record.id) < (b.hamming, b.distance, b.record.id)
        }.prefix(k))
    }

    static func euclidean(_ a: [Float], _ b: [Float]) -> Float {
        var sum: Float = 0
        for index in 0..<min(a.count, b.count) {
            let difference = a[index] - b[index]
            sum += difference * difference
        }
        return sum.squareRoot()
    }
}
