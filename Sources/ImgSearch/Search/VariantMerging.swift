import ImgSearchCore

/// How the results of an image's variants (itself, its mirror) become one list.
enum VariantMerging {
    /// The `options.k` images nearest to any of `codes`, each ranked by its
    /// nearest variant: (Hamming distance, real distance) of the closest,
    /// every variant after the first with `options.variantPenalty` added to
    /// its Hamming distance; with `options.rerank` N, the first N of that
    /// order by real distance alone.
    static func nearest(
        to codes: [SemanticCode], options: QueryOptions, search: HashSearch, storage: any IndexStorage
    ) throws -> [QueryMatch] {
        let wanted = max(options.k, options.rerank)
        // Each image's best variant: its penalized distance, and the match.
        var nearest: [Int64: (penalized: Int, found: RankedImage)] = [:]
        for (variant, code) in codes.enumerated() {
            let penalty = variant == 0 ? 0 : options.variantPenalty
            // Each variant's k nearest hold the merged k nearest: an image
            // among the merged first k is among the first k of the variant
            // that ranks it best (a penalty is the same for all of a
            // variant's results, so it keeps their order).
            for found in try search.nearest(hash: code.hash, code: code.code, k: wanted, radius: options.radius, store: storage) {
                let penalized = found.hamming + penalty
                if let known = nearest[found.record.id],
                   (known.penalized, known.found.distance) <= (penalized, found.distance) {
                    continue
                }
                nearest[found.record.id] = (penalized, found)
            }
        }
        var ranked = nearest.values
            .sorted { a, b in
                (a.penalized, a.found.distance, a.found.record.id) < (b.penalized, b.found.distance, b.found.record.id)
            }
            .map(\.found)
        let reranked = min(options.rerank, ranked.count)
        ranked[0..<reranked].sort { a, b in (a.distance, a.record.id) < (b.distance, b.record.id) }
        return ranked.prefix(options.k).enumerated().map { rank, found in
            QueryMatch(rank: rank + 1, path: found.record.path, hamming: found.hamming, distance: found.distance)
        }
    }
}
