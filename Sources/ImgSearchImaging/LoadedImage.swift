/// An image file turned into a thumbnail by ``ThumbnailLoader``, with what
/// a caller stores about the file beside its code.
public struct LoadedImage: Sendable {
    /// The file, as the caller named it.
    public var path: String
    /// Bytes read: the file's size as decoded, which may differ from a size
    /// found earlier when the file changed in between.
    public var byteCount: Int
    /// ``ContentHash`` of the bytes; nil unless the loader was asked for it
    /// (``ThumbnailLoader/hashesContents``), since hashing a photo's bytes
    /// is a noticeable share of loading it and most callers do not store it.
    public var contentHash: UInt64?
    /// Width and height declared by the file, upright (after EXIF orientation).
    public var width: Int
    public var height: Int
    /// The `side` x `side` thumbnail the loader was made for.
    public var thumbnail: Thumbnail
    /// The classic descriptors of the decoded picture; nil unless the loader
    /// was asked for them (``ThumbnailLoader/descriptorSide``).
    public var descriptors: ImageDescriptors?
    /// The format the bytes were recognized as; nil for an image made some
    /// other way than from a file's bytes.
    public var format: ImageFormat?

    public init(path: String, byteCount: Int, contentHash: UInt64?, width: Int, height: Int, thumbnail: Thumbnail,
                descriptors: ImageDescriptors? = nil, format: ImageFormat? = nil) {
        self.path = path
        self.byteCount = byteCount
        self.contentHash = contentHash
        self.width = width
        self.height = height
        self.thumbnail = thumbnail
        self.descriptors = descriptors
        self.format = format
    }
}
