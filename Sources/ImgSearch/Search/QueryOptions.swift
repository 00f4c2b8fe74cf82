import ImgSearchImaging

/// How a query searches: how many results, how far, with which variants,
/// in which final order.
public struct QueryOptions: Sendable, Equatable {
    /// The most results returned, nearest first.
    public var k: Int
    /// Only results within this Hamming distance (inclusive); nil: no limit.
    public var radius: Int?
    /// Also query the image mirrored left to right and merge the two lists,
    /// each image at its nearer distance (Krizhevsky & Hinton's query with
    /// transformed copies): a scene seen the other way round is found too.
    /// Applies to queries by image; a query by codes lists its variants
    /// itself. On by default, with ``rotations`` and a ``variantPenalty``
    /// of 4: docs/quality.md, "Query-time transformed copies", measures
    /// that this finds mirrored and turned copies at no cost to the rest.
    public var flip: Bool
    /// Also query the image turned by a quarter, a half and three quarters
    /// and merge the lists the same way: a photo saved sideways or upside
    /// down is found too. With ``flip`` the mirror is queried unturned
    /// (five searches in all). Costs a decode and one search per variant.
    public var rotations: Bool
    /// Bits added to a transformed copy's Hamming distances before each
    /// image takes its nearest variant: with a penalty a mirrored or turned
    /// copy wins only where it is clearly nearer than the image itself (a
    /// copy saved sideways), not wherever some neighbour happens to lie
    /// nearer to it. With a penalty (> 0) the copy's real-code distances,
    /// which order ties and the ``rerank`` shortlist, also count
    /// ``variantRealDistanceScale`` times; 0 merges plainly. The results'
    /// `hamming` and `distance` stay the variant's true distances.
    public var variantPenalty: Int
    /// Also query the image with its black bars cut off, when it has any
    /// (``Thumbnail/trimmingBlackBars()``): a letterboxed copy, or one with
    /// a dark caption band, is found too. Counted with the same penalty.
    public var trimBars: Bool
    /// With N > 0, the first N results by (Hamming distance, real distance)
    /// are put in the order of their real distance plus the colour term
    /// (``colourWeight``): the hash as the address, the real code and the
    /// colours for the final order. A recompressed, resized, cropped or
    /// captioned copy of an indexed photo then comes first far more often
    /// (docs/quality.md, "Colour in the re-ranking"), and so do the images
    /// of the same object or scene. 300 by default; 0 keeps the Hamming order.
    public var rerank: Int
    /// The weight of colour in the re-ranked shortlist: each of the first
    /// ``rerank`` is ordered by its real-code distance plus this times the
    /// L1 distance between the two thumbnails' HSV histograms (0 ... 2),
    /// the query's colour left out when it is grey (`ColourDistance`).
    /// The same object photographed again, or a cropped or turned copy,
    /// keeps its colours where its code moves. 16 by default, measured
    /// beside 0-64 on every development set (docs/quality.md, "Colour in
    /// the re-ranking"); 0: the real code alone.
    public var colourWeight: Float

    /// The defaults: 10 results, no radius, the mirror, the three other
    /// turns and the bar-trimmed copy merged with a 4-bit penalty, the
    /// first 300 re-ranked by the real code plus 16 x the colour distance
    /// (docs/quality.md, "Query-time transformed copies" and "Colour in the
    /// re-ranking").
    public init(
        k: Int = 10, radius: Int? = nil, flip: Bool = true, rotations: Bool = true, variantPenalty: Int = 4,
        trimBars: Bool = true, rerank: Int = 300, colourWeight: Float = 16
    ) {
        self.colourWeight = colourWeight
        self.trimBars = trimBars
        self.k = k
        self.radius = radius
        self.flip = flip
        self.rotations = rotations
        self.variantPenalty = variantPenalty
        self.rerank = rerank
    }
}

extension QueryOptions {
    /// The factor on a transformed copy's real-code (Euclidean) distance
    /// when ``variantPenalty`` is on: sqrt 2. Without it a re-ranked
    /// shortlist is ordered by whichever variant lies nearest in the real
    /// code, and the variants' look-alikes come back (docs/quality.md,
    /// "Query-time transformed copies").
    public static let variantRealDistanceScale = Float(2).squareRoot()

    /// Whether a query by image searches with transformed copies besides the image.
    public var hasVariants: Bool { flip || rotations || trimBars }

    /// The variants a query searches with besides the image, named: its
    /// mirror (``flip``), its three other quarter turns (``rotations``) and,
    /// when it has black bars, the picture without them (``trimBars``).
    func presentVariants(of thumbnail: Thumbnail) -> [(kind: QueryVariant, thumbnail: Thumbnail)] {
        var variants: [(kind: QueryVariant, thumbnail: Thumbnail)] = []
        if flip { variants.append((.mirror, thumbnail.mirrored)) }
        if rotations {
            variants += zip([QueryVariant.turned90, .turned180, .turned270], (1...3).map { thumbnail.rotated(quarterTurns: $0) })
                .map { ($0, $1) }
        }
        if trimBars, let trimmed = thumbnail.trimmingBlackBars() { variants.append((.trimmed, trimmed)) }
        return variants
    }

    /// The same variants as ``presentVariants(of:)``, as a list of one length
    /// for every thumbnail, which an evaluation that encodes variant by
    /// variant needs (`eval` measures this list): a thumbnail without black
    /// bars stands for its own trimmed variant (penalized, it never ranks
    /// before the thumbnail itself).
    package func variants(of thumbnail: Thumbnail) -> [Thumbnail] {
        let present = presentVariants(of: thumbnail)
        let withoutBars = trimBars && present.last?.kind != .trimmed
        return present.map(\.thumbnail) + (withoutBars ? [thumbnail] : [])
    }
}
