internal import CImgSearchHamming

/// Every code of an index in rank order for one query: what an evaluation
/// needs to score each rank down to the last, where `search(k:)` stops at k.
package struct HammingRanking: Sendable {
    /// Every code once, nearest first, ordered as `search(k: count)` orders
    /// them: (Hamming distance, real-code distance, id, position).
    package var neighbors: [HammingNeighbor]
    /// (count) the squared Euclidean distance between each ranked code's
    /// real-valued code and the query's, by rank (NaN counted as infinity);
    /// empty when ranked without real codes.
    package var realDistances: [Float]
}

extension FlatHammingIndex {
    /// The whole index ranked for a query given as one or more variants (an
    /// image and its mirror): each code at its nearest variant, the one with
    /// the smallest (Hamming distance, real-code distance).
    ///
    /// One scan per variant gives every code's distance; a counting sort on
    /// the `bitCount + 1` distances orders them, and only codes at the same
    /// distance are sorted further, by real code. With one variant the
    /// order is `search(query, k: count, realCode:)`'s.
    ///
    /// - Parameter variants: (v) query codes, v >= 1.
    /// - Parameter realCodes: (v) real-valued codes of realCodeDimension
    ///   values, one per variant, or nil to break ties by id.
    /// - Parameter penalties: (v) bits added to each variant's distances
    ///   before the nearest is taken (0 ... 64; nil: none), so that a
    ///   transformed copy of the query wins only where it is clearly nearer;
    ///   the ranking's distances include them.
    /// - Parameter realScales: (v) factors (> 0) on each variant's squared
    ///   real-code distances, for the same reason (nil: all 1); the
    ///   ranking's real distances include them.
    package func ranking(
        of variants: [UInt32], realCodes: [[Float]]?, penalties: [Int]? = nil, realScales: [Float]? = nil
    ) throws(HammingIndexError) -> HammingRanking {
        try store.ranking(of: variants, realCodes: realCodes, penalties: penalties, realScales: realScales)
    }
}

