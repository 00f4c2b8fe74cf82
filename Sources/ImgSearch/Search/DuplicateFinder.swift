/// Indexed images that are near-duplicates of one another: linked, directly
/// or through others of the group, by a hash within the radius and a real
/// code within the distance.
public struct DuplicateGroup: Sendable, Codable, Equatable {
    /// The images' paths, in byte order.
    public var paths: [String]
    /// The largest Hamming distance over the links that joined the group.
    public var hamming: Int
    /// The largest real-code (Euclidean) distance over those links.
    public var distance: Float

    public init(paths: [String], hamming: Int, distance: Float) {
        self.paths = paths
        self.hamming = hamming
        self.distance = distance
    }

    /// Real-code distance up to which two images with near hashes count as
    /// duplicates by default. Measured with `scripts/bench.sh dupes` on
    /// 1,000 CIFAR-10 images (docs/benchmarks.md, "Near duplicates"): with
    /// radius 2 it joins 95-99.9% of re-saved, half-size and noisy copies to
    /// their original, while 99% of images have their nearest other image
    /// beyond a distance of 1.0.
    public static let defaultMaximumDistance: Float = 0.8
}

/// Finds near-duplicate groups among hashes and codes.
///
/// Candidates come from the hashes alone: images with equal hashes, and,
/// for a radius r > 0, images whose hashes differ in at most r bits, found
/// by looking up every hash with up to r bits flipped (1 + 30 + 435 lookups
/// per distinct hash at r = 2) rather than comparing all pairs. A candidate
/// pair is confirmed only when the real codes are within the distance, since
/// semantic hashes put many different images in one bucket. Confirmed pairs
/// are joined with union-find.
struct DuplicateFinder {
    var bitCount: Int
    var radius: Int
    var maximumDistance: Float

    /// Groups of at least two indices into `hashes`, each group's members
    /// ascending, with the largest Hamming and real-code distance of a link.
    ///
    /// - Parameter code: the real code of the image at an index; asked only
    ///   for images that have a candidate partner.
    func groups(hashes: [UInt64], code: ([Int]) throws -> [Int: [Float]]) rethrows
        -> [(members: [Int], hamming: Int, distance: Float)]
    {
        // Images sorted by hash, cut into runs of equal hashes.
        let order = hashes.indices.sorted { hashes[$0] < hashes[$1] }
        var runStarts: [Int] = []
        for (position, image) in order.enumerated() where position == 0 || hashes[image] != hashes[order[position - 1]] {
            runStarts.append(position)
        }
        runStarts.append(order.count)
        let runCount = runStarts.count - 1
        func members(_ run: Int) -> ArraySlice<Int> { order[runStarts[run]..<runStarts[run + 1]] }
        func hash(_ run: Int) -> UInt64 { hashes[order[runStarts[run]]] }

        // Pairs of runs to compare: a run with itself, and runs within the radius.
        var runPairs: [(Int, Int)] = []
        for run in 0..<runCount where members(run).count > 1 { runPairs.append((run, run)) }
        if radius > 0 {
            var runOfHash: [UInt64: Int] = [:]
            runOfHash.reserveCapacity(runCount)
            for run in 0..<runCount { runOfHash[hash(run)] = run }
            let masks = Self.flipMasks(bitCount: bitCount, upTo: radius)
            for run in 0..<runCount {
                let own = hash(run)
                for mask in masks {
                    if let other = runOfHash[own ^ mask], other > run { runPairs.append((run, other)) }
                }
            }
        }

        var candidates = Set<Int>()
        for (a, b) in runPairs {
            candidates.formUnion(members(a))
            candidates.formUnion(members(b))
        }
        let codes = try code(candidates.sorted())

        var components = UnionFind(count: hashes.count)
        for (a, b) in runPairs {
            let hamming = (hash(a) ^ hash(b)).nonzeroBitCount
            let left = members(a), right = members(b)
            for (offset, first) in left.enumerated() {
                guard let firstCode = codes[first] else { continue }
                // Within one run, each unordered pair once.
                for second in (a == b ? right.dropFirst(offset + 1) : right[...]) {
                    guard let secondCode = codes[second] else { continue }
                    let distance = HashSearch.euclidean(firstCode, secondCode)
                    if distance <= maximumDistance {
                        components.join(first, second, hamming: hamming, distance: distance)
                    }
                }
            }
        }
        return components.groups()
    }

    /// Every mask of 1 ... `radius` set bits among the low `bitCount` bits.
    static func flipMasks(bitCount: Int, upTo radius: Int) -> [UInt64] {
        var masks: [UInt64] = []
        func extend(_ mask: UInt64, from bit: Int, remaining: Int) {
            guard remaining > 0 else { return }
            for next in bit..<bitCount {
                let extended = mask | (1 << UInt64(next))
                masks.append(extended)
                extend(extended, from: next + 1, remaining: remaining - 1)
            }
        }
        extend(0, from: 0, remaining: radius)
        return masks
    }
}

/// Disjoint sets of image indices that remember, per set, the largest
/// distances of the links that joined it.
private struct UnionFind {
    private var parent: [Int]
    private var linkHamming: [Int]
    private var linkDistance: [Float]
    private var linked: [Bool]

    init(count: Int) {
        parent = Array(0..<count)
        linkHamming = Array(repeating: 0, count: count)
        linkDistance = Array(repeating: 0, count: count)
        linked = Array(repeating: false, count: count)
    }

    mutating func root(_ element: Int) -> Int {
        var element = element
        while parent[element] != element {
            parent[element] = parent[parent[element]]  // path halving
            element = parent[element]
        }
        return element
    }

    mutating func join(_ a: Int, _ b: Int, hamming: Int, distance: Float) {
        let rootA = root(a), rootB = root(b)
        let (keep, fold) = rootA < rootB ? (rootA, rootB) : (rootB, rootA)
        if keep != fold {
            parent[fold] = keep
            linkHamming[keep] = max(linkHamming[keep], linkHamming[fold])
            linkDistance[keep] = max(linkDistance[keep], linkDistance[fold])
        }
        linkHamming[keep] = max(linkHamming[keep], hamming)
        linkDistance[keep] = max(linkDistance[keep], distance)
        linked[keep] = true
    }

    /// Sets of two or more, members ascending, in order of their smallest member.
    mutating func groups() -> [(members: [Int], hamming: Int, distance: Float)] {
        var membersOfRoot: [Int: [Int]] = [:]
        for element in parent.indices where parent[element] != element || linked[element] {
            membersOfRoot[root(element), default: []].append(element)
        }
        return membersOfRoot.keys.sorted().compactMap { root in
            guard let members = membersOfRoot[root], members.count > 1 else { return nil }
            return (members, linkHamming[root], linkDistance[root])
        }
    }
}
