import ImgSearchCore
import ImgSearchImaging
import ImgSearchHashing

/// What the indexer and the query engine need of a model: thumbnails in,
/// codes and hashes out, in batches (one matrix product per layer per
/// batch, not per image).
public protocol SemanticEncoder: Sendable {
    /// Side of the square thumbnails the model takes.
    var thumbnailSide: Int { get }
    /// What the real-valued codes are (activations in [0, 1] or logits):
    /// distances between codes, and so the duplicate filter, depend on it.
    var codeOutput: CodeOutput { get }
    /// One code per thumbnail, in order.
    func encode(_ thumbnails: [Thumbnail]) throws -> [SemanticCode]
    /// The semantic hash of a real-valued code, as ``encode(_:)`` makes it.
    func hash(_ code: [Float]) throws -> SemanticHash
}
