/// An indexed image as a listing shows it: its id, where it is, and what
/// the file declared; no codes.
public struct IndexedImage: Sendable, Equatable, Codable {
    /// Row id: never reused, so it names the image for as long as it is indexed.
    public var id: Int64
    public var path: String
    /// Upright size declared by the file.
    public var width: Int
    public var height: Int
    /// The format the file was decoded as (an ``ImageFormat`` raw value);
    /// nil for a row indexed before the index recorded formats.
    public var format: String?
    /// File size in bytes.
    public var bytes: Int64

    public init(id: Int64, path: String, width: Int, height: Int, format: String?, bytes: Int64) {
        self.id = id
        self.path = path
        self.width = width
        self.height = height
        self.format = format
        self.bytes = bytes
    }
}

/// One page of an index's images, ids ascending (``ImageIndex/images(offset:limit:)``).
public struct IndexedImagePage: Sendable, Equatable, Codable {
    /// Images in the whole index when the page was read.
    public var total: Int
    public var offset: Int
    public var images: [IndexedImage]

    public init(total: Int, offset: Int, images: [IndexedImage]) {
        self.total = total
        self.offset = offset
        self.images = images
    }
}
