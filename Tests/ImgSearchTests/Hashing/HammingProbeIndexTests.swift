import Testing
@testable import ImgSearch
import ImgSearchBenchIndexes

/// Bucket and multi-index hashing against the flat scan, FAISS-style: the
/// same neighbours at every rank (ties included, since the order is defined),
/// sorted, without duplicates.
@Suite struct HammingProbeIndexTests {
    /// The probe indexes under test, built from the same codes.
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case bucket, multiIndexAutomatic, multiIndex3, multiIndex1

        var testDescription: String { rawValue }

        func make(bits: Int = 30, realCodeDimension: Int = 0) throws -> any HammingIndex {
            switch self {
            case .bucket: return try BucketHammingIndex(bitCount: bits, realCodeDimension: realCodeDimension)
            case .multiIndexAutomatic: return try MultiIndexHammingIndex(bitCount: bits, realCodeDimension: realCodeDimension)
            case .multiIndex3: return try MultiIndexHammingIndex(bitCount: bits, realCodeDimension: realCodeDimension, substringCount: 3)
            case .multiIndex1: return try MultiIndexHammingIndex(bitCount: bits, realCodeDimension: realCodeDimension, substringCount: 1)
            }
        }
    }

    @Test(arguments: Kind.allCases, HammingTestData.allCases)
    func nearestAndRadiusMatchTheScan(kind: Kind, data: HammingTestData) throws {
        let (codes, queries) = data.make(count: 10_000, queryCount: 12, seed: 11)
        let ids = codes.indices.map { Int64($0) }
        var flat = try FlatHammingIndex()
        try flat.add(codes, ids: ids)
        var index = try kind.make()
        try index.add(codes, ids: ids)
        var statistics = HammingSearchStatistics()
        for query in queries {
            for k in [1, 10, 100] {
                let result = try index.search(query, k: k, realCode: nil, statistics: &statistics)
                #expect(result == (try flat.search(query, k: k)))
                #expect(isSortedWithoutDuplicates(result))
            }
            for radius in [0, 1, 3] {
                #expect(try index.search(query, radius: radius) == flat.search(query, radius: radius))
            }
        }
        // On clustered codes the probes answer queries themselves (this is not
        // the scan in disguise); on uniform codes this small, scanning may be cheaper.
        #expect(statistics.bucketsProbed > 0)
        if data == .clustered { #expect(statistics.scanFallbacks < statistics.queries) }
    }

    @Test(arguments: Kind.allCases)
    func fallsBackToTheScanWhenProbingCostsMore(kind: Kind) throws {
        // Few codes, many neighbours: probing every address would cost more than a scan.
        let (codes, queries) = HammingTestData.random.make(count: 2_000, queryCount: 10, seed: 12)
        var flat = try FlatHammingIndex()
        try flat.add(codes, ids: codes.indices.map(Int64.init))
        var index = try kind.make()
        try index.add(codes, ids: codes.indices.map(Int64.init))
        var statistics = HammingSearchStatistics()
        for query in queries {
            #expect(try index.search(query, k: 500, realCode: nil, statistics: &statistics) == flat.search(query, k: 500))
        }
        #expect(statistics.scanFallbacks == queries.count)
    }

    @Test(arguments: Kind.allCases)
    func realCodeTiesMatchTheScan(kind: Kind) throws {
        let (codes, queries) = HammingTestData.clustered.make(count: 5_000, queryCount: 12, seed: 13)
        let realCodes = HammingTestData.realCodes(for: codes, bits: 30)
        let realQueries = HammingTestData.realCodes(for: queries, bits: 30, seed: 14)
        var flat = try FlatHammingIndex(realCodeDimension: 30)
        try flat.add(codes, ids: codes.indices.map(Int64.init), realCodes: realCodes)
        var index = try kind.make(realCodeDimension: 30)
        try index.add(codes, ids: codes.indices.map(Int64.init), realCodes: realCodes)
        for (number, query) in queries.enumerated() {
            let realQuery = Array(realQueries[(number * 30)..<((number + 1) * 30)])
            #expect(try index.search(query, k: 15, realCode: realQuery) == flat.search(query, k: 15, realCode: realQuery))
        }
    }

    @Test(arguments: Kind.allCases)
    func addAndRemoveKeepEveryIndexConsistent(kind: Kind) throws {
        let (codes, queries) = HammingTestData.clustered.make(count: 6_000, queryCount: 6, seed: 15)
        var naive = NaiveHammingSearch(bitCount: 30)
        var flat = try FlatHammingIndex()
        var index = try kind.make()
        var generator = SplitMix64(seed: 16)
        for batch in 0..<3 {
            let range = (batch * 2_000)..<((batch + 1) * 2_000)
            let batchCodes = Array(codes[range]), batchIds = range.map { Int64($0) }
            try flat.add(batchCodes, ids: batchIds)
            try index.add(batchCodes, ids: batchIds)
            naive.add(batchCodes, ids: batchIds)
            // Remove a random tenth of what is there, and one id that never was.
            let removed = Set(naive.ids.filter { _ in generator.next() % 10 == 0 } + [-1])
            let count = index.remove(ids: removed)
            #expect(count == flat.remove(ids: removed))
            #expect(count == removed.count - 1)
            naive.remove(ids: removed)
            #expect(index.count == naive.codes.count)
            for query in queries {
                #expect(try index.search(query, k: 10) == naive.nearest(query, k: 10))
                #expect(try flat.search(query, k: 10) == naive.nearest(query, k: 10))
                #expect(try index.search(query, radius: 2) == naive.within(query, radius: 2))
            }
        }
    }

    @Test(arguments: [16, 31, 32])
    func otherCodeLengths(bits: Int) throws {
        let (codes, queries) = HammingTestData.clustered.make(count: 3_000, queryCount: 6, bits: bits, seed: 17)
        var flat = try FlatHammingIndex(bitCount: bits)
        try flat.add(codes, ids: codes.indices.map(Int64.init))
        for kind in Kind.allCases {
            var index = try kind.make(bits: bits)
            try index.add(codes, ids: codes.indices.map(Int64.init))
            for query in queries {
                #expect(try index.search(query, k: 10) == flat.search(query, k: 10))
                #expect(try index.search(query, radius: 2) == flat.search(query, radius: 2))
            }
        }
    }

    @Test func substringCountFollowsTheCollectionSize() throws {
        #expect(HammingTables.automaticSubstringCount(bitCount: 30, count: 1_000_000) == 2)
        #expect(HammingTables.automaticSubstringCount(bitCount: 30, count: 1_000) == 3)
        #expect(HammingTables.automaticSubstringCount(bitCount: 64, count: 1_000_000) == 3)
        #expect(HammingTables.automaticSubstringCount(bitCount: 1, count: 10) == 1)
        #expect(throws: HammingIndexError.self) { try MultiIndexHammingIndex(substringCount: 31) }
    }
}
