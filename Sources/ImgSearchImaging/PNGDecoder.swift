internal import CImgSearchPNG

/// Decodes PNG files to 8-bit RGB through libpng (the C target CImgSearchPNG,
/// which keeps libpng's setjmp/longjmp error handling out of Swift).
///
/// Every PNG variant comes out as ``RGBImage``: palette, grey of 1 to 16
/// bits, grey + alpha, RGB, RGBA, 16-bit (rounded to 8 bits, not
/// truncated), interlaced and tRNS. Transparent pixels are blended over
/// `options.background` in plain 8-bit values. The gAMA chunk is ignored:
/// stored values are treated as sRGB, as most encoders mean them.
package enum PNGDecoder {
    /// Decodes the PNG file `bytes`, read from `path` (used only in errors).
    ///
    /// - Throws: `.tooLarge` when the header declares more than
    ///   `options.maximumPixelCount` pixels (refused before the pixel buffer
    ///   is allocated); `.corrupt` with libpng's message for a damaged file,
    ///   a bad signature or a truncated one; `.outOfMemory` when memory for
    ///   the pixels cannot be had.
    package static func decode(
        _ bytes: [UInt8], path: String, options: ImageDecodingOptions
    ) throws(ImageDecodingError) -> RGBImage {
        let pixelLimit = UInt64(max(0, options.maximumPixelCount))
        let background = options.background
        var decoded = imgsearch_png_image()
        let (status, message) = withCMessageBuffer { message, capacity in
            bytes.withUnsafeBufferPointer { data in
                imgsearch_png_decode(
                    data.baseAddress, data.count, pixelLimit,
                    background.red, background.green, background.blue,
                    &decoded, message, capacity)
            }
        }
        // The C side owns the pixels until here, whatever happens below.
        defer { imgsearch_png_free(decoded.pixels) }

        let width = Int(decoded.width)
        let height = Int(decoded.height)
        switch status {
        case .IMGSEARCH_PNG_OK:
            let pixels = Array(UnsafeBufferPointer(start: decoded.pixels, count: width * height * 3))
            return RGBImage(width: width, height: height, pixels: pixels)
        case .IMGSEARCH_PNG_LIBPNG_ERROR:
            throw ImageDecodingError(path: path, reason: .corrupt(message))
        case .IMGSEARCH_PNG_TOO_LARGE:
            throw ImageDecodingError(
                path: path,
                reason: .tooLarge(width: width, height: height, limit: options.maximumPixelCount))
        case .IMGSEARCH_PNG_OUT_OF_MEMORY:
            // Not the file's fault and not over the limit: the machine could
            // not supply the memory this time.
            throw ImageDecodingError(path: path, reason: .outOfMemory("decoding a \(width)x\(height) PNG"))
        }
    }
}
