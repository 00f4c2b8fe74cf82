internal import CImgSearchJPEG

/// A JPEG decoded by libjpeg-turbo, before orientation is applied.
package struct DecodedJPEG {
    /// The pixels, possibly scaled down in the DCT domain.
    package var image: RGBImage
    /// Size declared by the file's header.
    var sourceWidth: Int
    var sourceHeight: Int
    /// The DCT scale used, `scaleNumerator / 8`.
    package var scaleNumerator: Int
    /// Whether only the DC scans of a progressive file were read.
    package var usedDCOnly: Bool
}

/// JPEG decoding through the `CImgSearchJPEG` C target.
///
/// The C side owns the setjmp/longjmp error handling; this side turns its
/// status codes into ``ImageDecodingError`` values that name the file.
package enum JPEGDecoder {
    /// Decodes `bytes`, scaling in the DCT domain to the smallest M/8 that
    /// keeps both sides at least `options.minimumDecodedSide`.
    package static func decode(_ bytes: [UInt8], path: String, options: ImageDecodingOptions) throws(ImageDecodingError) -> DecodedJPEG {
        var settings = ImgSearchJPEGOptions(
            max_pixels: UInt64(max(0, options.maximumPixelCount)),
            min_side: Int32(clamping: options.minimumDecodedSide),
            warnings_are_errors: options.treatsDataWarningsAsErrors ? 1 : 0,
            progressive_dc_only: options.decodesProgressiveDCOnly ? 1 : 0
        )
        var decoded = ImgSearchJPEGImage()
        let (status, text) = withCMessageBuffer { message, capacity in
            bytes.withUnsafeBufferPointer { buffer in
                imgsearch_jpeg_decode(buffer.baseAddress, buffer.count, &settings, &decoded, message, capacity)
            }
        }
        // The C side owns the pixels until here, whatever happens below.
        defer { imgsearch_jpeg_free(&decoded) }

        switch status {
        case IMGSEARCH_JPEG_OK:
            break
        case IMGSEARCH_JPEG_TOO_LARGE:
            throw ImageDecodingError(path: path, reason: .tooLarge(
                width: Int(decoded.source_width), height: Int(decoded.source_height),
                limit: options.maximumPixelCount))
        case IMGSEARCH_JPEG_UNSUPPORTED:
            throw ImageDecodingError(path: path, reason: .unsupportedVariant("JPEG: \(text)"))
        case IMGSEARCH_JPEG_OUT_OF_MEMORY:
            throw ImageDecodingError(path: path, reason: .outOfMemory(text))
        default:
            throw ImageDecodingError(path: path, reason: .corrupt(text))
        }

        let width = Int(decoded.width), height = Int(decoded.height)
        guard width > 0, height > 0, let pixels = decoded.pixels else {
            throw ImageDecodingError(path: path, reason: .corrupt("image has no pixels"))
        }
        let image = RGBImage(
            width: width, height: height,
            pixels: Array(UnsafeBufferPointer(start: pixels, count: width * height * 3)))
        return DecodedJPEG(
            image: image,
            sourceWidth: Int(decoded.source_width), sourceHeight: Int(decoded.source_height),
            scaleNumerator: Int(decoded.scale_num), usedDCOnly: decoded.used_dc_only != 0)
    }
}
