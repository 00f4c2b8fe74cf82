import Testing
@testable import ImgSearch

/// The whole-index ranking eval scores by, against the naive oracle: one
/// variant is `search(k: count)`'s order, on ids that follow positions (the
/// packed fast path) and ids that do not; several variants rank each code at
/// its nearest one.
@Suite struct HammingRankingTests {
    @Test(arguments: HammingTestData.allCases, [false, true])
    func oneVariantRanksLikeTheOracle(data: HammingTestData, portable: Bool) throws {
        let (codes, queries) = data.make(count: 1_500, queryCount: 6, seed: 41)
        let realCodes = HammingTestData.realCodes(for: codes, bits: 30)
        let realQueries = HammingTestData.realCodes(for: queries, bits: 30, seed: 42)
        let ascending = codes.indices.map { Int64($0) }
        // Out of position order, with repeats: ties by id, then position.
        let scattered = codes.indices.map { Int64(($0 * 7_919) % 701) }
        for ids in [ascending, scattered] {
            var index = try FlatHammingIndex(realCodeDimension: 30)
            if portable { index.kernel = .portable }
            try index.add(codes, ids: ids, realCodes: realCodes)
            var naive = NaiveHammingSearch(bitCount: 30)
            naive.dimension = 30
            naive.add(codes, ids: ids, realCodes: realCodes)
            for (number, query) in queries.enumerated() {
                let realQuery = Array(realQueries[(number * 30)..<((number + 1) * 30)])
                let tied = try index.ranking(of: [query], realCodes: [realQuery])
                #expect(tied.neighbors == naive.nearest(query, k: codes.count, realCode: realQuery))
                #expect(tied.realDistances.count == codes.count)
                #expect(zip(tied.realDistances, tied.realDistances.dropFirst()).enumerated().allSatisfy { rank, pair in
                    tied.neighbors[rank].distance < tied.neighbors[rank + 1].distance || pair.0 <= pair.1
                })
                let plain = try index.ranking(of: [query], realCodes: nil)
                #expect(plain.neighbors == naive.nearest(query, k: codes.count))
                #expect(plain.realDistances.isEmpty)
            }
        }
    }

    @Test func variantsRankEachCodeAtItsNearest() throws {
        let (codes, queries) = HammingTestData.clustered.make(count: 900, queryCount: 4, seed: 43)
        var index = try FlatHammingIndex()
        try index.add(codes, ids: codes.indices.map { Int64($0) })
        let variants = [queries[0], queries[1]]
        let ranked = try index.ranking(of: variants, realCodes: nil)
        let nearest = codes.map { code in variants.map { ($0 ^ code).nonzeroBitCount }.min()! }
        let expected = codes.indices.sorted { (nearest[$0], $0) < (nearest[$1], $1) }
            .map { HammingNeighbor(id: Int64($0), distance: nearest[$0]) }
        #expect(ranked.neighbors == expected)
    }

    @Test(arguments: [0, 3, 40])
    func penalizedVariantsRankEachCodeAtItsNearestPenalizedDistance(penalty: Int) throws {
        let (codes, queries) = HammingTestData.clustered.make(count: 900, queryCount: 3, seed: 44)
        let realCodes = HammingTestData.realCodes(for: codes, bits: 30)
        var index = try FlatHammingIndex(realCodeDimension: 30)
        try index.add(codes, ids: codes.indices.map { Int64($0) }, realCodes: realCodes)
        let variants = [queries[0], queries[1], queries[2]]
        let realQueries = HammingTestData.realCodes(for: variants, bits: 30, seed: 45)
        let realVariants = (0..<3).map { Array(realQueries[($0 * 30)..<(($0 + 1) * 30)]) }
        let penalties = [0, penalty, penalty]
        let scales: [Float] = [1, 2, 0.5]
        let ranked = try index.ranking(of: variants, realCodes: realVariants, penalties: penalties, realScales: scales)
        // The oracle: each code's smallest (penalized distance, scaled real distance) over the variants.
        func squared(_ a: ArraySlice<Float>, _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        let best = codes.indices.map { position in
            variants.indices.map { variant in
                ((variants[variant] ^ codes[position]).nonzeroBitCount + penalties[variant],
                 squared(realCodes[(position * 30)..<((position + 1) * 30)], realVariants[variant]) * scales[variant])
            }.min { $0 < $1 }!
        }
        let expected = codes.indices.sorted { (best[$0].0, best[$0].1, $0) < (best[$1].0, best[$1].1, $1) }
        #expect(ranked.neighbors.map(\.id) == expected.map { Int64($0) })
        #expect(ranked.neighbors.map(\.distance) == expected.map { best[$0].0 })
        #expect(ranked.realDistances == expected.map { best[$0].1 })
        if penalty == 40 {
            // Past every true distance: the first variant alone decides.
            let alone = try index.ranking(of: [variants[0]], realCodes: [realVariants[0]])
            #expect(ranked.neighbors == alone.neighbors)
            #expect(throws: HammingIndexError.self) {
                try index.ranking(of: variants, realCodes: realVariants, penalties: penalties, realScales: [1, 0, 1])
            }
        }
        #expect(throws: HammingIndexError.self) { try index.ranking(of: variants, realCodes: nil, penalties: [0, 1]) }
        #expect(throws: HammingIndexError.self) { try index.ranking(of: variants, realCodes: nil, penalties: [0, 65, 0]) }
    }

    @Test func badQueriesAreRefused() throws {
        var index = try FlatHammingIndex(bitCount: 8, realCodeDimension: 2)
        try index.add([1, 2], ids: [0, 1], realCodes: [0, 0, 1, 1])
        #expect(throws: HammingIndexError.self) { try index.ranking(of: [], realCodes: nil) }
        #expect(throws: HammingIndexError.self) { try index.ranking(of: [0x1FF], realCodes: nil) }
        #expect(throws: HammingIndexError.self) { try index.ranking(of: [1], realCodes: [[0]]) }
        #expect(throws: HammingIndexError.self) { try index.ranking(of: [1, 2], realCodes: [[0, 0]]) }
        #expect(try FlatHammingIndex().ranking(of: [3], realCodes: nil).neighbors.isEmpty)
    }
}
