internal import CImgSearchTIFF

/// A TIFF's first page decoded by libtiff, in stored row order.
package struct DecodedTIFF {
    package var image: RGBImage
    /// The page's Orientation tag (274), `.up` when absent or out of range.
    package var orientation: ExifOrientation
}

/// Decodes the first page of a TIFF or BigTIFF through libtiff's RGBA
/// interface (the C target CImgSearchTIFF): strips and tiles, 1 to 16 bits,
/// palette, grey, RGB, CMYK, YCbCr, CIE L*a*b*, and the codecs of the
/// system's libtiff. Alpha is blended over `options.background`.
package enum TIFFDecoder {
    /// Decodes the TIFF file `bytes`, read from `path` (used only in errors).
    ///
    /// - Throws: `.tooLarge` when the first page declares more than
    ///   `options.maximumPixelCount` pixels, before the pixels are
    ///   allocated; `.corrupt` with libtiff's first error message;
    ///   `.unsupportedVariant` when libtiff's RGBA interface cannot convert
    ///   the page (32-bit float samples, for instance); `.outOfMemory`.
    package static func decode(
        _ bytes: [UInt8], path: String, options: ImageDecodingOptions
    ) throws(ImageDecodingError) -> DecodedTIFF {
        let pixelLimit = UInt64(max(0, options.maximumPixelCount))
        let background = options.background
        var decoded = imgsearch_tiff_image()
        let (status, message) = withCMessageBuffer { message, capacity in
            bytes.withUnsafeBufferPointer { data in
                imgsearch_tiff_decode(
                    data.baseAddress, data.count, pixelLimit,
                    background.red, background.green, background.blue,
                    &decoded, message, capacity)
            }
        }
        defer { imgsearch_tiff_free(decoded.pixels) }

        let width = Int(decoded.width), height = Int(decoded.height)
        switch status {
        case .IMGSEARCH_TIFF_OK:
            guard width > 0, height > 0, let pixels = decoded.pixels else {
                throw ImageDecodingError(path: path, reason: .corrupt("TIFF: image has no pixels"))
            }
            let image = RGBImage(width: width, height: height, pixels: Array(UnsafeBufferPointer(start: pixels, count: width * height * 3)))
            return DecodedTIFF(image: image, orientation: ExifOrientation(rawValue: Int(decoded.orientation)) ?? .up)
        case .IMGSEARCH_TIFF_CORRUPT:
            throw ImageDecodingError(path: path, reason: .corrupt("TIFF: \(message)"))
        case .IMGSEARCH_TIFF_UNSUPPORTED:
            throw ImageDecodingError(path: path, reason: .unsupportedVariant("TIFF: \(message)"))
        case .IMGSEARCH_TIFF_TOO_LARGE:
            throw ImageDecodingError(path: path, reason: .tooLarge(width: width, height: height, limit: options.maximumPixelCount))
        case .IMGSEARCH_TIFF_OUT_OF_MEMORY:
            throw ImageDecodingError(path: path, reason: .outOfMemory("decoding a \(width)x\(height) TIFF"))
        }
    }
}
