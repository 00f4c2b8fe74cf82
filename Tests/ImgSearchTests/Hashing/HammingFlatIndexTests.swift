import Testing
@testable import ImgSearch

/// The flat index (the scan every other index is tested against) against the
/// naive oracle, on every kernel this CPU has.
@Suite struct HammingFlatIndexTests {
    static let kernels = HammingKernel.available

    @Test(arguments: kernels, HammingTestData.allCases)
    func nearestMatchesNaiveSearch(kernel: HammingKernel, data: HammingTestData) throws {
        let (codes, queries) = data.make(count: 10_011, queryCount: 16)
        var index = try FlatHammingIndex()
        index.kernel = kernel
        try index.add(codes, ids: codes.indices.map { Int64($0) * 3 })
        var naive = NaiveHammingSearch(bitCount: 30)
        naive.add(codes, ids: codes.indices.map { Int64($0) * 3 })
        for query in queries {
            let distances = naive.distances(to: query)
            for k in [1, 10, 100] {
                let result = try index.search(query, k: k)
                #expect(result == naive.nearest(query, k: k, distances: distances))
                #expect(isSortedWithoutDuplicates(result))
            }
        }
    }

    @Test(arguments: kernels, HammingTestData.allCases)
    func radiusIsInclusiveAndComplete(kernel: HammingKernel, data: HammingTestData) throws {
        let (codes, queries) = data.make(count: 6_000, queryCount: 12, seed: 2)
        var index = try FlatHammingIndex()
        index.kernel = kernel
        try index.add(codes, ids: codes.indices.map(Int64.init))
        var naive = NaiveHammingSearch(bitCount: 30)
        naive.add(codes, ids: codes.indices.map(Int64.init))
        for query in queries {
            let distances = naive.distances(to: query)
            for radius in 0...5 {
                let result = try index.search(query, radius: radius)
                #expect(result == naive.within(query, radius: radius, distances: distances))
                #expect(result.allSatisfy { $0.distance <= radius })
                let atBoundary = distances.filter { $0 == radius }.count
                #expect(result.filter { $0.distance == radius }.count == atBoundary)
            }
        }
    }

    @Test func tiesAreBrokenByRealCodesThenIds() throws {
        // 600 copies of 3 codes: every result ties with hundreds of others.
        var generator = SplitMix64(seed: 3)
        let distinct = (0..<3).map { _ in UInt32(truncatingIfNeeded: generator.next()) & 0x3FFF_FFFF }
        let codes = (0..<1_800).map { distinct[$0 % 3] }
        let realCodes = HammingTestData.realCodes(for: codes, bits: 30)
        let ids = codes.indices.map { Int64(1_800 - $0) }
        var index = try FlatHammingIndex(realCodeDimension: 30)
        try index.add(codes, ids: ids, realCodes: realCodes)
        var naive = NaiveHammingSearch(bitCount: 30, dimension: 30)
        naive.add(codes, ids: ids, realCodes: realCodes)
        let realQuery = Array(realCodes[(30 * 4)..<(30 * 5)])
        var statistics = HammingSearchStatistics()
        let result = try index.search(distinct[1], k: 25, realCode: realQuery, statistics: &statistics)
        #expect(result == naive.nearest(distinct[1], k: 25, realCode: realQuery))
        #expect(result.first?.id == ids[4])  // its own real code is nearest
        #expect(statistics.retries == 0)
        // Without a real code, ties go by id.
        let byId = try index.search(distinct[1], k: 25)
        #expect(byId.map(\.id) == byId.map(\.id).sorted())
        #expect(byId == naive.nearest(distinct[1], k: 25))
    }

    @Test func moreTiesThanTheBuffersHoldAreRetriedExactly() throws {
        let codes = [UInt32](repeating: 0x1234, count: 5_000) + [0x1235, 0x3FFF_FFFF]
        var index = try FlatHammingIndex()
        try index.add(codes, ids: codes.indices.map { Int64(codes.count - $0) })
        var statistics = HammingSearchStatistics()
        let within = try index.search(0x1234, radius: 1, realCode: nil, statistics: &statistics)
        #expect(within.count == 5_001)
        #expect(statistics.retries == 1)
        let nearest = try index.search(0x1234, k: 10)
        #expect(nearest.map(\.id) == Array(3...12).map(Int64.init))
    }

