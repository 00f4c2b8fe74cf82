/// The bytes of an image file and their hash, read but not yet decoded:
/// the first of ``ThumbnailLoader``'s two stages, for a caller that compares
/// a file with what it stored before it decides to decode it.
public struct ImageFileContents: Sendable {
    /// The file, as the caller named it.
    public var path: String
    /// The whole file.
    public var bytes: [UInt8]
    /// ``ContentHash`` of `bytes`. Always taken here: what a caller compares
    /// before decoding is the size and this hash.
    public var contentHash: UInt64

    public init(path: String, bytes: [UInt8], contentHash: UInt64) {
        self.path = path
        self.bytes = bytes
        self.contentHash = contentHash
    }
}
