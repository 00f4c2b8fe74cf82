import ImgSearchCore
import ImgSearchHashing

/// An indexed image found near a query: its stored record and both distances.
struct RankedImage {
    var record: ImageRecord
    var hamming: Int
    var distance: Float
}

/// Exact k-nearest search over an index's semantic hashes, ties broken by
/// the real-valued codes.
///
/// The hashes come from the store's packed blocks and go into a
/// ``ScanHammingIndex`` as they are, each hash's id its row: a query is one
/// process here, and the plain scan answers one query sooner than the
/// bit-sliced ``FlatHammingIndex`` can be built (docs/benchmarks.md, "Query
/// latency"). The index gives the images at or inside the k-th Hamming
/// distance; the real codes stay in the database, and only those images'
/// are fetched to order them by (Hamming distance, Euclidean distance
/// between real codes, id). With 31 possible distances many images share
/// the k-th one; all of them are compared, up to ``tieCandidateLimit``,
/// past which ties at the boundary go by id (a degenerate index where most
/// images share one hash).
struct HashSearch {
    let index: ScanHammingIndex
    let locations: HashLocations
    /// The most candidates fetched to break ties by real code; a test
    /// lowers it to reach the capped path on a small index.
    var tieCandidateLimit = 50_000

    /// Loads every hash of `store`.
    init(store: any IndexStorage, bitCount: Int) throws {
        let loaded = try store.loadHashes()
        try self.init(hashes: loaded.hashes, locations: loaded.locations, bitCount: bitCount)
    }

    /// Searches `hashes`, whose images are where `locations` says.
    init(hashes: [UInt32], locations: HashLocations, bitCount: Int) throws {
        index = try ScanHammingIndex(bitCount: bitCount, positionalCodes: hashes)
        self.locations = locations
    }

    /// The `k` nearest images to (`hash`, `code`), nearest first; with
    /// `radius`, only those within that Hamming distance (inclusive).
    func nearest(hash: SemanticHash, code: [Float], k: Int, radius: Int? = nil, store: any IndexStorage) throws -> [RankedImage] {
        let hammingByID = try candidates(hash: hash, k: k, radius: radius)
        guard !hammingByID.isEmpty else { return [] }
        let ranked = try store.records(ids: Array(hammingByID.keys)).map { record in
            RankedImage(record: record, hamming: hammingByID[record.id] ?? 0, distance: Self.euclidean(record.code, code))
        }
        return Array(ranked.sorted { a, b in
            (a.hamming, a.distance, a.record.id) < (b.hamming, b.distance, b.record.id)
        }.prefix(k))
    }

    /// The images at or inside the k-th Hamming distance from `hash` (ties
    /// included, up to ``tieCandidateLimit``), by id, with their distance;
    /// with `radius`, only those within it. Nothing is read from the
    /// database: a caller merging several query variants fetches each
    /// candidate's record once.
    func candidates(hash: SemanticHash, k: Int, radius: Int? = nil) throws -> [Int64: Int] {
        guard k > 0, index.count > 0 else { return [:] }
        if let radius, radius < 0 { return [:] }
        let found = try index.searchWithTies(hash, k: k, radius: radius, tieLimit: tieCandidateLimit)
        var hammingByID: [Int64: Int] = [:]
        hammingByID.reserveCapacity(found.count)
        for candidate in found { hammingByID[locations.id(at: Int(candidate.id))] = candidate.distance }
        return hammingByID
    }

    /// The images at or inside the k-th merged distance from a query given
    /// as variants (``ScanHammingIndex/mergedSearchWithTies(_:penalties:k:radius:tieLimit:)``),
    /// by id, with that penalized distance: one pass over the hashes for
    /// every variant.
    func mergedCandidates(hashes: [SemanticHash], penalties: [Int], k: Int, radius: Int? = nil) throws -> [Int64: Int] {
        guard k > 0, index.count > 0 else { return [:] }
        if let radius, radius < 0 { return [:] }
        let found = try index.mergedSearchWithTies(
            hashes, penalties: penalties, k: k, radius: radius, tieLimit: tieCandidateLimit)
        var distanceByID: [Int64: Int] = [:]
        distanceByID.reserveCapacity(found.count)
        for candidate in found { distanceByID[locations.id(at: Int(candidate.id))] = candidate.distance }
        return distanceByID
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
