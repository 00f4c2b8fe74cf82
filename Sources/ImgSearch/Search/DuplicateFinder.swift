import ImgSearchCore
import ImgSearchHashing

/// Indexed images that are near-duplicates of one another: linked, directly
/// or through others of the group, by a hash within the radius and a real
/// code within the distance.
public struct DuplicateGroup: Sendable, Codable, Equatable {
    /// The images' paths, in byte order.
    public var paths: [String]
    /// The images' row ids, in the order of ``paths``; empty in a group made by hand.
    public var ids: [Int64]
    /// The largest Hamming distance over the links that joined the group.
    public var hamming: Int
    /// The largest real-code (Euclidean) distance over those links.
    public var distance: Float
    /// The largest thumbnail difference over those links: the mean absolute
    /// difference of the two 16x16 thumbnails' values, in [0, 1].
    public var thumbnailDifference: Float

    public init(paths: [String], ids: [Int64] = [], hamming: Int, distance: Float, thumbnailDifference: Float) {
        self.paths = paths
        self.ids = ids
        self.hamming = hamming
        self.distance = distance
        self.thumbnailDifference = thumbnailDifference
    }

    /// Real-code distance up to which two images with near hashes are
    /// compared by their thumbnails. A loose filter on purpose: the codes
    /// are nearly binary, so many different images with near hashes have
    /// near codes too (`scripts/bench.sh dupes`, docs/benchmarks.md).
    /// For a model whose codes are activations in [0, 1].
    public static let defaultMaximumDistance: Float = 0.8

    /// The same filter for a model whose codes are the code units' logits
    /// (``CodeOutput/preActivations``), which spread over tens: set so that
    /// nearly every re-saved, half-size or noisy copy lies within it of its
    /// original and few originals have another image as near (the figures:
    /// `scripts/bench.sh dupes`, docs/benchmarks.md, "Near duplicates"); the
    /// thumbnail comparison that follows rejects the lookalikes this lets through.
    public static let defaultMaximumLogitDistance: Float = 30

    /// ``defaultMaximumDistance`` or ``defaultMaximumLogitDistance``, as the
    /// model's codes are.
    public static func defaultMaximumDistance(for codeOutput: CodeOutput) -> Float {
        codeOutput == .preActivations ? defaultMaximumLogitDistance : defaultMaximumDistance
    }

    /// Mean absolute difference of two candidates' 16x16 thumbnails (values
    /// in [0, 1]) up to which they are duplicates: about 9 grey levels, which
    /// joins re-saved, half-size and noisy copies to their original and
    /// keeps different photographs apart (`scripts/bench.sh dupes`,
    /// docs/benchmarks.md, "Near duplicates").
    public static let defaultMaximumThumbnailDifference: Float = 0.035
}

/// Finds near-duplicate groups among hashes and codes.
///
/// Candidates come from the hashes alone: images with equal hashes, and,
/// for a radius r > 0, images whose hashes differ in at most r bits, found
/// by a radius search of each distinct hash in a ``BucketHammingIndex`` of
/// them (semantic hashing's address lookup: the addresses within r bits)
/// rather than by comparing all pairs. A candidate
/// pair goes on only when the real codes are within the distance, and is a
/// duplicate only when the caller confirms it (by comparing thumbnails):
/// semantic hashes and codes gather images that *look alike*, which is what
/// search wants and not what duplicates are. Confirmed pairs are joined with
/// union-find.
struct DuplicateFinder {
    var bitCount: Int
    var radius: Int
    var maximumDistance: Float

    /// A pair of image indices that passed the hash and code filters.
    struct Candidate {
        var first: Int, second: Int
        var hamming: Int
        var distance: Float
    }

    /// Groups of at least two indices into `hashes`, each group's members
    /// ascending, with the largest Hamming distance, real-code distance and
    /// confirmation score of a link.
    ///
    /// - Parameter code: the real code of the image at an index; asked only
    ///   for images that have a candidate partner.
    /// - Parameter confirm: for every candidate pair, a score (smaller is
    ///   more alike) if the pair is a duplicate, nil if it is not.
    func groups(
        hashes: [SemanticHash], code: ([Int]) throws -> [Int: [Float]], confirm: ([Candidate]) throws -> [Float?]
    ) throws -> [(members: [Int], hamming: Int, distance: Float, score: Float)] {
        let candidates = try candidatePairs(hashes: hashes, code: code)
        return Self.groups(of: hashes.count, candidates: candidates, scores: try confirm(candidates))
    }