    @Test(arguments: [1, 255, 256, 257, 1_000])
    func partialBlocksAndSmallIndexes(count: Int) throws {
        let (codes, queries) = HammingTestData.random.make(count: count, queryCount: 10, seed: 4)
        var index = try FlatHammingIndex()
        try index.add(codes, ids: codes.indices.map(Int64.init))
        var naive = NaiveHammingSearch(bitCount: 30)
        naive.add(codes, ids: codes.indices.map(Int64.init))
        for query in queries {
            #expect(try index.search(query, k: count + 5) == naive.nearest(query, k: count + 5))
            #expect(try index.search(query, radius: 30).count == count)
        }
    }

    @Test(arguments: [1, 8, 16, 31, 32])
    func everyCodeLength(bits: Int) throws {
        let (codes, queries) = HammingTestData.clustered.make(count: 2_000, queryCount: 8, bits: bits, seed: 5)
        var index = try FlatHammingIndex(bitCount: bits)
        try index.add(codes, ids: codes.indices.map(Int64.init))
        var naive = NaiveHammingSearch(bitCount: bits)
        naive.add(codes, ids: codes.indices.map(Int64.init))
        for query in queries {
            #expect(try index.search(query, k: 20) == naive.nearest(query, k: 20))
            #expect(try index.search(query, radius: bits / 4) == naive.within(query, radius: bits / 4))
        }
    }

    @Test func emptyIndexAndZeroK() throws {
        var index = try FlatHammingIndex()
        #expect(try index.search(5, k: 10).isEmpty)
        #expect(try index.search(5, radius: 30).isEmpty)
        try index.add([1, 2, 3], ids: [7, 8, 9])
        #expect(try index.search(5, k: 0).isEmpty)
        #expect(try index.search([1, 2], k: 1, threads: 2) == [[HammingNeighbor(id: 7, distance: 0)], [HammingNeighbor(id: 8, distance: 0)]])
    }

    @Test func refusesBadArguments() throws {
        #expect(throws: HammingIndexError.invalidBitCount(33)) { try FlatHammingIndex(bitCount: 33) }
        #expect(throws: HammingIndexError.invalidBitCount(0)) { try FlatHammingIndex(bitCount: 0) }
        var index = try FlatHammingIndex(realCodeDimension: 2)
        #expect(throws: HammingIndexError.codeOutOfRange(code: 1 << 30, bitCount: 30)) {
            try index.add([1, 1 << 30], ids: [1, 2], realCodes: [0, 0, 0, 0])
        }
        #expect(throws: HammingIndexError.self) { try index.add([1], ids: [1, 2], realCodes: [0, 0]) }
        #expect(throws: HammingIndexError.self) { try index.add([1], ids: [1], realCodes: nil) }
        try index.add([1], ids: [1], realCodes: [0, 0])
        #expect(throws: HammingIndexError.invalidArgument("k is -1; it must be 0 or more")) { try index.search(1, k: -1) }
        #expect(throws: HammingIndexError.self) { try index.search(1, radius: -1) }
        #expect(throws: HammingIndexError.codeOutOfRange(code: UInt32.max, bitCount: 30)) { try index.search(.max, k: 1) }
        #expect(throws: HammingIndexError.realCodeDimensionMismatch(expected: 2, found: 3)) {
            try index.search(1, k: 1, realCode: [0, 0, 0])
        }
        #expect(index.count == 1)  // nothing of the refused batches was added
    }

    @Test func batchSearchOnTwoThreadsMatchesOneByOne() throws {
        let (codes, queries) = HammingTestData.clustered.make(count: 10_000, queryCount: 101, seed: 6)
        var index = try FlatHammingIndex()
        try index.add(codes, ids: codes.indices.map(Int64.init))
        var statistics = HammingSearchStatistics()
        let batch = try index.search(queries, k: 7, threads: 2, statistics: &statistics)
        #expect(batch == (try queries.map { try index.search($0, k: 7) }))
        #expect(statistics.queries == 101)
        #expect(statistics.codesCompared == 101 * 10_000)
    }
}
