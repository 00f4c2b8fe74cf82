/// Ranks a whole database for every query and measures the rankings.
///
/// Every query ranks every database image (an exact, exhaustive ranking:
/// this is the oracle the quality figures come from, not a fast path), by
/// one packed sort key per image (``RankingKeys``), so the cost is one
/// integer sort of the database per query.
public enum RetrievalRanking {
    /// The scores of ranking `database` for each query.
    ///
    /// - Parameters:
    ///   - database: the database's codes
    ///   - databaseLabels: (database count) a label number per image
    ///   - queries: one or more variants of the queries' codes (the image
    ///     and its mirror); each database image ranks by its nearest variant
    ///   - queryLabels: (query count)
    ///   - depth: the number of results mAP looks at
    ///   - threads: queries are shared out over this many threads
    ///   - rerank: binary codes with real codes: the first `rerank` results
    ///     by Hamming distance are reordered by real-code distance alone
    ///     (0: no re-ranking)
    ///   - leavingOneOut: the queries are the database images themselves,
    ///     query i being database image i: each ranks the others, itself
    ///     left out (and not counted among its relevant images)
    public static func scores(
        database: RetrievalCodes, databaseLabels: [Int], queries: [RetrievalCodes], queryLabels: [Int],
        depth: Int = 1000, threads: Int = 2, rerank: Int = 0, leavingOneOut: Bool = false
    ) throws -> RetrievalScores {
        let count = database.count
        guard count == databaseLabels.count, count <= RankingKeys.maximumDatabaseCount else {
            throw EvaluationError("\(count) database codes for \(databaseLabels.count) labels (at most \(RankingKeys.maximumDatabaseCount))")
        }
        guard !queries.isEmpty,
              queries.allSatisfy({ $0.count == queryLabels.count && $0.isBinary == database.isBinary }) else {
            throw EvaluationError("query codes do not match the \(queryLabels.count) query labels or the database's kind")
        }
        guard queries.allSatisfy({ $0.isCoded(like: database) }) else {
            throw EvaluationError("query codes are ranked by another distance than the database's")
        }
        if leavingOneOut, queryLabels != databaseLabels {
            throw EvaluationError("leaving one out needs the database's own images as the queries")
        }
        var relevantTotals: [Int: Int] = [:]
        for label in databaseLabels { relevantTotals[label, default: 0] += 1 }
        let left = leavingOneOut ? 1 : 0
        let cutoffs = QueryScores.cutoffs(count: count - left)
        let isBinary = database.isBinary
        let totals = relevantTotals
        let perQuery = Array(0..<queryLabels.count).parallelMap(threads: threads) { query -> QueryScores in
            var keys = [UInt64](repeating: 0, count: count)
            for (index, variant) in queries.enumerated() {
                RankingKeys.fill(&keys, database: database, queries: variant, query: query, merge: index > 0)
            }
            if leavingOneOut {
                // Keys are distinct and below the maximum: the query's own sorts last.
                keys[query] = .max
            }
            keys.sort()
            if leavingOneOut { keys.removeLast() }
            RankingKeys.rerank(&keys, first: rerank)
            let label = queryLabels[query]
            let isRelevant = keys.map { databaseLabels[RankingKeys.position($0)] == label }
            let hammings = isBinary ? keys.map { UInt8(RankingKeys.hamming($0)) } : nil
            return QueryScores.measure(
                isRelevant: isRelevant, relevantTotal: (totals[label] ?? 0) - left, depth: depth, cutoffs: cutoffs,
                hammingAtRank: hammings, queryIsRankedFirst: leavingOneOut)
        }
        return RetrievalScores(averaging: perQuery, depth: depth, cutoffs: cutoffs, isBinary: isBinary)
    }

    /// The database positions in rank order for one query (nearest first),
    /// the first `k` of them; for near-duplicate checks and tests.
    public static func nearest(
        _ k: Int, database: RetrievalCodes, queries: [RetrievalCodes], query: Int, rerank: Int = 0
    ) -> [Int] {
        var keys = [UInt64](repeating: 0, count: database.count)
        for (index, variant) in queries.enumerated() {
            RankingKeys.fill(&keys, database: database, queries: variant, query: query, merge: index > 0)
        }
        keys.sort()
        RankingKeys.rerank(&keys, first: rerank)
        return keys.prefix(k).map(RankingKeys.position)
    }
}
