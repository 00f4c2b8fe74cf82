import Testing
@testable import ImgSearch

/// Eval's ranking through the Hamming index against the one it replaced:
/// every image's (Hamming distance, real-code distance, position) sorted,
/// the nearest variant's per image, the query itself last and dropped,
/// the first N re-sorted by real-code distance. Same order, same scores.
@Suite struct RetrievalRankingReferenceTests {
    /// The key-sort ranking eval used before, written plainly.
    static func oracle(
        database: RetrievalCodes, queries: [RetrievalCodes], query: Int, leavingOut: Int?, rerank: Int
    ) -> (positions: [Int], hammings: [UInt8]) {
        guard case .binary(let hashes, let realCodes) = database else { return ([], []) }
        var best = [(hamming: Int, real: Float)?](repeating: nil, count: hashes.count)
        for variant in queries {
            guard case .binary(let queryHashes, let queryRealCodes) = variant else { return ([], []) }
            for position in hashes.indices {
                let hamming = (hashes[position] ^ queryHashes[query]).nonzeroBitCount
                var real: Float = 0
                if let realCodes, let queryRealCodes {
                    for column in 0..<realCodes.columns {
                        let difference = realCodes[position, column] - queryRealCodes[query, column]
                        real += difference * difference
                    }
                    if real.isNaN { real = .infinity }
                }
                if let known = best[position], (known.hamming, known.real) <= (hamming, real) { continue }
                best[position] = (hamming, real)
            }
        }
        var order = hashes.indices.filter { $0 != leavingOut }
        order.sort { (best[$0]!.hamming, best[$0]!.real, $0) < (best[$1]!.hamming, best[$1]!.real, $1) }
        let end = min(rerank, order.count)
        order[0..<end].sort { (best[$0]!.real, $0) < (best[$1]!.real, $1) }
        return (order, order.map { UInt8(best[$0]!.hamming) })
    }

    /// Codes around a few centres, so that most share a distance, and real
    /// codes with exact repeats (equal real distances too) and one NaN.
    static func clustered(count: Int, bits: Int, dimension: Int, generator: inout SplitMix64) -> (hashes: [UInt32], real: Matrix) {
        let mask = UInt32((1 << bits) - 1)
        let centres = (0..<4).map { _ in UInt32(truncatingIfNeeded: generator.next()) & mask }
        let hashes = (0..<count).map { _ -> UInt32 in
            var hash = centres[Int(generator.next() % 4)]
            for _ in 0..<Int(generator.next() % 3) { hash ^= 1 << UInt32(generator.next() % UInt64(bits)) }
            return hash
        }
        var real = Matrix.gaussian(rows: count, columns: dimension, scale: 1, generator: &generator)
        for row in stride(from: 7, to: count, by: 11) {
            for column in 0..<dimension { real[row, column] = real[row - 7, column] }
        }
        real[count / 2, 0] = .nan
        return (hashes, real)
    }

    @Test(arguments: [false, true])
    func rankingMatchesTheKeySort(clusteredCodes: Bool) throws {
        var generator = SplitMix64(seed: clusteredCodes ? 31 : 13)
        let count = 600, dimension = 5, bits = clusteredCodes ? 30 : 6
        let (hashes, real): ([UInt32], Matrix)
        if clusteredCodes {
            (hashes, real) = Self.clustered(count: count, bits: bits, dimension: dimension, generator: &generator)
        } else {
            hashes = (0..<count).map { _ in UInt32(generator.next() & 0x3F) }
            real = Matrix.gaussian(rows: count, columns: dimension, scale: 1, generator: &generator)
        }
        let mirrorHashes = hashes.map { $0 ^ UInt32(generator.next() & 0x3) }
        let mirrorReal = Matrix.gaussian(rows: count, columns: dimension, scale: 1, generator: &generator)
        for withRealCodes in [true, false] {
            let database = RetrievalCodes.binary(hashes: hashes, realCodes: withRealCodes ? real : nil)
            let mirrored = RetrievalCodes.binary(hashes: mirrorHashes, realCodes: withRealCodes ? mirrorReal : nil)
            let ready = try RetrievalDatabase(database)
            for variants in [[database], [database, mirrored]] {
                for (leavingOut, rerank) in [(false, 0), (true, 0), (false, 40), (true, 40), (true, count)] {
                    for query in stride(from: 0, to: count, by: 37) {
                        let left = leavingOut ? query : nil
                        let ranking = try ready.ranking(queries: variants, query: query, leavingOut: left, rerank: rerank)
                        let expected = Self.oracle(database: database, queries: variants, query: query, leavingOut: left, rerank: rerank)
                        let context = "real \(withRealCodes), variants \(variants.count), left out \(leavingOut), rerank \(rerank), query \(query)"
                        #expect(ranking.positions == expected.positions, "\(context)")
                        #expect(ranking.hammings == expected.hammings, "\(context)")
                    }
                }
            }
        }
    }

    @Test func scoresMatchTheKeySort() throws {
        var generator = SplitMix64(seed: 5)
        let count = 300, dimension = 4
        let (hashes, real) = Self.clustered(count: count, bits: 30, dimension: dimension, generator: &generator)
        let labels = (0..<count).map { _ in Int(generator.next() % 5) }
        let database = RetrievalCodes.binary(hashes: hashes, realCodes: real)
        let mirrored = RetrievalCodes.binary(hashes: hashes.map { $0 ^ 1 }, realCodes: real)
        for (variants, leavingOut, rerank) in [([database], true, 0), ([database, mirrored], true, 0), ([database], false, 25)] {
            let scores = try RetrievalRanking.scores(
                database: database, databaseLabels: labels, queries: variants, queryLabels: labels,
                depth: 50, threads: 2, rerank: rerank, leavingOneOut: leavingOut)
            let left = leavingOut ? 1 : 0
            let cutoffs = QueryScores.cutoffs(count: count - left)
            let perQuery = (0..<count).map { query -> QueryScores in
                let ranked = Self.oracle(database: database, queries: variants, query: query,
                                         leavingOut: leavingOut ? query : nil, rerank: rerank)
                return QueryScores.measure(
                    isRelevant: ranked.positions.map { labels[$0] == labels[query] },
                    relevantTotal: labels.filter { $0 == labels[query] }.count - left, depth: 50, cutoffs: cutoffs,
                    hammingAtRank: ranked.hammings, queryIsRankedFirst: leavingOut)
            }
            #expect(scores == RetrievalScores(averaging: perQuery, depth: 50, cutoffs: cutoffs, isBinary: true))
        }
    }
}
