/// A point of a precision-recall curve: the first `cutoff` results of every
/// query's ranking, precision and recall averaged over the queries.
public struct PrecisionRecallPoint: Sendable, Equatable, Codable {
    /// Results looked at per query.
    public var cutoff: Int
    /// Relevant results among them over `cutoff`, averaged over the queries.
    public var precision: Double
    /// Relevant results among them over all relevant images, averaged over
    /// the queries (a query with no relevant image counts 0).
    public var recall: Double

    /// A point with these values.
    public init(cutoff: Int, precision: Double, recall: Double) {
        self.cutoff = cutoff
        self.precision = precision
        self.recall = recall
    }
}

/// One method's retrieval quality over a set of queries. An image is
/// relevant to a query when it has the query's label.
public struct RetrievalScores: Sendable, Equatable {
    /// mAP at ``depth``: per query, the mean of precision@i over the ranks
    /// i <= depth that hold a relevant image (0 when none does), averaged
    /// over the queries.
    public var meanAveragePrecision: Double
    /// The number of results mAP looks at (1000).
    public var depth: Int
    /// Precision of the first 1, 10 and 100 results (of fewer when the
    /// database is smaller), averaged over the queries.
    public var precisionAt1: Double
    /// See ``precisionAt1``.
    public var precisionAt10: Double
    /// See ``precisionAt1``.
    public var precisionAt100: Double
    /// The UKBench score of Nistér & Stewénius: how many of the first 4
    /// results share the query's label, averaged over the queries (at most
    /// 4, which with UKBench's groups of 4 is every photo of the object).
    /// The query itself counts, as it does in UKBench where it is one of the
    /// database images: leaving one out, it stands first and the first 3
    /// others follow.
    public var nisterSteweniusScore: Double
    /// Binary codes only: the precision of the results within Hamming
    /// distance 2, averaged over the queries that have any there.
    public var precisionWithinRadius2: Double?
    /// Binary codes only: the share of queries with any result within
    /// Hamming distance 2 (semantic hashing's address lookup finds nothing
    /// for the others).
    public var queriesWithResultsWithinRadius2: Double?
    /// Precision and recall at growing cutoffs, up to the whole database.
    public var precisionRecall: [PrecisionRecallPoint]
}

/// The scores of one query, summed over queries by ``RetrievalScores``.
struct QueryScores: Sendable {
    var averagePrecision = 0.0
    var precisionAt1 = 0.0, precisionAt10 = 0.0, precisionAt100 = 0.0
    /// Results of the query's label among the first 4, the query counted.
    var sameLabelInFirst4 = 0
    /// (results, relevant results) within Hamming distance 2.
    var withinRadius2: (found: Int, relevant: Int)?
    /// Relevant results among the first `cutoffs[i]`.
    var relevantAtCutoffs: [Int] = []
    var relevantTotal = 0

    /// Scores of one ranking.
    /// - Parameters:
    ///   - isRelevant: (database) whether the image at each rank, nearest
    ///     first, is relevant
    ///   - hammingAtRank: (database) the Hamming distance at each rank, for binary codes
    ///   - queryIsRankedFirst: the query was left out of the ranking, and
    ///     counts as the first result for the N-S score
    static func measure(isRelevant: [Bool], relevantTotal: Int, depth: Int, cutoffs: [Int],
                        hammingAtRank: [UInt8]?, queryIsRankedFirst: Bool = false) -> QueryScores {
        var scores = QueryScores()
        let othersInFirst4 = queryIsRankedFirst ? 3 : 4
        scores.sameLabelInFirst4 = (queryIsRankedFirst ? 1 : 0) + isRelevant.prefix(othersInFirst4).filter { $0 }.count
        scores.relevantTotal = relevantTotal
        let count = isRelevant.count
        var hits = 0, precisionSum = 0.0
        var nextCutoff = 0
        scores.relevantAtCutoffs = []
        scores.relevantAtCutoffs.reserveCapacity(cutoffs.count)
        var found = 0, relevantFound = 0
        for rank in 0..<count {
            if isRelevant[rank] {
                hits += 1
                if rank < depth { precisionSum += Double(hits) / Double(rank + 1) }
            }
            if let hammingAtRank, hammingAtRank[rank] <= 2 {
                found += 1
                if isRelevant[rank] { relevantFound += 1 }
            }
            let seen = rank + 1
            if seen == min(1, count) { scores.precisionAt1 = Double(hits) / Double(seen) }
            if seen == min(10, count) { scores.precisionAt10 = Double(hits) / Double(seen) }
            if seen == min(100, count) { scores.precisionAt100 = Double(hits) / Double(seen) }
            if seen == min(depth, count) {
                scores.averagePrecision = hits > 0 ? precisionSum / Double(hits) : 0
            }
            while nextCutoff < cutoffs.count, cutoffs[nextCutoff] == seen {
                scores.relevantAtCutoffs.append(hits)
                nextCutoff += 1
            }
        }
        if hammingAtRank != nil { scores.withinRadius2 = (found, relevantFound) }
        return scores
    }

    /// Cutoffs 1, 2, ... growing by about a fifth each, then `count`: about
    /// 60 points for 50,000 images, dense where precision changes fastest.
    static func cutoffs(count: Int) -> [Int] {
        var cutoffs: [Int] = []
        var cutoff = 1
        while cutoff < count {
            cutoffs.append(cutoff)
            cutoff = max(cutoff + 1, Int((Double(cutoff) * 1.2).rounded()))
        }
        if count > 0 { cutoffs.append(count) }
        return cutoffs
    }
}

extension RetrievalScores {
    /// The averages of `queries`' scores.
    init(averaging queries: [QueryScores], depth: Int, cutoffs: [Int], isBinary: Bool) {
        let n = Double(max(1, queries.count))
        meanAveragePrecision = queries.reduce(0) { $0 + $1.averagePrecision } / n
        self.depth = depth
        precisionAt1 = queries.reduce(0) { $0 + $1.precisionAt1 } / n
        precisionAt10 = queries.reduce(0) { $0 + $1.precisionAt10 } / n
        precisionAt100 = queries.reduce(0) { $0 + $1.precisionAt100 } / n
        nisterSteweniusScore = queries.reduce(0) { $0 + Double($1.sameLabelInFirst4) } / n
        if isBinary {
            let answered = queries.compactMap(\.withinRadius2).filter { $0.found > 0 }
            queriesWithResultsWithinRadius2 = Double(answered.count) / n
            precisionWithinRadius2 = answered.isEmpty ? 0
                : answered.reduce(0) { $0 + Double($1.relevant) / Double($1.found) } / Double(answered.count)
        }
        precisionRecall = cutoffs.enumerated().map { index, cutoff in
            var precision = 0.0, recall = 0.0
            for query in queries where index < query.relevantAtCutoffs.count {
                let relevant = Double(query.relevantAtCutoffs[index])
                precision += relevant / Double(cutoff)
                if query.relevantTotal > 0 { recall += relevant / Double(query.relevantTotal) }
            }
            return PrecisionRecallPoint(cutoff: cutoff, precision: precision / n, recall: recall / n)
        }
    }
}
