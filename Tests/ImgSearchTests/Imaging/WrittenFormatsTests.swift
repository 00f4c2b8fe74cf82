import Foundation
import ImgSearchTestFixtures
import Testing
@testable import ImgSearch

/// The WebP, GIF and TIFF readers, and orientation, on files written at test
/// time by the same libraries' encoders (`FormatWriters`), so that each
/// format's main paths are tested in a checkout without ../shared; the real
/// files there (OtherFormatsTests) check the rest.
@Suite struct WrittenFormatsTests {
    static let fullSize = ImageDecodingOptions(minimumDecodedSide: 0)

    /// A synthetic photograph (gradient, stripes, shapes) of an odd size, so
    /// that no row or tile boundary lines up by luck.
    static func photo(_ number: Int, width: Int = 37, height: Int = 23) -> RGBImage {
        SyntheticPhotos.image(number, width: width, height: height)
    }

    static func decode(_ bytes: [UInt8], _ name: String, options: ImageDecodingOptions = fullSize) throws -> DecodedImage {
        try ImageDecoder.decode(bytes, path: name, options: options)
    }

    /// A picture drawn from `colours` in runs, and the index of each pixel.
    static func paletted(width: Int, height: Int, colours: Int, seed: UInt64)
        -> (palette: [(UInt8, UInt8, UInt8)], indices: [UInt8], image: RGBImage)
    {
        let palette = WrittenBMPTests.palette(colours, seed: seed)
        let (image, indices) = WrittenBMPTests.picture(width: width, height: height, palette: palette, seed: seed + 1)
        return (palette, indices.map { UInt8($0) }, image)
    }

    /// The error decoding `bytes` throws, which must name `name`.
    static func refusal(_ bytes: [UInt8], _ name: String) -> ImageDecodingError? {
        let error = #expect(throws: ImageDecodingError.self) { try ImageDecoder.decode(bytes, path: name, options: fullSize) }
        #expect(error?.path == name)
        return error
    }

    // MARK: - WebP

    @Test func aLosslessWebPDecodesToThePicture() throws {
        let image = Self.photo(1)
        let decoded = try Self.decode(try FormatWriters.webpLossless(image), "lossless.webp")
        #expect(decoded.format == .webp)
        #expect(decoded.image == image)
    }

    @Test func aLossyWebPDecodesCloseToThePicture() throws {
        let image = Self.photo(2, width: 64, height: 48)
        let decoded = try Self.decode(try FormatWriters.webpLossy(image, quality: 95), "lossy.webp").image
        let difference = PixelDifference(decoded, image)
        // VP8 subsamples chroma 2:1, so stripes lose some colour; measured mean 2-3.
        #expect(difference.mean < 8, "\(difference)")
    }

    @Test func aWebPsAlphaIsCompositedOnTheBackground() throws {
        // Opaque red, fully transparent, half-transparent white.
        let rgba: [UInt8] = [255, 0, 0, 255, 0, 255, 0, 0, 255, 255, 255, 128]
        let bytes = try FormatWriters.webpLossless(rgba: rgba, width: 3, height: 1)
        let image = try Self.decode(bytes, "alpha.webp", options: .init(minimumDecodedSide: 0, background: (0, 0, 0))).image
        #expect(Array(image.pixels[0..<6]) == [255, 0, 0, 0, 0, 0])
        #expect(image.pixels[6...].allSatisfy { (127...129).contains($0) }, "\(image.pixels)")
    }

    @Test(arguments: ExifOrientation.allCases)
    func aWebPsExifOrientationTurnsThePicture(orientation: ExifOrientation) throws {
        let image = Self.photo(3, width: 9, height: 5)
        let simple = try FormatWriters.webpLossless(image)
        let bytes = FormatWriters.webp(simple, width: image.width, height: image.height, orientation: orientation.rawValue)
        let decoded = try Self.decode(bytes, "turned.webp")
        #expect(decoded.orientation == orientation)
        #expect(decoded.image == image.applying(orientation))
        #expect(decoded.width == decoded.image.width && decoded.height == decoded.image.height)
    }

