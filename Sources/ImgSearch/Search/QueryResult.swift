/// Which transformed copy of the query image found a match
/// (``QueryOptions/flip``, ``QueryOptions/rotations``).
public enum QueryVariant: String, Sendable, Equatable, Codable, CaseIterable {
    /// The image as it is.
    case image
    /// The image mirrored left to right.
    case mirror
    /// The image turned anticlockwise by a quarter, a half, three quarters.
    case turned90 = "turned-90"
    case turned180 = "turned-180"
    case turned270 = "turned-270"
    /// The image with its black bars cut off.
    case trimmed
}

/// One indexed image found for a query.
public struct QueryMatch: Sendable, Equatable, Codable {
    /// 1 for the nearest.
    public var rank: Int
    public var path: String
    /// Hamming distance between the semantic hashes.
    public var hamming: Int
    /// Euclidean distance between the real-valued codes; breaks ties
    /// between equal Hamming distances.
    public var distance: Float
    /// The query's variant nearest to this image, whose distances these
    /// are; nil for a query by codes, whose variants are the caller's. A
    /// variant other than ``QueryVariant/image`` ranks as if its Hamming
    /// distance were ``QueryOptions/variantPenalty`` bits larger, so the
    /// list is ordered by (hamming + penalty, distance).
    public var variant: QueryVariant?
    /// The image's row id in the index (``ImageIndex/image(id:)``); nil
    /// only in results made by hand.
    public var id: Int64?

    public init(rank: Int, path: String, hamming: Int, distance: Float, variant: QueryVariant? = nil, id: Int64? = nil) {
        self.id = id
        self.rank = rank
        self.path = path
        self.hamming = hamming
        self.distance = distance
        self.variant = variant
    }
}

/// The matches for one query image, nearest first.
///
/// Encodes to JSON as `{"query": PATH, "results": [{"rank":1,"id":7,"path":...,
/// "hamming":0,"distance":0.0,"variant":"image"}, ...]}`, the form
/// `imgsearch query --json` prints ("variant" and "id" left out when unknown).
public struct QueryResult: Sendable, Equatable, Codable {
    public var query: String
    public var matches: [QueryMatch]

    public init(query: String, matches: [QueryMatch]) {
        self.query = query
        self.matches = matches
    }

    enum CodingKeys: String, CodingKey {
        case query
        case matches = "results"
    }
}
