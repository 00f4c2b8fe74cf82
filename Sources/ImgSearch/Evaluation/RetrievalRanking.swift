/// Ranks a whole database for every query and measures the rankings.
///
/// Every query ranks every database image (an exact, exhaustive ranking:
/// the precision-recall curve runs to the whole database). Binary codes
/// rank through the Hamming index family, as `imgsearch query` ranks
/// (``RetrievalDatabase``): one scan and a counting sort by distance per
/// query, the real codes ordering each distance's ties.
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
    ///   - variantPenalty: binary codes: bits added to the distances of
    ///     every query variant after the first (``QueryOptions/variantPenalty``)
    ///   - leavingOneOut: the queries are the database images themselves,
    ///     query i being database image i: each ranks the others, itself
    ///     left out (and not counted among its relevant images)
    public static func scores(
        database: RetrievalCodes, databaseLabels: [Int], queries: [RetrievalCodes], queryLabels: [Int],
        depth: Int = 1000, threads: Int = 2, rerank: Int = 0, variantPenalty: Int = 0, leavingOneOut: Bool = false,
        colour: ColourRerank? = nil
    ) throws -> RetrievalScores {
        let count = database.count
        guard count == databaseLabels.count, count <= RankingKeys.maximumDatabaseCount else {
            throw EvaluationError("\(count) database codes for \(databaseLabels.count) labels (at most \(RankingKeys.maximumDatabaseCount))")
        }
        guard !queries.isEmpty,
              queries.allSatisfy({ $0.count == queryLabels.count }) else {
            throw EvaluationError("query codes do not match the \(queryLabels.count) query labels")
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
        let rankedDatabase = try RetrievalDatabase(database)
        let perQuery = Array(0..<queryLabels.count).parallelMap(threads: threads) { query in
            Result { () throws -> QueryScores in
                let ranking = try rankedDatabase.ranking(
                    queries: queries, query: query, leavingOut: leavingOneOut ? query : nil, rerank: rerank,
                    variantPenalty: variantPenalty, colour: colour)
                let label = queryLabels[query]
                return QueryScores.measure(
                    isRelevant: ranking.positions.map { databaseLabels[$0] == label },
                    relevantTotal: (totals[label] ?? 0) - left, depth: depth, cutoffs: cutoffs,
                    hammingAtRank: ranking.hammings, queryIsRankedFirst: leavingOneOut)
            }
        }
        let scores = try perQuery.map { try $0.get() }
        return RetrievalScores(averaging: scores, depth: depth, cutoffs: cutoffs, isBinary: isBinary)
    }

    /// The database positions in rank order for one query (nearest first),
    /// the first `k` of them; for near-duplicate checks and tests.
    public static func nearest(
        _ k: Int, database: RetrievalCodes, queries: [RetrievalCodes], query: Int, rerank: Int = 0, variantPenalty: Int = 0
    ) throws -> [Int] {
        try nearest(k, database: RetrievalDatabase(database), queries: queries, query: query, rerank: rerank,
                    variantPenalty: variantPenalty)
    }

    /// As above, on a database made ready once for many queries.
    static func nearest(
        _ k: Int, database: RetrievalDatabase, queries: [RetrievalCodes], query: Int, rerank: Int = 0, variantPenalty: Int = 0,
        colour: ColourRerank? = nil
    ) throws -> [Int] {
        Array(try database.ranking(queries: queries, query: query, rerank: rerank, variantPenalty: variantPenalty, colour: colour)
            .positions.prefix(k))
    }
}
