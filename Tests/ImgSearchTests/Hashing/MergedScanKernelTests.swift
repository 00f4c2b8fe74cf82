import ImgSearchCore
import ImgSearchHashing
import Testing

/// The merged scan (several query variants, each with its penalty, in one
/// pass) gives the same neighbours on every kernel as a brute-force
/// reference, for counts that are and are not multiples of the vector width.
@Suite struct MergedScanKernelTests {
    /// Each code's nearest penalized distance over the variants within
    /// `radius`, nil when none is; then the k nearest and their ties, by position.
    static func reference(codes: [UInt32], queries: [UInt32], penalties: [Int], k: Int, radius: Int?) -> [(Int, Int)] {
        let distances = codes.map { code -> Int? in
            zip(queries, penalties).compactMap { query, penalty -> Int? in
                let d = (code ^ query).nonzeroBitCount
                return d <= (radius ?? 32) ? d + penalty : nil
            }.min()
        }
        let reachable = distances.enumerated().compactMap { position, d in d.map { (position, $0) } }
        guard !reachable.isEmpty, k > 0 else { return [] }
        let kth = reachable.map(\.1).sorted()[min(k, reachable.count) - 1]
        return reachable.filter { $0.1 <= kth }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
    }

    @Test(arguments: [1, 7, 8, 9, 1000, 4099])
    func everyKernelMatchesTheReference(count: Int) throws {
        var random = SplitMix64(seed: UInt64(count))
        // Codes near a few centres, so that many share small distances and ties matter.
        let centres = (0..<4).map { _ in UInt32(truncatingIfNeeded: random.next()) & 0x3FFF_FFFF }
        let codes = (0..<count).map { _ -> UInt32 in
            var code = centres[Int(random.next() % 4)]
            for _ in 0..<Int(random.next() % 6) { code ^= 1 << UInt32(random.next() % 30) }
            return code
        }
        let queries = [centres[0], centres[0] ^ 0b1011, centres[2]]
        for (penalties, radius, k) in [([0, 4, 4], nil as Int?, 10), ([0, 2, 9], 3, 50), ([0, 0, 0], 0, 1), ([0, 4, 4], nil, count)] {
            let expected = Self.reference(codes: codes, queries: queries, penalties: penalties, k: k, radius: radius)
            for kernel in HammingKernel.available {
                var index = try ScanHammingIndex(bitCount: 30, positionalCodes: codes)
                index.kernel = kernel
                let found = try index.mergedSearchWithTies(queries, penalties: penalties, k: k, radius: radius, tieLimit: 1_000_000)
                let got = found.map { (Int($0.id), $0.distance) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
                #expect(got.map(\.0) == expected.map(\.0) && got.map(\.1) == expected.map(\.1),
                        "\(kernel), \(count) codes, penalties \(penalties), radius \(String(describing: radius)), k \(k)")
            }
        }
    }

    /// More codes tied at the k-th distance than the one-pass buffer holds:
    /// the two passes answer, every tie included, on every kernel.
    @Test func tiesBeyondTheOnePassBufferAreAllFound() throws {
        let codes = [UInt32](repeating: 0x1234_5678 & 0x3FFF_FFFF, count: 20_000) + [0, 1, 3]
        for kernel in HammingKernel.available {
            var index = try ScanHammingIndex(bitCount: 30, positionalCodes: codes)
            index.kernel = kernel
            let found = try index.mergedSearchWithTies([0x1234_5678 & 0x3FFF_FFFF], penalties: [0], k: 1, radius: nil, tieLimit: 1_000_000)
            #expect(found.count == 20_000 && found.allSatisfy { $0.distance == 0 }, "\(kernel)")
            let capped = try index.mergedSearchWithTies([0x1234_5678 & 0x3FFF_FFFF], penalties: [0], k: 5, radius: nil, tieLimit: 100)
            #expect(capped.map(\.id) == [0, 1, 2, 3, 4], "\(kernel)")
        }
    }
}
