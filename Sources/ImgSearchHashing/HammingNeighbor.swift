/// One result of a Hamming search: an indexed code's id and its distance.
///
/// Results come nearest first. Equal distances (there are only `bitCount + 1`
/// of them) are ordered by the Euclidean distance between the real-valued
/// codes when the index and the query have them, then by id, then by the
/// order of insertion, so that every index returns the same list.
public struct HammingNeighbor: Sendable, Hashable, CustomStringConvertible {
    /// The id given to `add(_:ids:realCodes:)`.
    public var id: Int64
    /// Hamming distance to the query: the number of differing bits, 0 ... `bitCount`.
    public var distance: Int

    /// Creates a result.
    public init(id: Int64, distance: Int) {
        self.id = id
        self.distance = distance
    }

    /// `id:distance`, the form of the benchmark's result files.
    public var description: String { "\(id):\(distance)" }
}
