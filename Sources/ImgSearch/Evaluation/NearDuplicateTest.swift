import ImgSearchImaging
import ImgSearchLearning

/// How often a distorted copy of an indexed image finds that image first.
public struct NearDuplicateResult: Sendable, Equatable {
    /// The distortion's name (``ImageDistortion``'s raw value).
    public var distortion: String
    /// Copies queried.
    public var count: Int
    /// Share of copies whose first result is the original, or a database
    /// image with exactly the original's thumbnail (CIFAR-10 holds a few
    /// exact duplicates, and between those the order is a coin toss).
    public var rankOne: Double
    /// Share of copies that have the original among the first 10 results.
    public var topTen: Double
    /// As ``rankOne``, ranking by the Euclidean distance between real
    /// codes alone: what a re-rank of Hamming candidates by the real code
    /// could reach.
    public var rankOneByRealCode: Double
    /// As ``rankOne``, with the first ``rerankDepth`` by Hamming distance
    /// re-ranked by the real code alone (`imgsearch query --rerank N`).
    public var rankOneAfterRerank: Double
    /// How many results were re-ranked for ``rankOneAfterRerank``.
    public var rerankDepth: Int
}

/// The near-duplicate test: distort database images, query with the copies,
/// and count how often the original comes first, ranked as `imgsearch
/// query` ranks (Hamming distance, ties by the real code) against the whole
/// database.
enum NearDuplicateTest {
    /// - Parameters:
    ///   - database: the database, whose first `count` images are distorted
    ///     (the evaluation shuffles it, so they are a random sample)
    ///   - codes: the database's codes, in the same order
    static func run(
        database: LabelledImageSet, codes: ModelCodes, encoder: AutoencoderEncoder,
        count: Int, rerankDepth: Int, seed: UInt64, threads: Int
    ) throws -> [NearDuplicateResult] {
        let side = encoder.thumbnailSide
        // Made ready once: the hashes in the Hamming index, for every copy.
        let binaryDatabase = try RetrievalDatabase(codes.binary)
        let realDatabase = try RetrievalDatabase(codes.real)
        var results: [NearDuplicateResult] = []
        for distortion in ImageDistortion.allCases {
            let copies = Array(0..<count).parallelMap(threads: threads) { index in
                Result { () throws(ImageDecodingError) -> Thumbnail in
                    let original = try ImageDecoder.decode(contentsOf: database.paths[index]).image
                    let copy = try distortion.apply(to: original, seed: seed &+ UInt64(index))
                    return Thumbnail(of: copy, side: side)
                }
            }
            let thumbnails = try copies.map { try $0.get() }
            let queryCodes = try ModelCodes(encoder.encode(thumbnails), width: encoder.model.codeSize)
            let ranked = Array(0..<count).parallelMap(threads: threads) { index in
                Result { () throws -> (Bool, Bool, Bool, Bool) in
                    let nearest = try RetrievalRanking.nearest(10, database: binaryDatabase, queries: [queryCodes.binary], query: index)
                    let byRealCode = try RetrievalRanking.nearest(1, database: realDatabase, queries: [queryCodes.real], query: index)
                    let reranked = try RetrievalRanking.nearest(
                        1, database: binaryDatabase, queries: [queryCodes.binary], query: index, rerank: rerankDepth)
                    func isOriginal(_ position: Int?) -> Bool {
                        guard let position else { return false }
                        return position == index || database.thumbnails[position] == database.thumbnails[index]
                    }
                    return (isOriginal(nearest.first), nearest.contains(index), isOriginal(byRealCode.first), isOriginal(reranked.first))
                }
            }
            let found = try ranked.map { try $0.get() }
            let n = Double(max(1, count))
            results.append(NearDuplicateResult(
                distortion: distortion.rawValue, count: count,
                rankOne: Double(found.filter { $0.0 }.count) / n, topTen: Double(found.filter { $0.1 }.count) / n,
                rankOneByRealCode: Double(found.filter { $0.2 }.count) / n,
                rankOneAfterRerank: Double(found.filter { $0.3 }.count) / n, rerankDepth: rerankDepth))
        }
        return results
    }
}