    // MARK: - GIF

    @Test(arguments: [2, 16, 256])
    func aGIFDecodesToItsPalettesColours(colours: Int) throws {
        let (palette, indices, image) = Self.paletted(width: 19, height: 11, colours: colours, seed: UInt64(colours))
        let bytes = try FormatWriters.gif(width: 19, height: 11, palette: palette,
                                          frames: [.init(indices: indices, width: 19, height: 11)])
        let decoded = try Self.decode(bytes, "palette.gif")
        #expect(decoded.format == .gif)
        #expect(decoded.image == image)
    }

    @Test func anInterlacedGIFDecodesToThePicture() throws {
        // 19 rows: every one of the four passes has rows, the last pass odd ones.
        let (palette, indices, image) = Self.paletted(width: 7, height: 19, colours: 64, seed: 5)
        let bytes = try FormatWriters.gif(width: 7, height: 19, palette: palette,
                                          frames: [.init(indices: indices, width: 7, height: 19, interlaced: true)])
        #expect(try Self.decode(bytes, "interlaced.gif").image == image)
    }

    @Test func aGIFsTransparentIndexAndUncoveredScreenBecomeTheBackground() throws {
        // A 2x2 frame at (1, 1) on a 4x3 screen; index 1 is transparent.
        let palette: [(UInt8, UInt8, UInt8)] = [(200, 10, 10), (10, 200, 10)]
        let frame = FormatWriters.GIFFrame(indices: [0, 1, 1, 0], left: 1, top: 1, width: 2, height: 2, transparentIndex: 1)
        let bytes = try FormatWriters.gif(width: 4, height: 3, palette: palette, frames: [frame])
        let image = try Self.decode(bytes, "holes.gif", options: .init(minimumDecodedSide: 0, background: (0, 0, 250))).image
        let blue: [UInt8] = [0, 0, 250], red: [UInt8] = [200, 10, 10]
        let expected = blue + blue + blue + blue
            + blue + red + blue + blue
            + blue + blue + red + blue
        #expect(image.width == 4 && image.height == 3)
        #expect(image.pixels == expected)
    }

    @Test func onlyTheFirstFrameOfAnAnimatedGIFIsDecoded() throws {
        let (palette, first, image) = Self.paletted(width: 8, height: 6, colours: 8, seed: 21)
        let second = first.map { ($0 + 1) % 8 }
        let bytes = try FormatWriters.gif(width: 8, height: 6, palette: palette, frames: [
            .init(indices: first, width: 8, height: 6), .init(indices: second, width: 8, height: 6),
        ])
        #expect(try Self.decode(bytes, "animated.gif").image == image)
    }

    // MARK: - TIFF

    @Test(arguments: FormatWriters.TIFFCompression.allCases)
    func aTIFFDecodesToThePictureInEveryCompression(compression: FormatWriters.TIFFCompression) throws {
        let image = Self.photo(4)
        let bytes = try FormatWriters.tiff([.init(image, compression: compression, rowsPerStrip: 5)])
        let decoded = try Self.decode(bytes, "strips.tif")
        #expect(decoded.format == .tiff)
        #expect(decoded.image == image)
    }

    @Test func aTiledTIFFDecodesToThePicture() throws {
        // 37 x 23 in 16 x 16 tiles: the right and bottom tiles are partly padding.
        let image = Self.photo(5)
        let bytes = try FormatWriters.tiff([.init(image, compression: .deflate, tileSide: 16)])
        #expect(try Self.decode(bytes, "tiles.tif").image == image)
    }

    @Test(arguments: ExifOrientation.allCases)
    func theTIFFOrientationTagTurnsThePicture(orientation: ExifOrientation) throws {
        let image = Self.photo(6, width: 9, height: 5)
        let bytes = try FormatWriters.tiff([.init(image, orientation: orientation.rawValue)])
        let decoded = try Self.decode(bytes, "turned.tif")
        #expect(decoded.orientation == orientation)
        #expect(decoded.image == image.applying(orientation))
    }

