import Foundation
import Testing
@testable import ImgSearch

/// The query path's merge of several query variants (`VariantMerging`)
/// against an exhaustive oracle over every stored record: each image at its
/// best variant by (Hamming distance + penalty, real distance x scale),
/// the first k of that order, the first N of it re-ranked by the scaled
/// real distance plus the colour term.
@Suite struct VariantMergingReferenceTests {
    @Test(arguments: HammingTestData.allCases)
    func mergedVariantsAgreeWithTheExhaustiveOracle(data: HammingTestData) throws {
        let path = SQLiteConnectionTests.temporaryDatabase()
        defer { SQLiteConnectionTests.remove(path) }
        let (codes, queries) = data.make(count: 2_000, queryCount: 12)
        let (store, _) = try HashSearchReferenceTests.makeIndex(codes, at: path)
        let search = try HashSearch(store: store, bitCount: 30)
        let records = try store.records(ids: Array(1...Int64(codes.count)))
        #expect(records.count == codes.count)
        let realQueries = HammingTestData.realCodes(for: queries, bits: 30, seed: 21)
        let variants = (0..<queries.count).map { number in
            SemanticCode(code: Array(realQueries[(number * 30)..<((number + 1) * 30)]), hash: queries[number])
        }
        var random = SplitMix64(seed: 5)
        for first in stride(from: 0, to: variants.count, by: 3) {
            let query = Array(variants[first..<(first + 3)])
            // The image's histogram and a trimmed copy's.
            let colours = [HashSearchReferenceTests.randomColour(&random), HashSearchReferenceTests.randomColour(&random)]
            for (k, penalty, rerank, weight, radius) in [
                (1, 0, 0, 0, nil), (10, 0, 0, 0, nil), (10, 4, 0, 0, nil), (10, 4, 50, 0, nil), (40, 2, 0, 0, nil),
                (25, 4, 25, 0, nil), (10, 4, 50, 1, nil), (10, 4, 100, 16, nil), (30, 0, 30, 4, nil),
                (20, 4, 0, 0, 9), (300, 4, 300, 16, 7), (10, 32, 0, 0, nil),
            ] as [(Int, Int, Int, Float, Int?)] {
                let options = QueryOptions(k: k, radius: radius, variantPenalty: penalty, rerank: rerank, colourWeight: weight)
                let found = try VariantMerging.nearest(to: query, colours: colours, options: options, search: search, storage: store)
                // The oracle: every record's best variant.
                var keyed = records.compactMap { record -> (penalized: Int, scaled: Float, id: Int64, hamming: Int, colour: Float)? in
                    let reached = query.indices.filter { (record.hash ^ query[$0].hash).nonzeroBitCount <= (radius ?? 32) }
                    guard !reached.isEmpty else { return nil }
                    let best = reached.map { variant -> (Int, Float, Int64, Int) in
                        let hamming = (record.hash ^ query[variant].hash).nonzeroBitCount
                        let distance = HashSearch.euclidean(record.code, query[variant].code)
                        let scale = variant == 0 || penalty == 0 ? 1 : QueryOptions.variantRealDistanceScale
                        return (hamming + (variant == 0 ? 0 : penalty), distance * scale, record.id, hamming)
                    }.min { ($0.0, $0.1) < ($1.0, $1.1) }!
                    // The nearer of the two query histograms, in L1, times the weight.
                    let colour = weight * colours.map { $0.distance(to: record.colour!) }.min()!
                    return (best.0, best.1, best.2, best.3, colour)
                }
                keyed.sort { ($0.penalized, $0.scaled, $0.id) < ($1.penalized, $1.scaled, $1.id) }
                var expected = Array(keyed.prefix(max(k, rerank)))
                let reranked = min(rerank, expected.count)
                expected[0..<reranked].sort { ($0.scaled + $0.colour, $0.id) < ($1.scaled + $1.colour, $1.id) }
                let paths = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0.path) })
                let context = "\(data) query \(first / 3) k \(k) penalty \(penalty) rerank \(rerank) colour \(weight) radius \(radius.map(String.init) ?? "none")"
                #expect(found.map(\.path) == expected.prefix(k).map { paths[$0.id]! }, "\(context)")
                #expect(found.map(\.hamming) == expected.prefix(k).map(\.hamming), "\(context)")
                #expect(found.map(\.rank) == Array(1...found.count), "\(context)")
            }
        }
    }
}
