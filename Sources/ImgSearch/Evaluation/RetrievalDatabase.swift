import ImgSearchHashing
import ImgSearchLinearAlgebra

/// A database's codes made ready to be ranked for many queries.
///
/// Binary codes go once into a ``FlatHammingIndex`` (each id the image's
/// database position), the family `query` and `dupes` search with, and
/// every query asks it for the whole database in rank order
/// (`FlatHammingIndex.ranking(of:realCodes:)`): Hamming distances from its
/// scan, ties by the real codes when the database and every variant of the
/// query have them, else by position, each image at its nearest variant.
/// Leaving the query out and re-ranking by real code are done here, on
/// that order. Real-valued codes are not Hamming codes: they rank by one
/// packed sort key per image (``RankingKeys``).
struct RetrievalDatabase: Sendable {
    private enum Codes: Sendable {
        case binary(FlatHammingIndex)
        case real(RetrievalCodes)
    }

    /// One query's ranking of the database.
    struct Ranking {
        /// Database positions, nearest first.
        var positions: [Int]
        /// The Hamming distance at each rank; nil for real-valued codes.
        var hammings: [UInt8]?
    }

    private let codes: Codes
    /// Images in the database.
    let count: Int

    init(_ database: RetrievalCodes) throws {
        count = database.count
        switch database {
        case .binary(let hashes, let realCodes):
            // 32 bits: a hash's width does not change its distances.
            var index = try FlatHammingIndex(bitCount: 32, realCodeDimension: realCodes?.columns ?? 0)
            try index.add(hashes, ids: Array(0..<Int64(hashes.count)), realCodes: realCodes?.elements)
            codes = .binary(index)
        default:
            codes = .real(database)
        }
    }

    /// The database ranked for query `query` of `queries`.
    ///
    /// - Parameters:
    ///   - queries: the query's variants, coded as the database is; each
    ///     image ranks by its nearest variant
    ///   - leavingOut: a database position left out of the ranking (the
    ///     query itself, when the queries are the database)
    ///   - rerank: binary codes: the first `rerank` results reordered by
    ///     real-code distance alone (of the variant they ranked by), then position
    ///   - variantPenalty: binary codes: bits added to the distances of
    ///     every variant after the first (the transformed copies), and
    ///     their real distances scaled, as ``QueryOptions/variantPenalty``;
    ///     real-valued codes ignore it
    ///   - colour: binary codes: the colour term added to the real distance
    ///     in the re-ranked first `rerank` (``QueryOptions/colourWeight``)
    func ranking(
        queries: [RetrievalCodes], query: Int, leavingOut: Int? = nil, rerank: Int = 0, variantPenalty: Int = 0,
        colour: ColourRerank? = nil
    ) throws -> Ranking {
        switch codes {
        case .binary(let index):
            var hashes: [UInt32] = []
            var realCodes: [[Float]]? = index.realCodeDimension > 0 ? [] : nil
            for variant in queries {
                guard case .binary(let queryHashes, let queryRealCodes) = variant else {
                    throw EvaluationError("the database has binary codes and a query does not")
                }
                hashes.append(queryHashes[query])
                if let queryRealCodes { realCodes?.append(queryRealCodes.row(query)) } else { realCodes = nil }
            }
            let penalties = [0] + [Int](repeating: variantPenalty, count: hashes.count - 1)
            // Squared distances: the square of the product's factor on Euclidean ones.
            let scale = variantPenalty > 0 ? QueryOptions.variantRealDistanceScale * QueryOptions.variantRealDistanceScale : 1
            let ranked = try index.ranking(
                of: hashes, realCodes: realCodes, penalties: penalties,
                realScales: [1] + [Float](repeating: scale, count: hashes.count - 1))
            var positions = ranked.neighbors.map { Int($0.id) }
            var hammings = ranked.neighbors.map { UInt8($0.distance) }
            var realDistances = ranked.realDistances
            if let leavingOut, let rank = positions.firstIndex(of: leavingOut) {
                positions.remove(at: rank)
                hammings.remove(at: rank)
                if !realDistances.isEmpty { realDistances.remove(at: rank) }
            }
            let end = min(rerank, positions.count)
            if end > 1 {
                // The Hamming search picks the candidates, the real code (and
                // colour) ranks them, with Euclidean distances as `query` adds them.
                let keys = (0..<end).map { rank -> Float in
                    let real = realDistances.isEmpty ? 0 : realDistances[rank].squareRoot()
                    return real + (colour?.term(position: positions[rank], query: query) ?? 0)
                }
                let order = (0..<end).sorted { (keys[$0], positions[$0]) < (keys[$1], positions[$1]) }
                let firstPositions = order.map { positions[$0] }, firstHammings = order.map { hammings[$0] }
                positions.replaceSubrange(0..<end, with: firstPositions)
                hammings.replaceSubrange(0..<end, with: firstHammings)
            }
            return Ranking(positions: positions, hammings: hammings)
        case .real(let database):
            var keys = [UInt64](repeating: 0, count: count)
            for (index, variant) in queries.enumerated() {
                RankingKeys.fill(&keys, database: database, queries: variant, query: query, merge: index > 0)
            }
            if let leavingOut {
                // Keys are distinct and below the maximum: the one left out sorts last.
                keys[leavingOut] = .max
            }
            keys.sort()
            if leavingOut != nil { keys.removeLast() }
            return Ranking(positions: keys.map(RankingKeys.position), hammings: nil)
        }
    }
}