extension HammingCodeStore {
    func ranking(
        of variants: [UInt32], realCodes variantCodes: [[Float]]?, penalties: [Int]? = nil, realScales: [Float]? = nil
    ) throws(HammingIndexError) -> HammingRanking {
        guard !variants.isEmpty else { throw .invalidArgument("a ranking needs at least one query code") }
        let penalties = penalties ?? [Int](repeating: 0, count: variants.count)
        guard penalties.count == variants.count else {
            throw .countMismatch(what: "penalties for \(variants.count) query codes", expected: variants.count, found: penalties.count)
        }
        guard penalties.allSatisfy({ (0...64).contains($0) }) else {
            throw .invalidArgument("variant penalties \(penalties); each must be 0 ... 64")
        }
        let realScales = realScales ?? [Float](repeating: 1, count: variants.count)
        guard realScales.count == variants.count else {
            throw .countMismatch(what: "real-distance scales for \(variants.count) query codes", expected: variants.count,
                                 found: realScales.count)
        }
        guard realScales.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw .invalidArgument("real-distance scales \(realScales); each must be positive and finite")
        }
        if let variantCodes, variantCodes.count != variants.count {
            throw .countMismatch(what: "real-valued codes for \(variants.count) query codes",
                                 expected: variants.count, found: variantCodes.count)
        }
        for (index, variant) in variants.enumerated() { try checkQuery(variant, realCode: variantCodes?[index]) }
        let count = self.count
        guard count > 0 else { return HammingRanking(neighbors: [], realDistances: []) }
        let withRealCodes = variantCodes != nil && realCodeDimension > 0
        // By position: the distance to the nearest variant, and its real-code distance.
        var distances = [UInt8](repeating: .max, count: count)
        var realDistances = [Float](repeating: .infinity, count: withRealCodes ? count : 0)
        let found = UnsafeMutablePointer<UInt32>.allocate(capacity: count)
        let foundDistances = UnsafeMutablePointer<UInt8>.allocate(capacity: count)
        defer {
            found.deallocate()
            foundDistances.deallocate()
        }
        for (index, variant) in variants.enumerated() {
            // Radius bitCount: every code, with its distance, in position order.
            var result = imgsearch_hamming_result(
                positions: found, distances: foundDistances, capacity: count, count: 0, total: 0,
                bound: UInt32(bitCount), k: 0, codes_compared: 0, buckets_probed: 0)
            scan(variant, into: &result)
            let stored = UnsafeBufferPointer(start: found, count: result.count)
            if penalties[index] > 0 {
                // At most 32 + 64: no overflow in a byte.
                let penalty = UInt8(penalties[index])
                for entry in 0..<result.count { foundDistances[entry] &+= penalty }
            }
            if let realQuery = variantCodes?[index], withRealCodes {
                mergeNearest(stored, foundDistances, realQuery: realQuery, scale: realScales[index],
                             into: &distances, &realDistances)
            } else {
                for (entry, position) in stored.enumerated() {
                    distances[Int(position)] = min(distances[Int(position)], foundDistances[entry])
                }
            }
        }
        return order(distances: distances, realDistances: realDistances, largest: bitCount + penalties.max()!)
    }

    /// Keeps, for each position, the smaller of its (distance, real distance)
    /// so far and this variant's.
    private func mergeNearest(
        _ positions: UnsafeBufferPointer<UInt32>, _ found: UnsafeMutablePointer<UInt8>, realQuery: [Float], scale: Float,
        into distances: inout [UInt8], _ realDistances: inout [Float]
    ) {
        let dimension = realCodeDimension
        realCodes.withUnsafeBufferPointer { realCodes in
            realQuery.withUnsafeBufferPointer { query in
                for (entry, position) in positions.enumerated() {
                    let position = Int(position)
                    let row = realCodes.baseAddress! + position * dimension
                    var sum: Float = 0
                    for value in 0..<dimension {
                        let difference = row[value] - query[value]
                        sum += difference * difference
                    }
                    let real = sum.isNaN ? Float.infinity : sum * scale  // NaN would break the ordering
                    let distance = found[entry]
                    if (distance, real) < (distances[position], realDistances[position]) {
                        distances[position] = distance
                        realDistances[position] = real
                    }
                }
            }
        }
    }

    /// Positions in rank order: a counting sort by distance (stable, so in
    /// position order), then each distance's run sorted by real distance and id.
    private func order(distances: [UInt8], realDistances: [Float], largest: Int) -> HammingRanking {
        let count = distances.count
        var starts = [Int](repeating: 0, count: largest + 2)
        for distance in distances { starts[Int(distance) + 1] += 1 }
        for distance in 1..<starts.count { starts[distance] += starts[distance - 1] }
        var next = starts
        var ranked = [UInt32](repeating: 0, count: count)
        for (position, distance) in distances.enumerated() {
            ranked[next[Int(distance)]] = UInt32(position)
            next[Int(distance)] += 1
        }
        let withRealCodes = !realDistances.isEmpty
        // Ids that never decrease with position order ties as positions do.
        let idsFollowPositions = idsArePositions || (1..<max(1, count)).allSatisfy { id(at: $0 - 1) <= id(at: $0) }
        for distance in 0...largest where starts[distance + 1] - starts[distance] > 1 {
            let run = starts[distance]..<starts[distance + 1]
            if withRealCodes, idsFollowPositions {
                // (real distance, position) packed: non-negative floats order
                // like their bit patterns, so one integer sort does it.
                var keys = ranked[run].map { UInt64(realDistances[Int($0)].bitPattern) << 32 | UInt64($0) }
                keys.sort()
                for (offset, key) in keys.enumerated() { ranked[run.lowerBound + offset] = UInt32(truncatingIfNeeded: key) }
            } else if !idsFollowPositions {
                ranked[run].sort { a, b in
                    let tieA = withRealCodes ? realDistances[Int(a)] : 0, tieB = withRealCodes ? realDistances[Int(b)] : 0
                    return (tieA, id(at: Int(a)), a) < (tieB, id(at: Int(b)), b)
                }
            }
        }
        return HammingRanking(
            neighbors: ranked.map { HammingNeighbor(id: id(at: Int($0)), distance: Int(distances[Int($0)])) },
            realDistances: withRealCodes ? ranked.map { realDistances[Int($0)] } : [])
    }
}
