import Testing
@testable import ImgSearch

/// Code sets like the benchmark's: uniform, or clustered the way real
/// semantic hashes are (many near-duplicates and exact duplicates).
enum HammingTestData: String, CaseIterable, CustomTestStringConvertible {
    case random, clustered

    var testDescription: String { rawValue }

    /// `count` codes of `bits` bits, and `queryCount` queries: half of them
    /// indexed codes with a few bits flipped, half drawn like the codes.
    func make(count: Int, queryCount: Int, bits: Int = 30, seed: UInt64 = 1) -> (codes: [UInt32], queries: [UInt32]) {
        var generator = SplitMix64(seed: seed)
        let mask = bits == 32 ? UInt32.max : (UInt32(1) << UInt32(bits)) - 1
        func word() -> UInt32 { UInt32(truncatingIfNeeded: generator.next()) & mask }
        let centres = (0..<max(1, count / 500)).map { _ in word() }
        func draw() -> UInt32 {
            switch self {
            case .random: return word()
            case .clustered: return centres[Int(generator.next() % UInt64(centres.count))] ^ (word() & word() & word() & word())
            }
        }
        let codes = (0..<count).map { _ in draw() }
        let queries = (0..<queryCount).map { query in
            query % 2 == 0 && count > 0 ? codes[Int(generator.next() % UInt64(count))] ^ (word() & word() & word()) : draw()
        }
        return (codes, queries)
    }

    /// Real-valued codes consistent with `codes`: unit i above 0.5 exactly
    /// when bit i is set, with seeded jitter so that ties have an order.
    static func realCodes(for codes: [UInt32], bits: Int, seed: UInt64 = 7) -> [Float] {
        var generator = SplitMix64(seed: seed)
        return codes.flatMap { code in
            (0..<bits).map { bit in
                let jitter = Float(generator.next() >> 40) / Float(1 << 24) * 0.49
                return (code >> UInt32(bit)) & 1 == 1 ? 0.51 + jitter : jitter
            }
        }
    }
}

/// The oracle: every code's distance, then a plain sort by the documented
/// order (distance, squared Euclidean distance of real codes, id, position).
struct NaiveHammingSearch {
    var bitCount: Int
    var codes: [UInt32] = []
    var ids: [Int64] = []
    var realCodes: [Float] = []
    var dimension = 0

    mutating func add(_ newCodes: [UInt32], ids newIds: [Int64], realCodes newReal: [Float]? = nil) {
        codes += newCodes
        ids += newIds
        realCodes += newReal ?? []
    }

    mutating func remove(ids removed: Set<Int64>) {
        let kept = codes.indices.filter { !removed.contains(ids[$0]) }
        realCodes = kept.flatMap { realCodes[($0 * dimension)..<(($0 + 1) * dimension)] }
        codes = kept.map { codes[$0] }
        ids = kept.map { ids[$0] }
    }

    func distances(to query: UInt32) -> [Int] {
        var distances = [Int](repeating: 0, count: codes.count)
        for position in 0..<codes.count { distances[position] = (codes[position] ^ query).nonzeroBitCount }
        return distances
    }

    /// The k nearest; `distances` may be passed in when already computed for this query.
    func nearest(_ query: UInt32, k: Int, realCode: [Float]? = nil, distances known: [Int]? = nil) -> [HammingNeighbor] {
        let distances = known ?? distances(to: query)
        guard k > 0, !codes.isEmpty else { return [] }
        // The k-th smallest distance, by counting.
        var histogram = [Int](repeating: 0, count: bitCount + 1)
        for distance in distances { histogram[distance] += 1 }
        var kth = 0, seen = histogram[0]
        while seen < min(k, codes.count) { kth += 1; seen += histogram[kth] }
        return Array(ranked(distances, within: kth, realCode: realCode).prefix(k))
    }

    func within(_ query: UInt32, radius: Int, realCode: [Float]? = nil, distances known: [Int]? = nil) -> [HammingNeighbor] {
        ranked(known ?? distances(to: query), within: radius, realCode: realCode)
    }

    private func ranked(_ distances: [Int], within bound: Int, realCode: [Float]?) -> [HammingNeighbor] {
        var kept: [(distance: Int, tie: Float, id: Int64, position: Int)] = []
        for position in 0..<distances.count where distances[position] <= bound {
            var tie: Float = 0
            if let realCode, dimension > 0 {
                for value in 0..<dimension {
                    let difference = realCodes[position * dimension + value] - realCode[value]
                    tie += difference * difference
                }
            }
            kept.append((distances[position], tie, ids[position], position))
        }
        return kept
            .sorted { ($0.distance, $0.tie, $0.id, $0.position) < ($1.distance, $1.tie, $1.id, $1.position) }
            .map { HammingNeighbor(id: $0.id, distance: $0.distance) }
    }
}

/// The properties FAISS's binary-index tests check on any result list.
func isSortedWithoutDuplicates(_ result: [HammingNeighbor]) -> Bool {
    zip(result, result.dropFirst()).allSatisfy { $0.distance <= $1.distance } && Set(result.map(\.id)).count == result.count
}
