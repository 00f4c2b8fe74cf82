internal import CImgSearchJPEG

/// Writes ``RGBImage`` values as baseline JPEG files through libjpeg-turbo.
///
/// Made for the near-duplicate test (a copy re-encoded at quality 50 must
/// still find its original), so it offers what that needs: libjpeg's
/// standard tables scaled to a quality, 4:2:0 chroma, no metadata.
public enum JPEGEncoder {
    /// The bytes of a JPEG file of `image` at `quality` (1 ... 100, clamped).
    /// - Throws: ``ImageDecodingError`` naming `"<encoded image>"` when
    ///   libjpeg fails (only when memory runs out, or a side is over 65,500).
    public static func encode(_ image: RGBImage, quality: Int) throws(ImageDecodingError) -> [UInt8] {
        var bytes: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        let (status, message) = withCMessageBuffer { message, capacity in
            image.pixels.withUnsafeBufferPointer { pixels in
                imgsearch_jpeg_encode(pixels.baseAddress, Int32(clamping: image.width), Int32(clamping: image.height),
                                      Int32(clamping: quality), &bytes, &size, message, capacity)
            }
        }
        defer { imgsearch_jpeg_free_bytes(bytes) }
        guard status == IMGSEARCH_JPEG_OK, let bytes else {
            throw ImageDecodingError(path: "<encoded image>", reason: .corrupt("JPEG encoding failed: \(message)"))
        }
        return Array(UnsafeBufferPointer(start: bytes, count: size))
    }
}
