internal import CImgSearchGIF

/// Decodes the first frame of a GIF through giflib (the C target
/// CImgSearchGIF). The transparent colour and whatever the frame leaves
/// uncovered on the logical screen become `options.background`, the colour
/// PNG's alpha is blended over.
package enum GIFDecoder {
    /// Decodes the GIF file `bytes`, read from `path` (used only in errors).
    ///
    /// - Throws: `.tooLarge` when the canvas (the logical screen, grown to
    ///   the first frame) is over `options.maximumPixelCount`, before the
    ///   pixels are allocated; `.corrupt` with giflib's reason (truncated
    ///   data, a bad LZW code, no image, zero width); `.outOfMemory`.
    package static func decode(
        _ bytes: [UInt8], path: String, options: ImageDecodingOptions
    ) throws(ImageDecodingError) -> RGBImage {
        let pixelLimit = UInt64(max(0, options.maximumPixelCount))
        let background = options.background
        var decoded = imgsearch_gif_image()
        let (status, message) = withCMessageBuffer { message, capacity in
            bytes.withUnsafeBufferPointer { data in
                imgsearch_gif_decode(
                    data.baseAddress, data.count, pixelLimit,
                    background.red, background.green, background.blue,
                    &decoded, message, capacity)
            }
        }
        defer { imgsearch_gif_free(decoded.pixels) }

        let width = Int(decoded.width), height = Int(decoded.height)
        switch status {
        case .IMGSEARCH_GIF_OK:
            guard width > 0, height > 0, let pixels = decoded.pixels else {
                throw ImageDecodingError(path: path, reason: .corrupt("GIF: image has no pixels"))
            }
            return RGBImage(width: width, height: height, pixels: Array(UnsafeBufferPointer(start: pixels, count: width * height * 3)))
        case .IMGSEARCH_GIF_CORRUPT:
            throw ImageDecodingError(path: path, reason: .corrupt("GIF: \(message)"))
        case .IMGSEARCH_GIF_TOO_LARGE:
            throw ImageDecodingError(path: path, reason: .tooLarge(width: width, height: height, limit: options.maximumPixelCount))
        case .IMGSEARCH_GIF_OUT_OF_MEMORY:
            throw ImageDecodingError(path: path, reason: .outOfMemory("decoding a \(width)x\(height) GIF"))
        }
    }
}
