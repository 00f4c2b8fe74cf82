internal import CImgSearchHamming

extension HammingCodeStore {
    /// The codes at or inside the k-th merged distance from a query given
    /// as several variants, ties included (up to `tieLimit`, past which the
    /// k nearest by (distance, id)), ordered by (distance, id): each code's
    /// merged distance is the smallest, over the variants within `radius` of
    /// it, of its Hamming distance to the variant plus the variant's penalty.
    ///
    /// The same codes as searching each variant on its own with its ties
    /// (`nearestWithTies`) and keeping, of the union, those within the k-th
    /// smallest merged distance: a code inside that bound is inside its
    /// nearest variant's own k-th distance, since every code nearer to that
    /// variant is nearer in merged distance too. One pass over the codes
    /// for the counts and one to collect, however many variants (plain
    /// layout only: the one-shot query path's).
    func mergedSearchWithTies(
        _ queries: [UInt32], penalties: [Int], k wanted: Int, radius: Int?, tieLimit: Int
    ) throws(HammingIndexError) -> [HammingNeighbor] {
        guard layout == .plain else { throw .invalidArgument("a merged search needs the plain layout") }
        guard queries.count == penalties.count, !queries.isEmpty else {
            throw .invalidArgument("\(queries.count) queries for \(penalties.count) penalties")
        }
        for query in queries { try checkQuery(query, realCode: nil) }
        guard penalties.allSatisfy({ (0...32).contains($0) }) else {
            throw .invalidArgument("penalties must be 0 ... 32: \(penalties)")
        }
        guard wanted >= 0 else { throw .invalidArgument("k is \(wanted); it must be 0 or more") }
        if let radius, radius < 0 { throw .invalidArgument("radius is \(radius); it must be 0 or more") }
        let k = min(wanted, count)
        guard k > 0 else { return [] }
        let none = Int(IMGSEARCH_HAMMING_MERGED_NONE)
        let radiusBound = UInt32(min(radius ?? 32, 32))
        let penaltyWords = penalties.map { UInt32($0) }
        let level = kernel.level

        if let found = shrinkingBoundSearch(queries, penalties: penaltyWords, k: k, radius: radiusBound, tieLimit: tieLimit) {
            return found
        }
        var counts = [UInt64](repeating: 0, count: none + 1)
        codes.withUnsafeBufferPointer { codes in
            imgsearch_hamming_plain_merged_histogram(
                codes.baseAddress, codes.count, queries, penaltyWords, queries.count, radiusBound, &counts, level)
        }
        // The k-th merged distance, or every reachable code when fewer.
        var bound = none - 1
        var running: UInt64 = 0
        for distance in 0..<none {
            running += counts[distance]
            if running >= UInt64(k) {
                bound = distance
                break
            }
        }
        let total = Int(counts[0...bound].reduce(0, +))
        guard total > 0 else { return [] }
        var neighbours = [HammingNeighbor]()
        neighbours.reserveCapacity(total)
        codes.withUnsafeBufferPointer { codes in
            let positions = UnsafeMutablePointer<UInt32>.allocate(capacity: total)
            let distances = UnsafeMutablePointer<UInt8>.allocate(capacity: total)
            defer {
                positions.deallocate()
                distances.deallocate()
            }
            let found = imgsearch_hamming_plain_merged_collect(
                codes.baseAddress, codes.count, queries, penaltyWords, queries.count, radiusBound, UInt32(bound),
                positions, distances, total, level)
            for index in 0..<found {
                neighbours.append(HammingNeighbor(id: id(at: Int(positions[index])), distance: Int(distances[index])))
            }
        }
        neighbours.sort { ($0.distance, $0.id) < ($1.distance, $1.id) }
        // A degenerate index (most codes at one distance): the k nearest alone.
        if neighbours.count > max(tieLimit, k) { neighbours.removeSubrange(k...) }
        return neighbours
    }

    /// The same answer in one pass (`imgsearch_hamming_plain_merged_nearest`:
    /// the admission bound shrinks to the k-th distance seen so far), or
    /// nil when more codes tie at the bound than the buffer holds, when the
    /// two passes above (a histogram, then a collect of exactly that many)
    /// take over.
    private func shrinkingBoundSearch(
        _ queries: [UInt32], penalties: [UInt32], k: Int, radius: UInt32, tieLimit: Int
    ) -> [HammingNeighbor]? {
        let capacity = min(count, max(4 * k, 8192))
        let positions = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
        let distances = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer {
            positions.deallocate()
            distances.deallocate()
        }
        let found = codes.withUnsafeBufferPointer { codes in
            imgsearch_hamming_plain_merged_nearest(
                codes.baseAddress, codes.count, queries, penalties, queries.count, radius, k, positions, distances,
                capacity, kernel.level)
        }
        guard found != IMGSEARCH_HAMMING_MERGED_OVERFLOW else { return nil }
        var neighbours = (0..<found).map { HammingNeighbor(id: id(at: Int(positions[$0])), distance: Int(distances[$0])) }
        neighbours.sort { ($0.distance, $0.id) < ($1.distance, $1.id) }
        if neighbours.count > max(tieLimit, k) { neighbours.removeSubrange(k...) }
        return neighbours
    }
}
