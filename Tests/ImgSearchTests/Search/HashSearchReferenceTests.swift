import Foundation
import Testing
@testable import ImgSearch

/// The query path's search (`HashSearch.nearest` over hashes loaded from a
/// real SQLite index) against the exhaustive oracle, the way FAISS tests
/// its binary indexes: same images at the same distances, in the documented
/// order (Hamming distance, real-code distance, id), with no duplicates.
@Suite struct HashSearchReferenceTests {
    /// An index of `codes` with real codes consistent with them, and the
    /// oracle holding the same images under the same ids.
    static func makeIndex(_ codes: [UInt32], at path: String) throws -> (store: SQLiteIndexStore, oracle: NaiveHammingSearch) {
        let store = try SQLiteIndexStore(path: path)
        let modelID = try store.addModel(IndexStoreTests.model())
        let realCodes = HammingTestData.realCodes(for: codes, bits: 30)
        var random = SplitMix64(seed: 77)
        var ids: [Int64] = []
        try store.write { writer in
            for (position, hash) in codes.enumerated() {
                let record = ImageRecord(
                    id: 0, path: "/photos/\(position).jpg", size: 1, modificationTime: 1, contentHash: UInt64(position),
                    width: 32, height: 32, hash: hash, code: Array(realCodes[(position * 30)..<((position + 1) * 30)]), modelID: modelID,
                    colour: Self.randomColour(&random))
                ids.append(try writer.insert(record))
            }
        }
        var oracle = NaiveHammingSearch(bitCount: 30)
        oracle.dimension = 30
        oracle.add(codes, ids: ids, realCodes: realCodes)
        return (store, oracle)
    }

    /// A histogram of 128 random shares summing to 1, a few bins holding most.
    static func randomColour(_ random: inout SplitMix64) -> ColourHistogram {
        let weights = (0..<128).map { _ in Float(random.next() % 1000) * (random.next() % 8 == 0 ? 20 : 1) }
        let total = weights.reduce(0, +)
        return ColourHistogram(shares: weights.map { $0 / total })
    }

    /// The same images at the same Hamming distances, ordered by (Hamming
    /// distance, real-code distance). The oracle orders by the squared
    /// distance and the search by its square root, which can round two
    /// near-equal distances to one and hand the tie to the id: so the order
    /// is checked on the search's own distances, the membership against the oracle.
    static func expectMatches(_ found: [RankedImage], _ expected: [HammingNeighbor], _ context: String) {
        let neighbours = found.map { HammingNeighbor(id: $0.record.id, distance: $0.hamming) }
        #expect(Set(neighbours) == Set(expected) && neighbours.count == expected.count, "\(context)")
        #expect(isSortedWithoutDuplicates(neighbours), "\(context)")
        #expect(zip(found, found.dropFirst()).allSatisfy { ($0.hamming, $0.distance) <= ($1.hamming, $1.distance) }, "\(context)")
    }

    @Test(arguments: HammingTestData.allCases)
    func nearestAndRadiusAgreeWithTheExhaustiveOracle(data: HammingTestData) throws {
        let path = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(path) }
        let (codes, queries) = data.make(count: 3_000, queryCount: 24)
        let (store, oracle) = try Self.makeIndex(codes, at: path)
        let search = try HashSearch(store: store, bitCount: 30)
        let realQueries = HammingTestData.realCodes(for: queries, bits: 30, seed: 11)
        for (number, query) in queries.enumerated() {
            let realCode = Array(realQueries[(number * 30)..<((number + 1) * 30)])
            let distances = oracle.distances(to: query)
            // k below, at and past the count; k = 1 has the most ties at the boundary.
            for k in [1, 7, 100, codes.count, codes.count + 5] {
                let found = try search.nearest(hash: query, code: realCode, k: k, store: store)
                Self.expectMatches(found, oracle.nearest(query, k: k, realCode: realCode, distances: distances),
                                   "\(data) query \(number) k \(k)")
            }
            // The radius boundary is inclusive; the k nearest within it.
            let kth = oracle.nearest(query, k: 10, distances: distances).last?.distance ?? 0
            for radius in [0, max(0, kth - 1), kth, kth + 1] {
                let found = try search.nearest(hash: query, code: realCode, k: codes.count, radius: radius, store: store)
                Self.expectMatches(found, oracle.within(query, radius: radius, realCode: realCode, distances: distances),
                                   "\(data) query \(number) radius \(radius)")
                let firstTen = try search.nearest(hash: query, code: realCode, k: 10, radius: radius, store: store)
                Self.expectMatches(firstTen, Array(oracle.within(query, radius: radius, realCode: realCode, distances: distances).prefix(10)),
                                   "\(data) query \(number) k 10 radius \(radius)")
            }
        }
    }

    @Test func pastTheTieCapTiesGoByIdAndTheDistancesStayExact() throws {
        let path = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(path) }
        // A degenerate index: most images share one of two hashes.
        var generator = SplitMix64(seed: 3)
        let codes: [UInt32] = (0..<600).map { index in
            index % 10 == 0 ? UInt32(truncatingIfNeeded: generator.next()) & 0x3FFF_FFFF : (index % 2 == 0 ? 0 : 1)
        }
        let (store, oracle) = try Self.makeIndex(codes, at: path)
        var search = try HashSearch(store: store, bitCount: 30)
        search.tieCandidateLimit = 50
        let query: UInt32 = 0
        let realCode = [Float](repeating: 0.2, count: 30)
        // 240 images share the query's hash, more than the cap for every k
        // below, so the capped path keeps the first k by (distance, id).
        let byID = oracle.within(query, radius: 30).sorted { ($0.distance, $0.id) < ($1.distance, $1.id) }
        for k in [1, 10, 49, 50, 51, 200] {
            let found = try search.nearest(hash: query, code: realCode, k: k, store: store)
            let expected = oracle.nearest(query, k: k, realCode: realCode)
            #expect(found.count == expected.count, "k \(k)")
            // The capped path may break ties differently, never the distances.
            #expect(found.map(\.hamming) == expected.map(\.distance), "k \(k)")
            #expect(Set(found.map(\.record.id)).count == found.count, "k \(k)")
            #expect(Set(found.map(\.record.id)) == Set(byID.prefix(k).map(\.id)), "k \(k)")
        }
    }
}