    @Test func aGreyTIFFBecomesGreyRGB() throws {
        var generator = SplitMix64(seed: 31)
        let levels = (0..<(13 * 7)).map { _ in UInt8(generator.next() % 256) }
        var page = FormatWriters.TIFFPage(width: 13, height: 7, samplesPerPixel: 1, photometric: 1)
        page.samples = levels
        page.compression = .lzw
        let image = try Self.decode(try FormatWriters.tiff([page]), "grey.tif").image
        #expect(image.pixels == levels.flatMap { [$0, $0, $0] })
    }

    @Test func aPaletteTIFFDecodesToItsColours() throws {
        let (palette, indices, image) = Self.paletted(width: 11, height: 6, colours: 256, seed: 41)
        var page = FormatWriters.TIFFPage(width: 11, height: 6, samplesPerPixel: 1, photometric: 3)
        page.samples = indices
        // TIFF colour maps are 16-bit; 257 x v maps byte v to the full scale.
        page.colourMap = palette.map { UInt16($0.0) * 257 } + palette.map { UInt16($0.1) * 257 } + palette.map { UInt16($0.2) * 257 }
        #expect(try Self.decode(try FormatWriters.tiff([page]), "palette.tif").image == image)
    }

    @Test func aSixteenBitTIFFMatchesItsEightBitPicture() throws {
        let image = Self.photo(7)
        var page = FormatWriters.TIFFPage(width: image.width, height: image.height, samplesPerPixel: 3, photometric: 2)
        // Each byte v widened to 257 v, plus noise in the low byte that must not show.
        var generator = SplitMix64(seed: 51)
        page.sixteenBit = image.pixels.map { UInt16($0) * 257 &+ (UInt16($0) < 255 ? UInt16(generator.next() % 200) : 0) }
        let decoded = try Self.decode(try FormatWriters.tiff([page]), "deep.tif").image
        #expect(PixelDifference(decoded, image).largest <= 1)
    }

    @Test func aTIFFsUnassociatedAlphaIsCompositedOnTheBackground() throws {
        var page = FormatWriters.TIFFPage(width: 3, height: 1, samplesPerPixel: 4, photometric: 2)
        page.samples = [255, 0, 0, 255, 0, 255, 0, 0, 255, 255, 255, 128]
        let image = try Self.decode(try FormatWriters.tiff([page]), "alpha.tif",
                                    options: .init(minimumDecodedSide: 0, background: (0, 0, 0))).image
        #expect(Array(image.pixels[0..<6]) == [255, 0, 0, 0, 0, 0])
        #expect(image.pixels[6...].allSatisfy { (127...129).contains($0) }, "\(image.pixels)")
    }

    @Test func onlyTheFirstPageOfAMultiPageTIFFIsDecoded() throws {
        let first = Self.photo(8), second = Self.photo(9, width: 20, height: 30)
        let bytes = try FormatWriters.tiff([.init(first), .init(second, compression: .lzw)])
        #expect(try Self.decode(bytes, "pages.tif").image == first)
    }

    // MARK: - Every format

    /// The formats written here, each as a name and the bytes of one picture.
    static func everyFormat(of image: RGBImage) throws -> [(name: String, bytes: [UInt8])] {
        [
            ("picture.webp", try FormatWriters.webpLossless(image)),
            ("picture.tif", try FormatWriters.tiff([.init(image, compression: .lzw)])),
            ("picture.bmp", TinyBMPWriter.bmp24(image)),
            ("picture.png", try PNGEncoder.encode(image)),
        ]
    }

