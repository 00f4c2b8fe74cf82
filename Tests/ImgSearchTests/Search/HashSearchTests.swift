import Testing
@testable import ImgSearch

@Suite struct HashSearchTests {
    @Test(arguments: [0, 1, 2, 3, 4, 5, 1_003])
    func distanceCountsAgreeWithCountingOneByOne(count: Int) {
        var generator = SplitMix64(seed: UInt64(count) + 1)
        // Hashes near the query, so most distances repeat (the histogram's hard case).
        let query = UInt32(truncatingIfNeeded: generator.next()) & 0x3FFF_FFFF
        let hashes = (0..<count).map { _ in query ^ (UInt32(truncatingIfNeeded: generator.next()) & UInt32(truncatingIfNeeded: generator.next()) & 0x3FFF_FFFF) }
        let search = HashSearch(hashes: hashes, locations: HashLocations(blockSize: 4096, offsets: hashes.indices.map { UInt16($0 % 4096) }, blocks: [(0, 0)]))
        var expected = [Int](repeating: 0, count: 33)
        for hash in hashes { expected[(hash ^ query).nonzeroBitCount] += 1 }
        for kernel in HammingKernel.available {
            #expect(search.distanceCounts(from: query, kernel: kernel) == expected, "\(kernel), \(count) hashes")
        }
        let within = 12
        #expect(search.positions(within: within, of: query, expected: expected[0...within].reduce(0, +))
                == hashes.indices.filter { (hashes[$0] ^ query).nonzeroBitCount <= within })
    }
}
