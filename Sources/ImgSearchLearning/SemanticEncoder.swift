import ImgSearchCore
import ImgSearchImaging

/// What the indexer and the query engine need of a model: thumbnails in,
/// codes and hashes out, in batches (one matrix product per layer per
/// batch, not per image).
public protocol SemanticEncoder: Sendable {
    /// Side of the square thumbnails the model takes.
    var thumbnailSide: Int { get }
    /// One code per thumbnail, in order.
    func encode(_ thumbnails: [Thumbnail]) throws -> [SemanticCode]
}
