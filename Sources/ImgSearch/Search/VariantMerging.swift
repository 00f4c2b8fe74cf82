import ImgSearchCore
import ImgSearchImaging

/// How the results of an image's variants (itself, its mirror) become one list.
enum VariantMerging {
    /// The `options.k` images nearest to any of `codes`, each ranked by its
    /// nearest variant: (Hamming distance, real distance) of the closest,
    /// every variant after the first with `options.variantPenalty` added to
    /// its Hamming distance and its real distance scaled by
    /// `QueryOptions.variantRealDistanceScale`; with `options.rerank` N, the
    /// first N of that order by (scaled) real distance plus the colour term
    /// (``ColourDistance``, `options.colourWeight`).
    ///
    /// - Parameter kinds: what each code is (the image, its mirror, ...),
    ///   reported with the matches; nil when the caller's codes are unnamed.
    /// - Parameter colours: the query's thumbnail histograms (the image's,
    ///   then its trimmed copy's); empty: no colour term. The term is left
    ///   out too when a shortlisted row has no histogram (an index written
    ///   before they were stored, until `index` runs again), so that every
    ///   candidate is ranked alike.
    static func nearest(
        to codes: [SemanticCode], kinds: [QueryVariant]? = nil, colours: [ColourHistogram] = [], options: QueryOptions,
        search: HashSearch, storage: any IndexStorage
    ) throws -> [QueryMatch] {
        let wanted = max(options.k, options.rerank)
        // One pass over the hashes for every variant gives each image's
        // nearest variant's penalized distance and exactly the images at or
        // inside the merged `wanted`-th one (with their ties); only those
        // are read from the database, each once.
        let penalties = codes.indices.map { $0 == 0 ? 0 : options.variantPenalty }
        let merged = try search.mergedCandidates(
            hashes: codes.map(\.hash), penalties: penalties, k: wanted, radius: options.radius)
        guard !merged.isEmpty else { return [] }
        var ranked: [(penalized: Int, scaled: Float, found: RankedImage, variant: Int)] = []
        ranked.reserveCapacity(merged.count)
        for record in try storage.records(ids: Array(merged.keys)) {
            guard let penalized = merged[record.id] else { continue }
            // Of the variants at the image's smallest penalized distance, the nearest in the real code.
            var best: (scaled: Float, variant: Int, hamming: Int, distance: Float)?
            for (variant, code) in codes.enumerated() {
                let hamming = (record.hash ^ code.hash).nonzeroBitCount
                guard hamming + penalties[variant] == penalized, hamming <= (options.radius ?? Int.max) else { continue }
                let distance = HashSearch.euclidean(record.code, code.code)
                let scaled = variant == 0 || options.variantPenalty == 0
                    ? distance : distance * QueryOptions.variantRealDistanceScale
                if best == nil || (scaled, variant) < (best!.scaled, best!.variant) {
                    best = (scaled, variant, hamming, distance)
                }
            }
            // None when the row changed under the hashes loaded (a new snapshot): left out.
            guard let best else { continue }
            ranked.append((penalized, best.scaled,
                           RankedImage(record: record, hamming: best.hamming, distance: best.distance), best.variant))
        }
        ranked.sort { a, b in (a.penalized, a.scaled, a.found.record.id) < (b.penalized, b.scaled, b.found.record.id) }
        let reranked = min(options.rerank, ranked.count)
        let shortlist = ranked[0..<reranked]
        let queryShares = colours.map(\.shares)
        if options.colourWeight > 0, !queryShares.isEmpty, shortlist.allSatisfy({ $0.found.record.colour != nil }) {
            for rank in 0..<reranked {
                ranked[rank].scaled += ColourDistance.term(
                    weight: options.colourWeight, candidate: ranked[rank].found.record.colour!.shares, query: queryShares)
            }
        }
        ranked[0..<reranked].sort { a, b in (a.scaled, a.found.record.id) < (b.scaled, b.found.record.id) }
        return ranked.prefix(options.k).enumerated().map { rank, best in
            QueryMatch(rank: rank + 1, path: best.found.record.path, hamming: best.found.hamming,
                       distance: best.found.distance, variant: kinds.flatMap { best.variant < $0.count ? $0[best.variant] : nil },
                       id: best.found.record.id)
        }
    }
}