    @Test func aFileIsDecodedByItsBytesWhateverItsName() throws {
        let image = Self.photo(10)
        let gif = try FormatWriters.gif(width: 2, height: 1, palette: [(1, 2, 3), (4, 5, 6)],
                                        frames: [.init(indices: [0, 1], width: 2, height: 1)])
        let cases: [(name: String, bytes: [UInt8], format: ImageFormat)] = [
            ("a-webp.jpg", try FormatWriters.webpLossless(image), .webp),
            ("a-tiff.png", try FormatWriters.tiff([.init(image)]), .tiff),
            ("a-gif", gif, .gif),
        ]
        for (name, bytes, format) in cases {
            #expect(try Self.decode(bytes, name).format == format, "\(name)")
        }
    }

    @Test func everyLosslessFormatGivesTheSameThumbnail() throws {
        let image = Self.photo(11, width: 96, height: 64)
        let thumbnails = try Self.everyFormat(of: image).map { try ImageDecoder.thumbnail($0.bytes, path: $0.name) }
        for thumbnail in thumbnails.dropFirst() {
            #expect(thumbnail == thumbnails[0])
        }
    }

    @Test func filesLargerThanThePixelLimitAreRefusedAsTooLarge() throws {
        let image = Self.photo(12, width: 40, height: 30)
        let files = try Self.everyFormat(of: image) + [
            ("picture.gif", try FormatWriters.gif(width: 40, height: 30, palette: [(0, 0, 0), (9, 9, 9)],
                                                  frames: [.init(indices: [UInt8](repeating: 1, count: 1200), width: 40, height: 30)])),
        ]
        for (name, bytes) in files {
            do {
                _ = try ImageDecoder.decode(bytes, path: name, options: .init(maximumPixelCount: 1000))
                Issue.record("\(name) decoded past the limit")
            } catch {
                #expect(error.path == name)
                #expect(error.reason == .tooLarge(width: 40, height: 30, limit: 1000), "\(name): \(error)")
            }
        }
    }

    @Test func aTruncatedFileIsRefusedNamingItInEveryFormat() throws {
        let image = Self.photo(13, width: 64, height: 48)
        let (palette, indices, _) = Self.paletted(width: 64, height: 48, colours: 256, seed: 61)
        let files = [
            ("cut.webp", try FormatWriters.webpLossless(image)),
            ("cut.tif", try FormatWriters.tiff([.init(image)])),
            ("cut.gif", try FormatWriters.gif(width: 64, height: 48, palette: palette, frames: [.init(indices: indices, width: 64, height: 48)])),
        ]
        for (name, bytes) in files {
            let error = Self.refusal(Array(bytes.prefix(bytes.count / 2)), name)
            #expect(error?.reason != .unsupportedFormat, "\(name): the header is still there")
        }
    }

    @Test func everyCutOfAWrittenFileDecodesOrFailsNamingIt() throws {
        let image = Self.photo(14, width: 24, height: 16)
        let (palette, indices, _) = Self.paletted(width: 24, height: 16, colours: 32, seed: 71)
        let files = [
            ("every.webp", try FormatWriters.webpLossy(image)),
            ("every.tif", try FormatWriters.tiff([.init(image, compression: .deflate, tileSide: 16)])),
            ("every.gif", try FormatWriters.gif(width: 24, height: 16, palette: palette, frames: [.init(indices: indices, width: 24, height: 16, interlaced: true)])),
        ]
        for (name, bytes) in files {
            for length in 0..<bytes.count {
                do {
                    _ = try ImageDecoder.thumbnail(Array(bytes.prefix(length)), path: name)
                } catch {
                    #expect(error.path == name)
                }
            }
        }
    }

    // MARK: - JPEG orientation

