internal import CImgSearchHamming

extension HammingCodeStore {
    /// A probe search over an index's hash tables: fills `result` as the C
    /// scan does and returns true, or returns false when scanning is cheaper.
    typealias Probe = (_ query: UInt32, _ result: inout CandidateResult) -> Bool

    /// The search every index runs: the probe when there is one, the scan
    /// otherwise or when the probe gives up, then the ranking.
    ///
    /// The C side collects every code at distance <= the final bound (the k-th
    /// distance, or the radius), ties included; this side orders them.
    func search(
        _ query: UInt32, mode: HammingSearchMode, realCode: [Float]?,
        statistics: inout HammingSearchStatistics, probe: Probe? = nil
    ) throws(HammingIndexError) -> [HammingNeighbor] {
        try checkQuery(query, realCode: realCode)
        var k: Int  // 0 for a radius search, as in the C result
        var bound: Int
        var limit: Int
        // With ties kept: past this many candidates, the k nearest alone.
        var tieLimit = Int.max
        switch mode {
        case .nearest(let wanted):
            guard wanted >= 0 else { throw .invalidArgument("k is \(wanted); it must be 0 or more") }
            k = min(wanted, count)
            bound = bitCount
            limit = k
        case .within(let radius):
            guard radius >= 0 else { throw .invalidArgument("radius is \(radius); it must be 0 or more") }
            k = 0
            bound = min(radius, bitCount)
            limit = count
        case .nearestWithTies(let wanted, let radius, let cap):
            guard wanted >= 0 else { throw .invalidArgument("k is \(wanted); it must be 0 or more") }
            if let radius, radius < 0 { throw .invalidArgument("radius is \(radius); it must be 0 or more") }
            k = min(wanted, count)
            bound = min(radius ?? bitCount, bitCount)
            limit = count
            tieLimit = max(cap, k)
        }
        statistics.queries += 1
        guard limit > 0 else { return [] }
        // Room for the k nearest plus ties (never more than there are codes);
        // the C side says when that was too little.
        var capacity = min(max(1024, 4 * k), count)
        while true {
            let positions = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
            let distances = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            defer {
                positions.deallocate()
                distances.deallocate()
            }
            var result = imgsearch_hamming_result(
                positions: positions, distances: distances, capacity: capacity, count: 0, total: 0,
                bound: UInt32(bound), k: UInt32(k), codes_compared: 0, buckets_probed: 0)
            let probed = probe?(query, &result) ?? false
            if !probed {
                if probe != nil { statistics.scanFallbacks += 1 }
                scan(query, into: &result)
            }
            statistics.codesCompared += Int(result.codes_compared)
            statistics.bucketsProbed += Int(result.buckets_probed)
            if result.count >= result.total {
                if result.total > tieLimit { limit = k }
                return rank(
                    positions: UnsafeBufferPointer(start: positions, count: result.count),
                    distances: UnsafeBufferPointer(start: distances, count: result.count),
                    realQuery: realCodeDimension > 0 ? realCode : nil, limit: limit)
            }
            // More codes tie at the boundary than there was room for: collect
            // exactly those within the bound now known.
            statistics.retries += 1
            capacity = result.total
            k = 0
            bound = Int(result.bound)
        }
    }

    /// The exhaustive scan, for one query.
    func scan(_ query: UInt32, into result: inout imgsearch_hamming_result) {
        guard layout == .bitSliced else { return scanPlain(query, into: &result) }
        let level = kernel.level
        let count = self.count
        let planeCount = Int32(self.planeCount)
        planes.withUnsafeBufferPointer { planes in
            imgsearch_hamming_scan(planes.baseAddress, planeCount, count, 0, Int.max, query, &result, level)
        }
    }

    /// The scan of plain codes, with the result the sliced scan gives: one
    /// pass counts the codes at each distance, which gives the k-th distance
    /// and how many lie within the bound, and a second collects them.
    private func scanPlain(_ query: UInt32, into result: inout imgsearch_hamming_result) {
        let level = kernel.level
        var counts = [UInt64](repeating: 0, count: 33)
        codes.withUnsafeBufferPointer { codes in
            imgsearch_hamming_plain_histogram(codes.baseAddress, codes.count, query, &counts, level)
        }
        var bound = Int(result.bound)
        if result.k > 0 {
            var running: UInt64 = 0
            for distance in 0...bound {
                running += counts[distance]
                if running >= UInt64(result.k) {
                    bound = distance
                    break
                }
            }
        }
        let total = counts[0...bound].reduce(0, +)
        let stored = codes.withUnsafeBufferPointer { codes in
            imgsearch_hamming_plain_collect(codes.baseAddress, codes.count, query, UInt32(bound),
                                            result.positions, min(result.capacity, Int(total)), level)
        }
        codes.withUnsafeBufferPointer { codes in
            for index in 0..<stored {
                result.distances[index] = UInt8((codes[Int(result.positions[index])] ^ query).nonzeroBitCount)
            }
        }
        result.count = stored
        result.total = Int(total)
        result.codes_compared += UInt64(codes.count)
        result.bound = UInt32(bound)
    }

    /// Orders candidates by distance, then real-code distance, then id, then
    /// position, and keeps the first `limit`.
    private func rank(
        positions: UnsafeBufferPointer<UInt32>, distances: UnsafeBufferPointer<UInt8>,
        realQuery: [Float]?, limit: Int
    ) -> [HammingNeighbor] {
        struct Candidate {
            var distance: UInt8
            var tie: Float
            var id: Int64
            var position: UInt32
        }
        var candidates = [Candidate]()
        candidates.reserveCapacity(positions.count)
        for (position, distance) in zip(positions, distances) {
            candidates.append(Candidate(distance: distance, tie: 0, id: id(at: Int(position)), position: position))
        }
        if let realQuery {
            let dimension = realCodeDimension
            realCodes.withUnsafeBufferPointer { realCodes in
                for index in candidates.indices {
                    let row = Int(candidates[index].position) * dimension
                    var sum: Float = 0
                    for value in 0..<dimension {
                        let difference = realCodes[row + value] - realQuery[value]
                        sum += difference * difference
                    }
                    candidates[index].tie = sum.isNaN ? .infinity : sum  // NaN would break the ordering
                }
            }
        }
        candidates.sort {
            ($0.distance, $0.tie, $0.id, $0.position) < ($1.distance, $1.tie, $1.id, $1.position)
        }
        return candidates.prefix(limit).map { HammingNeighbor(id: $0.id, distance: Int($0.distance)) }
    }
}

/// The C search result (see `CImgSearchHamming.h`), named for the Swift side.
typealias CandidateResult = imgsearch_hamming_result