    /// The groups that the confirmed candidates (a non-nil score) join among
    /// `count` images, as ``groups(hashes:code:confirm:)`` returns them.
    static func groups(
        of count: Int, candidates: [Candidate], scores: [Float?]
    ) -> [(members: [Int], hamming: Int, distance: Float, score: Float)] {
        var components = UnionFind(count: count)
        for (candidate, score) in zip(candidates, scores) {
            guard let score else { continue }
            components.join(candidate.first, candidate.second,
                            link: UnionFind.Link(hamming: candidate.hamming, distance: candidate.distance, score: score))
        }
        return components.groups()
    }

    /// The pairs within the radius and the distance, each once.
    func candidatePairs(hashes: [SemanticHash], code: ([Int]) throws -> [Int: [Float]]) throws -> [Candidate] {
        // Images sorted by hash, cut into runs of equal hashes.
        let order = hashes.indices.sorted { hashes[$0] < hashes[$1] }
        var runStarts: [Int] = []
        for (position, image) in order.enumerated() where position == 0 || hashes[image] != hashes[order[position - 1]] {
            runStarts.append(position)
        }
        runStarts.append(order.count)
        let runCount = runStarts.count - 1
        func members(_ run: Int) -> ArraySlice<Int> { order[runStarts[run]..<runStarts[run + 1]] }
        func hash(_ run: Int) -> SemanticHash { hashes[order[runStarts[run]]] }

        // Pairs of runs to compare: a run with itself, and runs within the
        // radius, found by a radius search over the runs' hashes.
        var runPairs: [(Int, Int)] = []
        for run in 0..<runCount where members(run).count > 1 { runPairs.append((run, run)) }
        if radius > 0, runCount > 1 {
            var runs = try BucketHammingIndex(bitCount: bitCount)
            try runs.add((0..<runCount).map(hash), ids: (0..<runCount).map(Int64.init))
            for run in 0..<runCount {
                for neighbour in try runs.search(hash(run), radius: radius) where neighbour.id > Int64(run) {
                    runPairs.append((run, Int(neighbour.id)))
                }
            }
        }

        var involved = Set<Int>()
        for (a, b) in runPairs {
            involved.formUnion(members(a))
            involved.formUnion(members(b))
        }
        let codes = try code(involved.sorted())

        var candidates: [Candidate] = []
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
                        candidates.append(Candidate(first: min(first, second), second: max(first, second), hamming: hamming, distance: distance))
                    }
                }
            }
        }
        return candidates
    }
}

/// Disjoint sets of image indices that remember, per set, the largest
/// distances of the links that joined it.
private struct UnionFind {
    struct Link {
        var hamming = 0
        var distance: Float = 0
        var score: Float = 0

        func widened(by other: Link) -> Link {
            Link(hamming: max(hamming, other.hamming), distance: max(distance, other.distance), score: max(score, other.score))
        }
    }

    private var parent: [Int]
    private var widest: [Link]

    init(count: Int) {
        parent = Array(0..<count)
        widest = Array(repeating: Link(), count: count)
    }

    mutating func root(_ element: Int) -> Int {
        var element = element
        while parent[element] != element {
            parent[element] = parent[parent[element]]  // path halving
            element = parent[element]
        }
        return element
    }

    mutating func join(_ a: Int, _ b: Int, link: Link) {
        let rootA = root(a), rootB = root(b)
        let (keep, fold) = rootA < rootB ? (rootA, rootB) : (rootB, rootA)
        if keep != fold {
            parent[fold] = keep
            widest[keep] = widest[keep].widened(by: widest[fold])
        }
        widest[keep] = widest[keep].widened(by: link)
    }

    /// Sets of two or more, members ascending, in order of their smallest member.
    mutating func groups() -> [(members: [Int], hamming: Int, distance: Float, score: Float)] {
        var othersOfRoot: [Int: [Int]] = [:]
        for element in parent.indices {
            let top = root(element)
            if top != element { othersOfRoot[top, default: []].append(element) }
        }
        return othersOfRoot.keys.sorted().map { root in
            let members = ([root] + othersOfRoot[root, default: []]).sorted()
            let link = widest[root]
            return (members, link.hamming, link.distance, link.score)
        }
    }
}
