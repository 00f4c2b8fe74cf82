import ImgSearchCore
import ImgSearchImaging
import ImgSearchLearning

/// Near-duplicate groups of an index: candidates from the hashes and codes
/// (``DuplicateFinder``), each pair confirmed by decoding both files again
/// and comparing their 16x16 thumbnails.
///
/// Reads on a reader connection of its own, in one snapshot, so an index
/// run or queries go on meanwhile; files are decoded outside any lock.
struct DuplicateSearch {
    let connections: IndexConnections
    let encoder: any SemanticEncoder
    var radius = 2
    /// nil: ``DuplicateGroup/defaultMaximumDistance(for:)`` of the encoder's codes.
    var maximumDistance: Float?
    var maximumThumbnailDifference = DuplicateGroup.defaultMaximumThumbnailDifference
    var jobs = 2

    /// The groups, largest first, then by first path.
    func groups(progress: (WorkProgress) -> Void) throws -> [DuplicateGroup] {
        // Every read in one snapshot, so that a commit meanwhile cannot pair
        // one state's hashes with another's codes; the files are decoded
        // after it ends.
        var paths: [Int: String] = [:]
        var ids: [Int64] = []
        let (count, candidates) = try connections.reading { storage in
            try storage.readingOneSnapshot { () throws -> (Int, [DuplicateFinder.Candidate]) in
                let loaded = try storage.loadHashes()
                ids = loaded.ids
                guard let first = ids.first, let bitCount = try storage.records(ids: [first]).first?.code.count else {
                    return (0, [])
                }
                let finder = DuplicateFinder(
                    bitCount: bitCount, radius: radius,
                    maximumDistance: maximumDistance ?? DuplicateGroup.defaultMaximumDistance(for: encoder.codeOutput))
                let candidates = try finder.candidatePairs(hashes: loaded.hashes) { indices in
                    let indexOfID = Dictionary(uniqueKeysWithValues: indices.map { (ids[$0], $0) })
                    var codes: [Int: [Float]] = [:]
                    for record in try storage.records(ids: indices.map { ids[$0] }) {
                        guard let index = indexOfID[record.id] else { continue }
                        codes[index] = record.code
                        paths[index] = record.path
                    }
                    return codes
                }
                return (loaded.hashes.count, candidates)
            }
        }
        let thumbnails = Self.thumbnails(
            of: Set(candidates.flatMap { [$0.first, $0.second] }).sorted(), paths: paths,
            jobs: max(1, jobs), progress: progress)
        let scores = candidates.map { candidate -> Float? in
            guard let a = thumbnails[candidate.first], let b = thumbnails[candidate.second] else { return nil }
            let difference = Self.meanAbsoluteDifference(a, b)
            return difference <= maximumThumbnailDifference ? difference : nil
        }
        let found = DuplicateFinder.groups(of: count, candidates: candidates, scores: scores)
        return found.map { group in
            let members = group.members.compactMap { member in paths[member].map { ($0, ids[member]) } }.sorted { $0.0 < $1.0 }
            return DuplicateGroup(paths: members.map(\.0), ids: members.map(\.1), hamming: group.hamming,
                                  distance: group.distance, thumbnailDifference: group.score)
        }.sorted { ($1.paths.count, $0.paths.first ?? "") < ($0.paths.count, $1.paths.first ?? "") }
    }

    /// The thumbnails of the images at these indices as bytes (a third of
    /// the floats' memory), decoded on `jobs` threads; undecodable ones are
    /// absent. Each chunk's floats become bytes before the next is decoded.
    private static func thumbnails(
        of indices: [Int], paths: [Int: String], jobs: Int, progress: (WorkProgress) -> Void
    ) -> [Int: [UInt8]] {
        var thumbnails: [Int: [UInt8]] = [:]
        ThumbnailLoader(side: comparedSide, jobs: jobs, chunkSize: 512).load(
            indices.map { paths[$0] ?? "" }, phase: "comparing thumbnails", progress: progress
        ) { offset, images in
            for (index, image) in zip(indices[offset...], images) {
                if let image { thumbnails[index] = image.thumbnail.values.map { UInt8(($0 * 255).rounded()) } }
            }
        }
        return thumbnails
    }

    /// The side of the thumbnails duplicates are compared at: 16x16, coarser
    /// than the model's 32x32, so that a copy at a lower resolution (which
    /// loses the finest detail) still matches its original.
    static let comparedSide = 16

    /// Mean of |a - b| over the values, scaled to [0, 1].
    static func meanAbsoluteDifference(_ a: [UInt8], _ b: [UInt8]) -> Float {
        guard a.count == b.count, !a.isEmpty else { return .infinity }
        var sum = 0
        for index in a.indices { sum &+= abs(Int(a[index]) &- Int(b[index])) }
        return Float(sum) / Float(a.count) / 255
    }
}
