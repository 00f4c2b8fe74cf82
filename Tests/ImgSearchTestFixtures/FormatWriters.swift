import CImgSearchTestEncoders
import Foundation
import ImgSearchImaging

/// WebP, GIF, TIFF, HEIC and AVIF files written at test time through the system
/// libraries' encoders, so that the decoder suites run without
/// `../shared/data` (where the real-world files live).
public enum FormatWriters {
    /// A failure of one of the libraries to write a fixture.
    public struct WriteFailure: Error, CustomStringConvertible {
        public let format: String
        public var description: String { "the library refused to write the \(format) fixture" }
    }

    /// Copies a malloc'd buffer from the C writers into an array and frees it.
    static func take(_ pointer: UnsafeMutablePointer<UInt8>?, _ size: Int, format: String) throws -> [UInt8] {
        guard let pointer else { throw WriteFailure(format: format) }
        defer { free(pointer) }
        return Array(UnsafeBufferPointer(start: pointer, count: size))
    }

    // MARK: - WebP

    /// A lossless WebP of `image`: decodes back to the same bytes.
    public static func webpLossless(_ image: RGBImage) throws -> [UInt8] {
        var size = 0
        let written = image.pixels.withUnsafeBufferPointer {
            imgsearch_test_write_webp_lossless($0.baseAddress, Int32(image.width), Int32(image.height), 3, &size)
        }
        return try take(written, size, format: "WebP")
    }

    /// A lossless WebP with an alpha channel: `rgba` holds 4 bytes a pixel.
    public static func webpLossless(rgba: [UInt8], width: Int, height: Int) throws -> [UInt8] {
        precondition(rgba.count == width * height * 4)
        var size = 0
        let written = rgba.withUnsafeBufferPointer {
            imgsearch_test_write_webp_lossless($0.baseAddress, Int32(width), Int32(height), 4, &size)
        }
        return try take(written, size, format: "WebP")
    }

    /// A lossy (VP8) WebP of `image` at `quality` (0-100).
    public static func webpLossy(_ image: RGBImage, quality: Float = 90) throws -> [UInt8] {
        var size = 0
        let written = image.pixels.withUnsafeBufferPointer {
            imgsearch_test_write_webp_lossy($0.baseAddress, Int32(image.width), Int32(image.height), quality, &size)
        }
        return try take(written, size, format: "WebP")
    }

    /// `webp` (a simple lossy or lossless file) rewritten in the extended
    /// layout, a `VP8X` header then the image chunk then an `EXIF` chunk
    /// recording `orientation`, as cameras and phones write it.
    public static func webp(_ webp: [UInt8], width: Int, height: Int, orientation: Int) -> [UInt8] {
        func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        func le24(_ value: Int) -> [UInt8] { Array(le32(value).prefix(3)) }
        func chunk(_ tag: String, _ body: [UInt8]) -> [UInt8] {
            Array(tag.utf8) + le32(body.count) + body + (body.count % 2 == 1 ? [0] : [])
        }
        let imageChunk = Array(webp[12...])  // after "RIFF" size "WEBP"
        let header = chunk("VP8X", [0x08, 0, 0, 0] + le24(width - 1) + le24(height - 1))  // flag: EXIF present
        let body = Array("WEBP".utf8) + header + imageChunk + chunk("EXIF", exifTIFF(orientation: orientation))
        return Array("RIFF".utf8) + le32(body.count) + body
    }

    /// A little-endian TIFF structure with one IFD entry, Orientation: the
    /// body of an EXIF block (a JPEG's APP1 adds `Exif\0\0` before it).
    public static func exifTIFF(orientation: Int) -> [UInt8] {
        [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0, 1, 0]
            + [0x12, 0x01, 3, 0, 1, 0, 0, 0, UInt8(orientation), 0, 0, 0]
            + [0, 0, 0, 0]
    }

    // MARK: - GIF

    /// One frame of a GIF: `indices` into the file's palette, row by row.
    public struct GIFFrame {
        public var indices: [UInt8]
        public var left = 0, top = 0, width: Int, height: Int
        public var interlaced = false
        public var transparentIndex: Int?

        public init(indices: [UInt8], left: Int = 0, top: Int = 0, width: Int, height: Int,
                    interlaced: Bool = false, transparentIndex: Int? = nil) {
            precondition(indices.count == width * height)
            self.indices = indices
            self.left = left
            self.top = top
            self.width = width
            self.height = height
            self.interlaced = interlaced
            self.transparentIndex = transparentIndex
        }
    }

