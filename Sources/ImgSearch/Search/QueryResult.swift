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

    public init(rank: Int, path: String, hamming: Int, distance: Float) {
        self.rank = rank
        self.path = path
        self.hamming = hamming
        self.distance = distance
    }
}

/// The matches for one query image, nearest first.
///
/// Encodes to JSON as `{"query": PATH, "results": [{"rank":1,"path":...,
/// "hamming":0,"distance":0.0}, ...]}`, the form `imgsearch query --json`
/// prints.
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
