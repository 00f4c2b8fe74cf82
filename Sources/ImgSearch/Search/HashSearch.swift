import ImgSearchCore
internal import CImgSearchHamming
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
/// The hashes come from the store's packed blocks as plain arrays and are
/// scanned directly: one pass counts the images at each Hamming distance
/// (which gives the k-th distance), a second collects the images at or
/// inside it. A query is one process here, so building the bit-sliced
/// ``FlatHammingIndex`` first would cost more than it saves: at a million
/// images the slicing took 8 of a query's 30 ms, the plain scans take
/// about 2 (docs/benchmarks.md, "Query latency"). The real codes stay in
/// the database: only the images at or inside the k-th Hamming distance
/// are fetched, and ordered by (Hamming distance, Euclidean distance
/// between real codes, id). With 31 possible distances many images share
/// the k-th one; all of them are compared, up to ``tieCandidateLimit``,
/// past which ties at the boundary go by id (a degenerate index where most
/// images share one hash).
struct HashSearch {
    let hashes: [UInt32]
    let locations: HashLocations
    /// The most candidates fetched to break ties by real code; a test
    /// lowers it to reach the capped path on a small index.
    var tieCandidateLimit = 50_000

    /// Loads every hash of `store`.
    init(store: any IndexStorage, bitCount: Int) throws {
        guard (1...32).contains(bitCount) else {
            throw HammingIndexError.invalidBitCount(bitCount)
        }
        let loaded = try store.loadHashes()
        (hashes, locations) = (loaded.hashes, loaded.locations)
    }

    /// Searches `hashes`, whose images are where `locations` says.
    init(hashes: [UInt32], locations: HashLocations) {
        self.hashes = hashes
        self.locations = locations
    }

    /// How many images lie at each Hamming distance 0...32 from `query`
    /// (the C kernel: Swift's `nonzeroBitCount` has no popcnt instruction
    /// on the baseline x86-64 target).
    func distanceCounts(from query: UInt32, kernel: HammingKernel = .best) -> [Int] {
        var counts = [UInt64](repeating: 0, count: 33)
        hashes.withUnsafeBufferPointer { codes in
            imgsearch_hamming_plain_histogram(codes.baseAddress, codes.count, query, &counts, Int32(kernel.rawValue))
        }
        return counts.map { Int($0) }
    }

    /// Positions of the images within `boundary` of `query`, in index
    /// order; `expected` is their number (from ``distanceCounts(from:)``).
    func positions(within boundary: Int, of query: UInt32, expected: Int, kernel: HammingKernel = .best) -> [Int] {
        let found = [UInt32](unsafeUninitializedCapacity: max(1, expected)) { positions, initialized in
            initialized = hashes.withUnsafeBufferPointer { codes in
                imgsearch_hamming_plain_collect(codes.baseAddress, codes.count, query, UInt32(boundary),
                                                positions.baseAddress, expected, Int32(kernel.rawValue))
            }
        }
        return found.map { Int($0) }
    }

    /// The `k` nearest images to (`hash`, `code`), nearest first; with
    /// `radius`, only those within that Hamming distance (inclusive).
    func nearest(hash: SemanticHash, code: [Float], k: Int, radius: Int? = nil, store: any IndexStorage) throws -> [RankedImage] {
        guard k > 0, !hashes.isEmpty else { return [] }
        let query = hash
        let counts = distanceCounts(from: query)
        // The k-th nearest distance: the first at which the running count reaches k.
        var kth = 32, running = 0
        for distance in 0...32 {
            running += counts[distance]
            if running >= k { kth = distance; break }
        }
        let boundary = min(kth, radius ?? kth)
        guard boundary >= 0 else { return [] }
        let within = counts[0...boundary].reduce(0, +)
        var candidates = positions(within: boundary, of: query, expected: within)
        if candidates.count > tieCandidateLimit {
            // Too many ties to fetch: the k nearest by (distance, id).
            candidates = Array(candidates
                .map { (distance: (hashes[$0] ^ query).nonzeroBitCount, id: locations.id(at: $0), position: $0) }
                .sorted { ($0.distance, $0.id) < ($1.distance, $1.id) }
                .prefix(k).map(\.position))
        }
        var hammingByID: [Int64: Int] = [:]
        hammingByID.reserveCapacity(candidates.count)
        for position in candidates { hammingByID[locations.id(at: position)] = (hashes[position] ^ query).nonzeroBitCount }
        let ranked = try store.records(ids: Array(hammingByID.keys)).map { record in
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
