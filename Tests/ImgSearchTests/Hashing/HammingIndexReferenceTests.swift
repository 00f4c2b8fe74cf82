import Testing
@testable import ImgSearch
import ImgSearchBenchIndexes

/// Every Hamming index kind the product and the benchmark use, against the
/// naive oracle (not against one another), on uniform and clustered codes:
/// the k-th-distance boundary, the radius boundary, real-code ties, and the
/// candidates-with-ties search that `imgsearch query` runs, with its cap.
@Suite struct HammingIndexReferenceTests {
    /// An index kind, with the kernel it scans with.
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case flat, flatPortable, scan, scanPortable, bucket, multiIndex

        var testDescription: String { rawValue }

        func make(realCodeDimension: Int = 0) throws -> any HammingIndex {
            switch self {
            case .flat: return try FlatHammingIndex(realCodeDimension: realCodeDimension)
            case .flatPortable:
                var index = try FlatHammingIndex(realCodeDimension: realCodeDimension)
                index.kernel = .portable
                return index
            case .scan: return try ScanHammingIndex(realCodeDimension: realCodeDimension)
            case .scanPortable:
                var index = try ScanHammingIndex(realCodeDimension: realCodeDimension)
                index.kernel = .portable
                return index
            case .bucket: return try BucketHammingIndex(realCodeDimension: realCodeDimension)
            case .multiIndex: return try MultiIndexHammingIndex(realCodeDimension: realCodeDimension)
            }
        }
    }

    /// The oracle's candidates with ties: every code at or inside
    /// min(k-th distance, radius) by (distance, id), or past `tieLimit` the
    /// first k of them.
    static func candidates(_ naive: NaiveHammingSearch, _ query: UInt32, k: Int, radius: Int?, tieLimit: Int) -> [HammingNeighbor] {
        let nearest = naive.nearest(query, k: k)
        guard let kth = nearest.last?.distance else { return [] }
        let bound = min(kth, radius ?? kth)
        let within = naive.within(query, radius: bound)
        return within.count > max(tieLimit, k) ? Array(within.prefix(k)) : within
    }

    @Test(arguments: Kind.allCases, HammingTestData.allCases)
    func nearestRadiusAndTiesAgreeWithTheOracle(kind: Kind, data: HammingTestData) throws {
        let (codes, queries) = data.make(count: 2_051, queryCount: 6, seed: 21)
        let ids = codes.indices.map { Int64($0) * 5 + 2 }
        let realCodes = HammingTestData.realCodes(for: codes, bits: 30)
        let realQueries = HammingTestData.realCodes(for: queries, bits: 30, seed: 22)
        var plain = try kind.make()
        try plain.add(codes, ids: ids)
        var tied = try kind.make(realCodeDimension: 30)
        try tied.add(codes, ids: ids, realCodes: realCodes)
        var naive = NaiveHammingSearch(bitCount: 30)
        naive.dimension = 30
        naive.add(codes, ids: ids, realCodes: realCodes)
        for (number, query) in queries.enumerated() {
            let distances = naive.distances(to: query)
            let realQuery = Array(realQueries[(number * 30)..<((number + 1) * 30)])
            // k = 1 has the most ties at the boundary; past the count, all codes.
            for k in [0, 1, 7, 100, codes.count, codes.count + 5] {
                #expect(try plain.search(query, k: k) == naive.nearest(query, k: k, distances: distances), "k \(k)")
                #expect(try tied.search(query, k: k, realCode: realQuery)
                        == naive.nearest(query, k: k, realCode: realQuery, distances: distances), "k \(k), real ties")
            }
            let kth = naive.nearest(query, k: 10, distances: distances).last?.distance ?? 0
            for radius in [0, max(0, kth - 1), kth, kth + 1] {
                #expect(try plain.search(query, radius: radius) == naive.within(query, radius: radius, distances: distances),
                        "radius \(radius)")
                #expect(try tied.search(query, radius: radius, realCode: realQuery)
                        == naive.within(query, radius: radius, realCode: realQuery, distances: distances), "radius \(radius), real ties")
            }
            for (k, radius) in [(1, nil), (10, nil), (10, kth - 1), (10, kth), (10, kth + 1), (500, 2), (codes.count, nil)] as [(Int, Int?)] {
                #expect(try plain.searchWithTies(query, k: k, radius: radius)
                        == Self.candidates(naive, query, k: k, radius: radius, tieLimit: .max), "ties k \(k) radius \(String(describing: radius))")
            }
        }
    }

    @Test(arguments: Kind.allCases)
    func pastTheTieLimitTheFirstKByDistanceAndId(kind: Kind) throws {
        // A degenerate index: most codes share one of two hashes.
        var generator = SplitMix64(seed: 23)
        let codes: [UInt32] = (0..<2_000).map { index in
            index % 10 == 0 ? UInt32(truncatingIfNeeded: generator.next()) & 0x3FFF_FFFF : (index % 2 == 0 ? 0 : 1)
        }
        var index = try kind.make()
        try index.add(codes, ids: codes.indices.reversed().map(Int64.init))
        var naive = NaiveHammingSearch(bitCount: 30)
        naive.add(codes, ids: codes.indices.reversed().map(Int64.init))
        for k in [1, 10, 49, 50, 51, 900, 1_200] {
            for tieLimit in [50, 1_000, 5_000] {
                let found = try index.searchWithTies(0, k: k, tieLimit: tieLimit)
                #expect(found == Self.candidates(naive, 0, k: k, radius: nil, tieLimit: tieLimit), "k \(k), limit \(tieLimit)")
            }
        }
    }

    @Test(arguments: [ScanHammingIndex.self, FlatHammingIndex.self] as [any HammingIndex.Type], [0, 1, 2, 3, 4, 5, 255, 256, 257, 1_003])
    func smallAndPartialIndexesOnEveryKernel(kind: any HammingIndex.Type, count: Int) throws {
        var generator = SplitMix64(seed: UInt64(count) + 1)
        // Codes near the query, so most distances repeat (the histogram's hard case).
        let query = UInt32(truncatingIfNeeded: generator.next()) & 0x3FFF_FFFF
        let codes = (0..<count).map { _ in
            query ^ (UInt32(truncatingIfNeeded: generator.next()) & UInt32(truncatingIfNeeded: generator.next()) & 0x3FFF_FFFF)
        }
        var naive = NaiveHammingSearch(bitCount: 30)
        naive.add(codes, ids: codes.indices.map(Int64.init))
        for kernel in HammingKernel.available {
            var index: any HammingIndex
            if kind == ScanHammingIndex.self {
                var scan = try ScanHammingIndex(bitCount: 30, positionalCodes: codes)
                scan.kernel = kernel
                index = scan
            } else {
                var flat = try FlatHammingIndex()
                flat.kernel = kernel
                try flat.add(codes, ids: codes.indices.map(Int64.init))
                index = flat
            }
            for k in [1, 3, 10] {
                #expect(try index.search(query, k: k) == naive.nearest(query, k: k), "\(kernel) k \(k)")
                #expect(try index.searchWithTies(query, k: k) == Self.candidates(naive, query, k: k, radius: nil, tieLimit: .max),
                        "\(kernel) ties k \(k)")
            }
            #expect(try index.search(query, radius: 12) == naive.within(query, radius: 12), "\(kernel)")
        }
    }

    @Test func aPositionalScanIndexGrowsIdsWhenCodesArriveWithThem() throws {
        var index = try ScanHammingIndex(bitCount: 30, positionalCodes: [5, 6, 7])
        #expect(index.ids == [0, 1, 2])
        try index.add([5], ids: [40])
        #expect(index.ids == [0, 1, 2, 40])
        #expect(try index.search(5, radius: 0) == [HammingNeighbor(id: 0, distance: 0), HammingNeighbor(id: 40, distance: 0)])
        #expect(index.remove(ids: [1]) == 1)
        #expect(index.ids == [0, 2, 40])
        let loaded = try ScanHammingIndex(serializedBytes: index.serializedBytes())
        #expect(loaded.ids == index.ids && loaded.codes == index.codes)
        #expect(throws: HammingIndexError.self) { try FlatHammingIndex(serializedBytes: index.serializedBytes()) }
        #expect(throws: HammingIndexError.self) { try ScanHammingIndex(bitCount: 30, positionalCodes: [1 << 30]) }
    }
}
