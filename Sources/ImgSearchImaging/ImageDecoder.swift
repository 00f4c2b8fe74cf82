/// A picture decoded from a file, turned upright.
public struct DecodedImage: Sendable {
    /// The upright pixels. JPEGs may be scaled down in the DCT domain (see
    /// ``ImageDecodingOptions/minimumDecodedSide``).
    public var image: RGBImage
    /// The file's format, recognized from its bytes.
    public var format: ImageFormat
    /// Width and height declared by the file, upright (after orientation).
    public var width: Int
    public var height: Int
    /// The orientation that was applied (EXIF for JPEG and WebP, the
    /// Orientation tag for TIFF); `.up` for PNG, GIF and BMP, and for HEIF,
    /// whose irot/imir libheif applies itself.
    public var orientation: ExifOrientation
}

/// Turns image files into pixels and thumbnails.
///
/// The entry point for every caller: it recognizes the format by content,
/// dispatches to the JPEG, PNG, WebP, GIF, TIFF, BMP or HEIF (HEIC, AVIF)
/// decoder, and applies the orientation the file records (EXIF in JPEG and
/// WebP, the Orientation tag in TIFF, irot/imir in HEIF through libheif).
/// Every failure is an ``ImageDecodingError`` naming the file; nothing is
/// printed and nothing crashes on bad input.
public enum ImageDecoder {
    /// Decodes the file at `path`.
    public static func decode(contentsOf path: String, options: ImageDecodingOptions = .init()) throws(ImageDecodingError) -> DecodedImage {
        try decode(ImageFile.read(path, checkingSignature: true), path: path, options: options)
    }

    /// Decodes `bytes`; `path` is used only to name the source in errors.
    public static func decode(_ bytes: [UInt8], path: String, options: ImageDecodingOptions = .init()) throws(ImageDecodingError) -> DecodedImage {
        guard let format = ImageFormat(signatureOf: bytes) else {
            throw ImageDecodingError(path: path, reason: bytes.isEmpty ? .corrupt("empty file") : .unsupportedFormat)
        }
        switch format {
        case .jpeg:
            let decoded = try JPEGDecoder.decode(bytes, path: path, options: options)
            let orientation = ExifOrientation.ofJPEG(bytes)
            return DecodedImage(
                image: decoded.image.applying(orientation), format: .jpeg,
                width: orientation.swapsSides ? decoded.sourceHeight : decoded.sourceWidth,
                height: orientation.swapsSides ? decoded.sourceWidth : decoded.sourceHeight,
                orientation: orientation)
        case .png:
            let image = try PNGDecoder.decode(bytes, path: path, options: options)
            return DecodedImage(image: image, format: .png, width: image.width, height: image.height, orientation: .up)
        case .webp:
            let decoded = try WebPDecoder.decode(bytes, path: path, options: options)
            return upright(decoded.image, format: .webp, orientation: ExifOrientation.ofWebP(bytes))
        case .gif:
            let image = try GIFDecoder.decode(bytes, path: path, options: options)
            return DecodedImage(image: image, format: .gif, width: image.width, height: image.height, orientation: .up)
        case .tiff:
            let decoded = try TIFFDecoder.decode(bytes, path: path, options: options)
            return upright(decoded.image, format: .tiff, orientation: decoded.orientation)
        case .bmp:
            let image = try BMPDecoder.decode(bytes, path: path, options: options)
            return DecodedImage(image: image, format: .bmp, width: image.width, height: image.height, orientation: .up)
        case .heif, .avif:
            // libheif applies irot, imir and clap; EXIF orientation in a
            // HEIF file must not be applied on top (the HEIF standard makes
            // the transformation properties authoritative).
            let decoded = try HEIFDecoder.decode(bytes, path: path, options: options, format: format)
            return DecodedImage(image: decoded.image, format: format, width: decoded.sourceWidth, height: decoded.sourceHeight, orientation: .up)
        }
    }

    /// `image` (full size, in stored order) turned by `orientation`.
    private static func upright(_ image: RGBImage, format: ImageFormat, orientation: ExifOrientation) -> DecodedImage {
        let turned = image.applying(orientation)
        return DecodedImage(image: turned, format: format, width: turned.width, height: turned.height, orientation: orientation)
    }

    /// The `side` x `side` thumbnail the model sees for the file at `path`.
    ///
    /// `options.minimumDecodedSide` is raised to `side`, so a JPEG is decoded
    /// at the smallest DCT scale that still covers the thumbnail.
    public static func thumbnail(contentsOf path: String, side: Int = Thumbnail.defaultSide, options: ImageDecodingOptions = .init()) throws(ImageDecodingError) -> Thumbnail {
        try thumbnail(ImageFile.read(path, checkingSignature: true), path: path, side: side, options: options)
    }

    /// The thumbnail of an image held in memory; `path` names it in errors.
    public static func thumbnail(_ bytes: [UInt8], path: String, side: Int = Thumbnail.defaultSide, options: ImageDecodingOptions = .init()) throws(ImageDecodingError) -> Thumbnail {
        var options = options
        options.minimumDecodedSide = max(options.minimumDecodedSide, side)
        return Thumbnail(of: try decode(bytes, path: path, options: options).image, side: side)
    }
}
