/// A thumbnail's code and semantic hash.
public struct SemanticCode: Sendable, Equatable {
    /// The real-valued code (30 values for the default model).
    public var code: [Float]
    /// The binarized code, bit `i` from `code[i]`, in the low bits.
    public var hash: UInt64

    public init(code: [Float], hash: UInt64) {
        self.code = code
        self.hash = hash
    }
}

/// What the indexer and the query engine need of a model: thumbnails in,
/// codes and hashes out, in batches (one matrix product per layer per
/// batch, not per image).
public protocol SemanticEncoder: Sendable {
    /// Side of the square thumbnails the model takes.
    var thumbnailSide: Int { get }
    /// One code per thumbnail, in order.
    func encode(_ thumbnails: [Thumbnail]) throws -> [SemanticCode]
}
