import ImgSearchCore

/// How the results of an image's variants (itself, its mirror) become one list.
enum VariantMerging {
    /// The `options.k` images nearest to any of `codes`, each ranked by its
    /// nearest variant: (Hamming distance, real distance) of the closest;
    /// with `options.rerank` N, the first N of that order by real distance alone.
    static func nearest(
        to codes: [SemanticCode], options: QueryOptions, search: HashSearch, storage: any IndexStorage
    ) throws -> [QueryMatch] {
        let wanted = max(options.k, options.rerank)
        var nearest: [Int64: RankedImage] = [:]
        for code in codes {
            // Each variant's k nearest hold the merged k nearest: an image
            // among the merged first k is among the first k of the variant
            // that ranks it best.
            for found in try search.nearest(hash: code.hash, code: code.code, k: wanted, radius: options.radius, store: storage) {
                if let known = nearest[found.record.id], (known.hamming, known.distance) <= (found.hamming, found.distance) {
                    continue
                }
                nearest[found.record.id] = found
            }
        }
        var ranked = nearest.values
            .sorted { a, b in (a.hamming, a.distance, a.record.id) < (b.hamming, b.distance, b.record.id) }
        let reranked = min(options.rerank, ranked.count)
        ranked[0..<reranked].sort { a, b in (a.distance, a.record.id) < (b.distance, b.record.id) }
        return ranked.prefix(options.k).enumerated().map { rank, found in
            QueryMatch(rank: rank + 1, path: found.record.path, hamming: found.hamming, distance: found.distance)
        }
    }
}
