import ImgSearchCore
import ImgSearchImaging

/// One indexed image as stored.
public struct ImageRecord: Sendable, Equatable {
    /// Row id; never reused, so it can key the packed hash blocks.
    public var id: Int64
    public var path: String
    public var size: Int64
    /// Modification time in nanoseconds since 1970.
    public var modificationTime: Int64
    /// Hash of the file's bytes (see ``ContentHash``), to recognize a moved file.
    public var contentHash: UInt64
    /// Upright size declared by the file.
    public var width: Int
    public var height: Int
    /// The semantic hash, in the low bits.
    public var hash: SemanticHash
    /// The real-valued code the hash was made from.
    public var code: [Float]
    /// The model that produced `code` and `hash`.
    public var modelID: Int64
    /// The thumbnail's HSV colour histogram, for the colour term of the
    /// re-ranking (``QueryOptions/colourWeight``); nil for a row written
    /// before indexes stored it (the next `index` run decodes it again).
    public var colour: ColourHistogram?
    /// The format the file was decoded as (an ``ImageFormat`` raw value);
    /// nil for a row written before the index recorded formats (schema
    /// version 3) and not decoded since.
    public var format: String?

    package init(id: Int64, path: String, size: Int64, modificationTime: Int64, contentHash: UInt64,
                 width: Int, height: Int, hash: SemanticHash, code: [Float], modelID: Int64,
                 colour: ColourHistogram? = nil, format: String? = nil) {
        self.colour = colour
        self.id = id
        self.path = path
        self.size = size
        self.modificationTime = modificationTime
        self.contentHash = contentHash
        self.width = width
        self.height = height
        self.hash = hash
        self.code = code
        self.modelID = modelID
        self.format = format
    }
}
