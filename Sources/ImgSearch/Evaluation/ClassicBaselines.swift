import ImgSearchImaging
import ImgSearchLinearAlgebra

/// The classic global descriptors as retrieval methods, computed on the
/// same files as the model's codes (issue 14): what a content-based search
/// without learning finds.
///
/// - "HSV-histogram": 8x4x4 HSV colour shares, L1 distance.
/// - "pHash", "dHash": 64-bit perceptual hashes as imagehash computes them,
///   Hamming distance.
/// - "pixels-32": the thumbnail's 3,072 values, Euclidean distance.
///
/// Ties fall by database position, which the evaluation has shuffled.
enum ClassicBaselines {
    /// The methods' names, in report order.
    static let names = ["HSV-histogram", "pHash", "dHash", "pixels-32"]

    /// The methods `database` and `queries` allow, and a note for each one
    /// left out and why.
    /// - Parameters:
    ///   - databasePixels: `database`'s ``LabelledImageSet/thumbnailMatrix``, which the caller already holds
    ///   - queryPixels: the same of `queries`
    ///   - pixelComparisonLimit: the most database x query pairs pixels-32
    ///     compares (3,072 values each)
    static func candidates(
        database: LabelledImageSet, queries: LabelledImageSet, databasePixels: Matrix, queryPixels: Matrix,
        pixelComparisonLimit: Int
    ) -> (candidates: [(String, RetrievalCodes, [RetrievalCodes])], notes: [String]) {
        var candidates: [(String, RetrievalCodes, [RetrievalCodes])] = []
        var notes: [String] = []
        if let described = database.descriptors, let queryDescriptors = queries.descriptors {
            candidates.append(("HSV-histogram", .colourHistograms(described), [.colourHistograms(queryDescriptors)]))
            candidates.append(("pHash", .hashes64(described.map(\.pHash)), [.hashes64(queryDescriptors.map(\.pHash))]))
            candidates.append(("dHash", .hashes64(described.map(\.dHash)), [.hashes64(queryDescriptors.map(\.dHash))]))
        } else {
            notes.append("HSV-histogram, pHash and dHash left out: the images were loaded without descriptors")
        }
        let comparisons = database.count * queries.count
        if comparisons <= pixelComparisonLimit {
            candidates.append(("pixels-32", .real(databasePixels), [.real(queryPixels)]))
        } else {
            notes.append("pixels-32 left out: \(database.count) x \(queries.count) comparisons of 3,072 values "
                + "are more than the limit of \(pixelComparisonLimit)")
        }
        return (candidates, notes)
    }
}