    @Test(arguments: ExifOrientation.allCases)
    func aJPEGsExifOrientationTurnsThePicture(orientation: ExifOrientation) throws {
        // Halves of two flat colours, so that JPEG's loss cannot hide a wrong turn.
        let width = 32, height = 16
        let image = RGBImage(width: width, height: height, pixels: (0..<(width * height)).flatMap { pixel -> [UInt8] in
            let (x, y) = (pixel % width, pixel / width)
            return x < width / 2 ? (y < height / 2 ? [250, 20, 20] : [20, 20, 250]) : [20, 250, 20]
        })
        let jpeg = try JPEGEncoder.encode(image, quality: 95)
        let exif = Array("Exif".utf8) + [0, 0] + FormatWriters.exifTIFF(orientation: orientation.rawValue)
        let app1: [UInt8] = [0xFF, 0xE1, UInt8((exif.count + 2) >> 8), UInt8((exif.count + 2) & 0xFF)] + exif
        let bytes = Array(jpeg.prefix(2)) + app1 + Array(jpeg.dropFirst(2))
        let decoded = try Self.decode(bytes, "turned.jpg")
        #expect(decoded.orientation == orientation)
        #expect(PixelDifference(decoded.image, image.applying(orientation)).mean < 6)
    }
}

/// One picture written in every format, indexed beside other pictures: every
/// copy is indexed and finds the others first (issue 15), with no ../shared.
@Suite struct WrittenFormatsIndexTests {
    /// `image` with each channel cut to its top 3, 3 and 2 bits, and the
    /// indices of that 256-colour palette: a GIF can hold it exactly.
    static func quantized(_ image: RGBImage) -> (palette: [(UInt8, UInt8, UInt8)], indices: [UInt8]) {
        let palette = (0..<256).map { (index: Int) -> (UInt8, UInt8, UInt8) in
            let red = (index >> 5) * 255 / 7, green = ((index >> 2) & 7) * 255 / 7, blue = (index & 3) * 255 / 3
            return (UInt8(red), UInt8(green), UInt8(blue))
        }
        let indices = stride(from: 0, to: image.pixels.count, by: 3).map { (i: Int) -> UInt8 in
            let red: UInt8 = image.pixels[i] >> 5, green: UInt8 = image.pixels[i + 1] >> 5, blue: UInt8 = image.pixels[i + 2] >> 6
            return red << 5 | green << 2 | blue
        }
        return (palette, indices)
    }

    @Test func aPictureWrittenInEveryFormatIsIndexedAndFindsItsCopiesFirst() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-written-formats-\(UUID().uuidString)")
        let photos = work.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        let picture = SyntheticPhotos.image(3, width: 160, height: 120)
        let (palette, indices) = Self.quantized(picture)
        let copies: [(String, [UInt8])] = [
            ("copy.webp", try FormatWriters.webpLossless(picture)),
            ("copy-lossy.webp", try FormatWriters.webpLossy(picture, quality: 90)),
            ("copy.gif", try FormatWriters.gif(width: 160, height: 120, palette: palette,
                                               frames: [.init(indices: indices, width: 160, height: 120)])),
            ("copy.tif", try FormatWriters.tiff([.init(picture, compression: .lzw)])),
            ("copy.bmp", TinyBMPWriter.bmp24(picture)),
            ("copy.png", try PNGEncoder.encode(picture)),
            ("copy.jpg", try JPEGEncoder.encode(picture, quality: 90)),
        ]
        for (name, bytes) in copies {
            try Data(bytes).write(to: photos.appendingPathComponent(name))
        }
        // Others of every class, none a copy of the picture.
        _ = try SyntheticPhotos.write(20..<40, into: photos)

        let index = try ImageIndex(path: work.appendingPathComponent("index.sqlite").path)
        try index.installModelIfNone(fileAt: FormatsIndexTests.model)
        let summary = try index.index(folders: [photos.path], jobs: 2)
        #expect(summary.added == copies.count + 20 && summary.failed == 0)

        let copyNames = Set(copies.map(\.0))
        for name in copyNames.sorted() {
            let result = try index.query(imageAt: photos.appendingPathComponent(name).path, options: QueryOptions(k: copies.count))
            let found = result.matches.map { ($0.path as NSString).lastPathComponent }
            #expect(Set(found) == copyNames, "\(name) finds every copy first: \(found)")
        }
    }
}
