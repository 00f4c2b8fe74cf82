internal import CImgSearchWebP

/// A WebP decoded by libwebp, before orientation is applied.
package struct DecodedWebP {
    package var image: RGBImage
    /// Whether the file is an animation (the image is its first frame).
    package var isAnimated: Bool
}

/// Decodes WebP files (lossy, lossless, alpha, extended and animated: the
/// first frame) through libwebp and libwebpdemux, in the C target
/// CImgSearchWebP. Transparent pixels are blended over `options.background`
/// as PNG's are.
package enum WebPDecoder {
    /// Decodes the WebP file `bytes`, read from `path` (used only in errors).
    ///
    /// - Throws: `.tooLarge` when the header (the canvas, for an animation)
    ///   declares more than `options.maximumPixelCount` pixels, before
    ///   anything is allocated; `.corrupt` with libwebp's reason;
    ///   `.unsupportedVariant` for a feature libwebp does not decode;
    ///   `.outOfMemory`.
    package static func decode(
        _ bytes: [UInt8], path: String, options: ImageDecodingOptions
    ) throws(ImageDecodingError) -> DecodedWebP {
        let pixelLimit = UInt64(max(0, options.maximumPixelCount))
        let background = options.background
        var decoded = imgsearch_webp_image()
        let (status, message) = withCMessageBuffer { message, capacity in
            bytes.withUnsafeBufferPointer { data in
                imgsearch_webp_decode(
                    data.baseAddress, data.count, pixelLimit,
                    background.red, background.green, background.blue,
                    &decoded, message, capacity)
            }
        }
        defer { imgsearch_webp_free(decoded.pixels) }

        let width = Int(decoded.width), height = Int(decoded.height)
        switch status {
        case .IMGSEARCH_WEBP_OK:
            guard width > 0, height > 0, let pixels = decoded.pixels else {
                throw ImageDecodingError(path: path, reason: .corrupt("WebP: image has no pixels"))
            }
            let image = RGBImage(width: width, height: height, pixels: Array(UnsafeBufferPointer(start: pixels, count: width * height * 3)))
            return DecodedWebP(image: image, isAnimated: decoded.animated != 0)
        case .IMGSEARCH_WEBP_CORRUPT:
            throw ImageDecodingError(path: path, reason: .corrupt("WebP: \(message)"))
        case .IMGSEARCH_WEBP_UNSUPPORTED:
            throw ImageDecodingError(path: path, reason: .unsupportedVariant("WebP: \(message)"))
        case .IMGSEARCH_WEBP_TOO_LARGE:
            throw ImageDecodingError(path: path, reason: .tooLarge(width: width, height: height, limit: options.maximumPixelCount))
        case .IMGSEARCH_WEBP_OUT_OF_MEMORY:
            throw ImageDecodingError(path: path, reason: .outOfMemory("decoding a \(width)x\(height) WebP"))
        }
    }
}
