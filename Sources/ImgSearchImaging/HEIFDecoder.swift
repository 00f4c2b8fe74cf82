internal import CImgSearchHEIF

/// A HEIF picture decoded by libheif, upright.
package struct DecodedHEIF {
    package var image: RGBImage
    /// The primary image's size after its transformations.
    package var sourceWidth: Int
    package var sourceHeight: Int
    /// Whether the pixels are the file's embedded thumbnail.
    package var usedThumbnail: Bool
}

/// Decodes HEIF files (HEIC, AVIF) through libheif in the C target
/// CImgSearchHEIF, with the irot/imir/clap transformations applied and
/// alpha blended over `options.background`.
///
/// When `options.minimumDecodedSide` is positive (thumbnails) and the file
/// carries a thumbnail image at least that large on both sides, the
/// thumbnail is decoded instead of the primary image: phones store a
/// 320-pixel one beside a 12 MP picture.
package enum HEIFDecoder {
    package static func decode(
        _ bytes: [UInt8], path: String, options: ImageDecodingOptions, format: ImageFormat
    ) throws(ImageDecodingError) -> DecodedHEIF {
        let pixelLimit = UInt64(max(0, options.maximumPixelCount))
        let background = options.background
        let minimumSide = Int32(clamping: options.minimumDecodedSide)
        var decoded = imgsearch_heif_image()
        let (status, message) = withCMessageBuffer { message, capacity in
            bytes.withUnsafeBufferPointer { data in
                imgsearch_heif_decode(
                    data.baseAddress, data.count, pixelLimit, minimumSide,
                    background.red, background.green, background.blue,
                    &decoded, message, capacity)
            }
        }
        defer { imgsearch_heif_free(decoded.pixels) }

        let name = format == .avif ? "AVIF" : "HEIF"
        let width = Int(decoded.width), height = Int(decoded.height)
        switch status {
        case .IMGSEARCH_HEIF_OK:
            guard width > 0, height > 0, let pixels = decoded.pixels else {
                throw ImageDecodingError(path: path, reason: .corrupt("\(name): image has no pixels"))
            }
            let image = RGBImage(width: width, height: height, pixels: Array(UnsafeBufferPointer(start: pixels, count: width * height * 3)))
            return DecodedHEIF(
                image: image, sourceWidth: Int(decoded.source_width), sourceHeight: Int(decoded.source_height),
                usedThumbnail: decoded.from_thumbnail != 0)
        case .IMGSEARCH_HEIF_CORRUPT:
            throw ImageDecodingError(path: path, reason: .corrupt("\(name): \(message)"))
        case .IMGSEARCH_HEIF_UNSUPPORTED:
            throw ImageDecodingError(path: path, reason: .unsupportedVariant("\(name): \(message)"))
        case .IMGSEARCH_HEIF_TOO_LARGE:
            throw ImageDecodingError(path: path, reason: .tooLarge(width: width, height: height, limit: options.maximumPixelCount))
        case .IMGSEARCH_HEIF_OUT_OF_MEMORY:
            throw ImageDecodingError(path: path, reason: .outOfMemory("decoding a \(width)x\(height) \(name)"))
        }
    }
}
