import Testing
@testable import ImgSearch

struct DuplicateFinderTests {
    /// Hashes and two-value codes by hand: 0 and 1 share a hash and are close;
    /// 2 shares their hash but is far; 3 is one bit from 0 and close to it;
    /// 4 is two bits from 0 and close; 5 is one bit from 4 but far from all.
    static let hashes: [SemanticHash] = [0b0000, 0b0000, 0b0000, 0b0001, 0b0110, 0b1110]
    static let codes: [[Float]] = [[0, 0], [0.1, 0], [3, 3], [0, 0.2], [0.2, 0.2], [2, 2]]

    func groups(
        radius: Int, maximumDistance: Float = 0.5, rejecting rejected: Set<[Int]> = []
    ) throws -> [(members: [Int], hamming: Int, distance: Float, score: Float)] {
        let finder = DuplicateFinder(bitCount: 4, radius: radius, maximumDistance: maximumDistance)
        return try finder.groups(hashes: Self.hashes, code: { indices in
            Dictionary(uniqueKeysWithValues: indices.map { ($0, Self.codes[$0]) })
        }, confirm: { candidates in
            // The score stands in for a thumbnail difference: the pair's index sum.
            candidates.map { rejected.contains([$0.first, $0.second]) ? nil : Float($0.first + $0.second) }
        })
    }

    @Test func equalHashesAreConfirmedByTheRealCode() throws {
        let found = try groups(radius: 0)
        #expect(found.map(\.members) == [[0, 1]])
        #expect(found.first?.hamming == 0)
        #expect(abs((found.first?.distance ?? 0) - 0.1) < 1e-6)
    }

    @Test func aLargerRadiusJoinsNearHashesIntoOneGroup() throws {
        let one = try groups(radius: 1)
        #expect(one.map(\.members) == [[0, 1, 3]])
        #expect(one.first?.hamming == 1)
        let two = try groups(radius: 2)
        #expect(two.map(\.members) == [[0, 1, 3, 4]])
        #expect(two.first?.hamming == 2)
        // 2 and 5 have near hashes, but their codes are far from everyone's.
        #expect(try groups(radius: 2, maximumDistance: 10).map(\.members) == [[0, 1, 2, 3, 4, 5]])
    }

    /// Candidate pairs against every pair compared by brute force, on
    /// uniform and clustered hashes with real codes consistent with them.
    @Test(arguments: HammingTestData.allCases)
    func candidatePairsAreEveryPairWithinTheRadiusAndTheDistance(data: HammingTestData) throws {
        let (hashes, _) = data.make(count: 1_200, queryCount: 0, seed: 31)
        // Exact duplicates too, as real folders have them.
        let withCopies = hashes + hashes.prefix(40)
        let real = HammingTestData.realCodes(for: withCopies, bits: 30)
        let codes = withCopies.indices.map { Array(real[($0 * 30)..<(($0 + 1) * 30)]) }
        for (radius, maximumDistance) in [(0, Float.infinity), (1, 1.5), (2, .infinity), (3, 2.0)] {
            let finder = DuplicateFinder(bitCount: 30, radius: radius, maximumDistance: maximumDistance)
            var asked = Set<Int>()
            let found = try finder.candidatePairs(hashes: withCopies) { indices in
                asked.formUnion(indices)
                return Dictionary(uniqueKeysWithValues: indices.map { ($0, codes[$0]) })
            }
            var expected = Set<[Int]>()
            for first in withCopies.indices {
                for second in (first + 1)..<withCopies.count
                where (withCopies[first] ^ withCopies[second]).nonzeroBitCount <= radius
                    && HashSearch.euclidean(codes[first], codes[second]) <= maximumDistance {
                    expected.insert([first, second])
                }
            }
            let pairs = found.map { [$0.first, $0.second] }
            #expect(Set(pairs) == expected && pairs.count == expected.count, "\(data) radius \(radius)")
            #expect(found.allSatisfy { $0.hamming == (withCopies[$0.first] ^ withCopies[$0.second]).nonzeroBitCount },
                    "\(data) radius \(radius)")
            // Codes are asked for the images with a partner within the radius only.
            #expect(asked.isSuperset(of: expected.flatMap { $0 }), "\(data) radius \(radius)")
            if radius == 0 { #expect(asked.count <= 2 * 40 + expected.count * 2, "\(data)") }
        }
    }

    @Test func onlyConfirmedPairsJoinAndTheWidestLinkIsReported() throws {
        let confirmed = try groups(radius: 2)
        #expect(confirmed.first?.score == 5)  // the link 1-4, the widest of 0-1, 0-3, 1-3, 0-4, 1-4
        // Without the links 0-3 and 1-3, 3 stays alone; 0-4 still joins 4.
        #expect(try groups(radius: 2, rejecting: [[0, 3], [1, 3]]).map(\.members) == [[0, 1, 4]])
    }
}
