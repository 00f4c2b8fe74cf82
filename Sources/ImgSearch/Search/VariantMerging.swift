import ImgSearchCore

/// How the results of an image's variants (itself, its mirror) become one list.
enum VariantMerging {
    /// The `options.k` images nearest to any of `codes`, each ranked by its
    /// nearest variant: (Hamming distance, real distance) of the closest,
    /// every variant after the first with `options.variantPenalty` added to
    /// its Hamming distance and its real distance scaled by
    /// `QueryOptions.variantRealDistanceScale`; with `options.rerank` N, the
    /// first N of that order by (scaled) real distance alone.
    ///
    /// - Parameter kinds: what each code is (the image, its mirror, ...),
    ///   reported with the matches; nil when the caller's codes are unnamed.
    static func nearest(
        to codes: [SemanticCode], kinds: [QueryVariant]? = nil, options: QueryOptions, search: HashSearch,
        storage: any IndexStorage
    ) throws -> [QueryMatch] {
        let wanted = max(options.k, options.rerank)
        // Each image's best variant: its penalized distance, and the match.
        var nearest: [Int64: (penalized: Int, scaled: Float, found: RankedImage, variant: Int)] = [:]
        for (variant, code) in codes.enumerated() {
            let penalty = variant == 0 ? 0 : options.variantPenalty
            let scale = variant == 0 || options.variantPenalty == 0 ? 1 : QueryOptions.variantRealDistanceScale
            // Each variant's k nearest hold the merged k nearest: an image
            // among the merged first k is among the first k of the variant
            // that ranks it best (a penalty is the same for all of a
            // variant's results, so it keeps their order).
            for found in try search.nearest(hash: code.hash, code: code.code, k: wanted, radius: options.radius, store: storage) {
                let penalized = found.hamming + penalty, scaled = found.distance * scale
                if let known = nearest[found.record.id], (known.penalized, known.scaled) <= (penalized, scaled) {
                    continue
                }
                nearest[found.record.id] = (penalized, scaled, found, variant)
            }
        }
        var ranked = nearest.values
            .sorted { a, b in
                (a.penalized, a.scaled, a.found.record.id) < (b.penalized, b.scaled, b.found.record.id)
            }
        let reranked = min(options.rerank, ranked.count)
        ranked[0..<reranked].sort { a, b in (a.scaled, a.found.record.id) < (b.scaled, b.found.record.id) }
        return ranked.prefix(options.k).enumerated().map { rank, best in
            QueryMatch(rank: rank + 1, path: best.found.record.path, hamming: best.found.hamming,
                       distance: best.found.distance, variant: kinds.flatMap { best.variant < $0.count ? $0[best.variant] : nil })
        }
    }
}