    /// A GIF89a of a `width` x `height` screen with a global palette of at
    /// most 256 colours and `frames` drawn on it.
    public static func gif(width: Int, height: Int, palette: [(UInt8, UInt8, UInt8)], frames: [GIFFrame]) throws -> [UInt8] {
        let colours = palette.flatMap { [$0.0, $0.1, $0.2] }
        // The index buffers must outlive the C call, so they are pinned one by one.
        var size = 0
        func write(_ remaining: ArraySlice<GIFFrame>, _ described: [imgsearch_test_gif_frame]) -> UnsafeMutablePointer<UInt8>? {
            guard let frame = remaining.first else {
                return imgsearch_test_write_gif(Int32(width), Int32(height), colours, Int32(palette.count),
                                                described, Int32(described.count), &size)
            }
            return frame.indices.withUnsafeBufferPointer { indices in
                let description = imgsearch_test_gif_frame(
                    indices: indices.baseAddress, left: Int32(frame.left), top: Int32(frame.top),
                    width: Int32(frame.width), height: Int32(frame.height),
                    interlaced: frame.interlaced ? 1 : 0, transparent_index: Int32(frame.transparentIndex ?? -1))
                return write(remaining.dropFirst(), described + [description])
            }
        }
        return try take(write(frames[...], []), size, format: "GIF")
    }

    // MARK: - TIFF

    /// The compressions the TIFF writer is asked for (libtiff's tag values).
    public enum TIFFCompression: UInt16, CaseIterable, Sendable {
        case none = 1, lzw = 5, deflate = 8, packBits = 32773
    }

    /// One page of a TIFF.
    public struct TIFFPage {
        /// 8-bit samples, or 16-bit ones when `sixteenBit` holds them.
        public var samples: [UInt8] = []
        public var sixteenBit: [UInt16] = []
        public var width: Int, height: Int
        public var samplesPerPixel: Int
        /// 1 grey (min is black), 2 RGB, 3 palette.
        public var photometric: Int
        public var compression: TIFFCompression = .none
        public var orientation = 1
        /// 0 for strips, otherwise the side of square tiles (a multiple of 16).
        public var tileSide = 0
        public var rowsPerStrip = 0
        /// For a palette page: 3 x 256 levels, all reds then greens then blues.
        public var colourMap: [UInt16] = []

        /// An 8-bit RGB page of `image`.
        public init(_ image: RGBImage, compression: TIFFCompression = .none, orientation: Int = 1,
                    tileSide: Int = 0, rowsPerStrip: Int = 0) {
            self.samples = image.pixels
            self.width = image.width
            self.height = image.height
            self.samplesPerPixel = 3
            self.photometric = 2
            self.compression = compression
            self.orientation = orientation
            self.tileSide = tileSide
            self.rowsPerStrip = rowsPerStrip
        }

        /// A page of any layout; set the samples and the colour map after.
        public init(width: Int, height: Int, samplesPerPixel: Int, photometric: Int) {
            self.width = width
            self.height = height
            self.samplesPerPixel = samplesPerPixel
            self.photometric = photometric
        }
    }

    /// A TIFF holding `pages`, first to last.
    public static func tiff(_ pages: [TIFFPage]) throws -> [UInt8] {
        var size = 0
        func write(_ remaining: ArraySlice<TIFFPage>, _ described: [imgsearch_test_tiff_page]) -> UnsafeMutablePointer<UInt8>? {
            guard let page = remaining.first else {
                return imgsearch_test_write_tiff(described, Int32(described.count), &size)
            }
            let isSixteenBit = !page.sixteenBit.isEmpty
            return page.samples.withUnsafeBytes { eight in
                page.sixteenBit.withUnsafeBytes { sixteen in
                    page.colourMap.withUnsafeBufferPointer { map in
                        let description = imgsearch_test_tiff_page(
                            samples: isSixteenBit ? sixteen.baseAddress : eight.baseAddress,
                            width: UInt32(page.width), height: UInt32(page.height),
                            samples_per_pixel: UInt16(page.samplesPerPixel),
                            bits_per_sample: isSixteenBit ? 16 : 8,
                            photometric: UInt16(page.photometric), compression: page.compression.rawValue,
                            orientation: UInt16(page.orientation), tile_side: UInt32(page.tileSide),
                            rows_per_strip: UInt32(page.rowsPerStrip), colour_map: map.baseAddress)
                        return write(remaining.dropFirst(), described + [description])
                    }
                }
            }
        }
        return try take(write(pages[...], []), size, format: "TIFF")
    }
}
