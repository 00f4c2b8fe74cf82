/// The image formats imgsearch decodes, recognized by their first bytes.
public enum ImageFormat: String, Sendable, CaseIterable {
    case jpeg
    case png

    /// The format whose signature starts `bytes`, or `nil` for anything else.
    ///
    /// JPEG: the SOI marker `FF D8` followed by the `FF` of the next marker.
    /// PNG: the eight-byte signature `89 50 4E 47 0D 0A 1A 0A`.
    /// The file name plays no part: a PNG called `photo.jpg` is a PNG.
    public init?<Bytes: Collection<UInt8>>(signatureOf bytes: Bytes) {
        let head = Array(bytes.prefix(8))
        if head.count >= 3, head[0] == 0xFF, head[1] == 0xD8, head[2] == 0xFF {
            self = .jpeg
        } else if head == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] {
            self = .png
        } else {
            return nil
        }
    }
}
