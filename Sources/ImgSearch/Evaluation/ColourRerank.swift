import ImgSearchImaging
import ImgSearchLinearAlgebra

/// The colour term of the re-ranked shortlist, as evaluation computes it for
/// ``RetrievalDatabase``: the query's thumbnail histograms, the database's,
/// and the weight ``QueryOptions/colourWeight`` gives the L1 distance
/// between them (``ColourDistance``).
public struct ColourRerank: Sendable {
    /// (database count, bins) each database image's thumbnail histogram.
    public let database: Matrix
    /// Each query's histograms, one matrix per histogram variant (the image
    /// and, when trimming black bars, its trimmed copy): (query count, bins).
    public let queries: [Matrix]
    public let weight: Float

    public init(database: Matrix, queries: [Matrix], weight: Float) {
        self.database = database
        self.queries = queries
        self.weight = weight
    }

    /// The term for database image `position` and query `query`.
    func term(position: Int, query: Int) -> Float {
        let width = database.columns
        let candidate = database.elements[(position * width)..<((position + 1) * width)]
        return ColourDistance.term(
            weight: weight,
            candidate: candidate,
            query: queries.map { $0.elements[(query * width)..<((query + 1) * width)] })
    }

    /// The histograms `query` with `options` compares candidates with: the
    /// image's and, when it trims black bars, the trimmed copy's (the image's
    /// again when it has none).
    static func queryHistograms(_ thumbnails: [Thumbnail], as options: QueryOptions) -> [Matrix] {
        [histograms(thumbnails)]
            + (options.trimBars ? [histograms(thumbnails.map { $0.trimmingBlackBars() ?? $0 })] : [])
    }

    /// Histograms of `thumbnails`, one row each.
    public static func histograms(_ thumbnails: [Thumbnail]) -> Matrix {
        let rows = thumbnails.map { ColourHistogram(of: $0).shares }
        return Matrix(rows: rows.count, columns: rows.first?.count ?? 0, elements: rows.flatMap { $0 })
    }
}
