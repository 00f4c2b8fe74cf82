internal import CImgSearchPNG

/// Writes ``RGBImage`` values as PNG files, through libpng.
///
/// The output is a plain 8-bit RGB, non-interlaced PNG at zlib's default
/// compression level, with no ancillary chunks: decoding it gives back
/// exactly the same pixels. Used for thumbnails and test fixtures, where
/// a lossless, universally readable file matters more than its size.
public enum PNGEncoder {
    /// Encodes `image` as the bytes of a PNG file.
    ///
    /// - Parameter image: any ``RGBImage`` whose sides fit PNG's limit of
    ///   2^31 - 1 pixels. Wider than libpng's default of 1,000,000 is fine:
    ///   such panoramas are valid PNG and ``PNGDecoder`` reads them.
    /// - Returns: the complete file, signature through IEND.
    /// - Throws: ``PNGEncodingError`` when libpng refuses the image or memory
    ///   for the output runs out.
    public static func encode(_ image: RGBImage) throws(PNGEncodingError) -> [UInt8] {
        // PNG stores sides as 31-bit numbers; checked here so the message is plain.
        let sideLimit = Int(Int32.max)
        guard image.width <= sideLimit, image.height <= sideLimit,
              let width = UInt32(exactly: image.width), let height = UInt32(exactly: image.height)
        else {
            throw PNGEncodingError(
                width: image.width, height: image.height,
                reason: .refused("a side is over PNG's limit of 2^31 - 1 pixels"))
        }
        var pngBytes: UnsafeMutablePointer<UInt8>? = nil
        var pngSize = 0
        let (status, message) = withCMessageBuffer { message, capacity in
            image.pixels.withUnsafeBufferPointer { pixels in
                imgsearch_png_encode(
                    pixels.baseAddress, width, height, &pngBytes, &pngSize, message, capacity)
            }
        }
        // The C side owns the bytes until here, whatever happens below.
        defer { imgsearch_png_free(pngBytes) }

        switch status {
        case .IMGSEARCH_PNG_OK:
            return Array(UnsafeBufferPointer(start: pngBytes, count: pngSize))
        case .IMGSEARCH_PNG_LIBPNG_ERROR, .IMGSEARCH_PNG_TOO_LARGE:
            // The encoder never reports TOO_LARGE; libpng's own size checks
            // arrive as LIBPNG_ERROR with their message.
            throw PNGEncodingError(width: image.width, height: image.height, reason: .refused(message))
        case .IMGSEARCH_PNG_OUT_OF_MEMORY:
            throw PNGEncodingError(width: image.width, height: image.height, reason: .outOfMemory)
        }
    }
}
