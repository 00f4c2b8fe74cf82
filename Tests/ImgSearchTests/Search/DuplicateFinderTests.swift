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
    ) -> [(members: [Int], hamming: Int, distance: Float, score: Float)] {
        let finder = DuplicateFinder(bitCount: 4, radius: radius, maximumDistance: maximumDistance)
        return finder.groups(hashes: Self.hashes, code: { indices in
            Dictionary(uniqueKeysWithValues: indices.map { ($0, Self.codes[$0]) })
        }, confirm: { candidates in
            // The score stands in for a thumbnail difference: the pair's index sum.
            candidates.map { rejected.contains([$0.first, $0.second]) ? nil : Float($0.first + $0.second) }
        })
    }

    @Test func equalHashesAreConfirmedByTheRealCode() {
        let found = groups(radius: 0)
        #expect(found.map(\.members) == [[0, 1]])
        #expect(found.first?.hamming == 0)
        #expect(abs((found.first?.distance ?? 0) - 0.1) < 1e-6)
    }

    @Test func aLargerRadiusJoinsNearHashesIntoOneGroup() {
        let one = groups(radius: 1)
        #expect(one.map(\.members) == [[0, 1, 3]])
        #expect(one.first?.hamming == 1)
        let two = groups(radius: 2)
        #expect(two.map(\.members) == [[0, 1, 3, 4]])
        #expect(two.first?.hamming == 2)
        // 2 and 5 have near hashes, but their codes are far from everyone's.
        #expect(groups(radius: 2, maximumDistance: 10).map(\.members) == [[0, 1, 2, 3, 4, 5]])
    }

    @Test func flipMasksCoverEveryHashWithinTheRadius() {
        let masks = DuplicateFinder.flipMasks(bitCount: 30, upTo: 2)
        #expect(masks.count == 30 + 435)
        #expect(Set(masks).count == masks.count)
        #expect(masks.allSatisfy { (1...2).contains($0.nonzeroBitCount) && $0 < 1 << 30 })
    }

    @Test func onlyConfirmedPairsJoinAndTheWidestLinkIsReported() {
        let confirmed = groups(radius: 2)
        #expect(confirmed.first?.score == 5)  // the link 1-4, the widest of 0-1, 0-3, 1-3, 0-4, 1-4
        // Without the links 0-3 and 1-3, 3 stays alone; 0-4 still joins 4.
        #expect(groups(radius: 2, rejecting: [[0, 3], [1, 3]]).map(\.members) == [[0, 1, 4]])
    }
}
