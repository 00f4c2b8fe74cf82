import Foundation
import Testing
@testable import ImgSearch

/// WebP, GIF, TIFF and BMP against the real files of
/// `../shared/data/formats/pillow` (see the data README, section formats/).
enum FormatFiles {
    static let folder = "formats/pillow"

    /// Every file of `pillow/<name>` (not recursive), sorted.
    static func all(_ name: String) -> [String] {
        let url = SharedData.url("\(folder)/\(name)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.sorted().filter { !$0.hasSuffix(".txt") && !isFolder("\(name)/\($0)") }.map { "\(name)/\($0)" }
    }

    static func isFolder(_ relative: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path(relative), isDirectory: &folder) && folder.boolValue
    }

    static func path(_ relative: String) -> String { SharedData.url("\(folder)/\(relative)").path }

    /// The full-size upright decode of `pillow/<relative>`.
    static func decode(_ relative: String, options: ImageDecodingOptions = ImageDecodingOptions(minimumDecodedSide: 0)) throws(ImageDecodingError) -> RGBImage {
        try ImageDecoder.decode(contentsOf: path(relative), options: options).image
    }

    static func thumbnail(_ relative: String) throws(ImageDecodingError) -> Thumbnail {
        try ImageDecoder.thumbnail(contentsOf: path(relative))
    }
}

/// Mean and largest absolute difference over every channel value of two
/// same-sized images, on the 0-255 scale.
struct PixelDifference: CustomStringConvertible {
    let mean: Double
    let largest: Int

    /// Images of different sizes differ infinitely (the expectations then fail, with the sizes).
    init(_ first: RGBImage, _ second: RGBImage) {
        guard first.width == second.width && first.height == second.height else {
            mean = .infinity
            largest = Int.max
            sizes = "\(first.width)x\(first.height) vs \(second.width)x\(second.height)"
            return
        }
        sizes = ""
        var total = 0, largest = 0
        for (a, b) in zip(first.pixels, second.pixels) {
            let difference = abs(Int(a) - Int(b))
            total += difference
            largest = max(largest, difference)
        }
        mean = Double(total) / Double(first.pixels.count)
        self.largest = largest
    }

    /// Between two thumbnails, scaled to 0-255.
    init(_ first: Thumbnail, _ second: Thumbnail) {
        var total = 0.0, largest = 0.0
        for (a, b) in zip(first.values, second.values) {
            let difference = abs(Double(a) - Double(b)) * 255
            total += difference
            largest = max(largest, difference)
        }
        mean = total / Double(first.values.count)
        self.largest = Int(largest.rounded(.up))
        sizes = ""
    }

    private let sizes: String

    var description: String { sizes.isEmpty ? String(format: "mean %.2f, max %d", mean, largest) : "different sizes: " + sizes }
}

private let needsSharedData = ConditionTrait.enabled(if: SharedData.isAvailable, SharedData.skipMessage)

/// A file either decodes to a thumbnail or fails with an error that names
/// it and is not "unsupported format" (every file here is recognized).
private func decodesOrFailsNamingTheFile(_ relative: String) -> Bool {
    let path = FormatFiles.path(relative)
    do {
        let thumbnail = try ImageDecoder.thumbnail(contentsOf: path)
        #expect(thumbnail.values.count == 3 * 32 * 32)
        return true
    } catch {
        #expect(error.path == path)
        #expect(error.description.hasPrefix(path + ": "))
        #expect(error.reason != .unsupportedFormat, "\(relative) is recognized")
        return false
    }
}

@Suite struct OtherFormatsTests {
    // MARK: - Every file of each folder: decodes, or fails naming the file

    /// The files each folder is known to refuse, with why; everything else
    /// must decode.
    static let expectedFailures: [String: Set<String>] = [
        "webp": [],
        "gif": [
            "decompression_bomb.gif",  // a 65535-wide frame in a 44-byte file: truncated before any pixel
            "issue_2811.gif",  // LZW minimum code size 11 (at most 8 is valid): giflib refuses it
            "zero_width.gif",  // a frame 0 pixels wide, cut short
        ],
        "tiff": [
            "10ct_32bit_128.tiff", "16_bit_binary_pgm.tiff", "hopper_unknown_pixel_mode.tif",  // 32-bit samples
            "12bit.cropped.tif",  // 12-bit samples
            "tiff_strip_cmyk_16l_jpeg.tif",  // 16-bit CMYK in JPEG: libtiff's RGBA reader cannot convert it
            "crash-0c7e0e8e11ce787078f00b5b0ca409a167f070e0.tif", "crash-0da013a13571cc8eb457a39fee8db18f8a3c7127.tif",
            "crash-0e16d3bfb83be87356d026d66919deaefca44dac.tif", "crash-1152ec2d1a1a71395b6f2ce6721c38924d025bf3.tif",
            "crash-1185209cf7655b5aed8ae5e77784dfdd18ab59e9.tif", "crash-2020-10-test.tif",
            "crash-338516dbd2f0e83caddb8ce256c22db3bd6dc40f.tif", "crash-4f085cc12ece8cde18758d42608bed6a2a2cfb1c.tif",
            "crash-63b1dffefc8c075ddc606c0a2f5fdc15ece78863.tif", "crash-74d2a78403a5a59db1fb0a2b8735ac068a75f6e3.tif",
            "crash-86214e58da443d2b80820cff9677a38a33dcbbca.tif", "crash-f46f5b2f43c370fe65706c11449f567ecc345e74.tif",
            "libtiff_segfault.tif",  // a 171 GB strip: over the allocation cap set from the pixel limit
            "oom-225817ca0f8c663be7ab4b9e717b02c661e66834.tif", "seek_too_large.tif",  // directories past the end
            "tiff_overflow_rows_per_strip.tif",  // strips shorter than RowsPerStrip says
        ],
        "bmp": ["l2rgb_read.bmp"],  // 12336 planes
        "avif": [],  // AVIF and one HEIC (hopper.heif)
    ]

    @Test(needsSharedData, arguments: ["webp", "gif", "tiff", "bmp", "avif"])
    func everyFileDecodesOrFailsWithAnErrorNamingIt(folder: String) throws {
        let files = FormatFiles.all(folder)
        #expect(!files.isEmpty)
        var failed: Set<String> = []
        for relative in files where !decodesOrFailsNamingTheFile(relative) {
            failed.insert(String(relative.dropFirst(folder.count + 1)))
        }
        #expect(failed == Self.expectedFailures[folder], "\(folder): \(files.count - failed.count) of \(files.count) decode")
    }

    @Test(needsSharedData)
    func countsTheFilesOfEachFolder() {
        #expect(FormatFiles.all("webp").count == 14)
        #expect(FormatFiles.all("gif").count == 39)
        #expect(FormatFiles.all("tiff").count == 114)
        #expect(FormatFiles.all("bmp").count == 11)  // Pillow's own BMPs beside the bmpsuite folders
    }

    // MARK: - The same picture in each format

    /// Pillow's `hopper` test picture (128x128) in five formats. hopper.bmp
    /// and the lossless TIFFs hold the same pixels; the WebP is lossy and the
    /// GIF has a 256-colour palette.
    static let hopperVariants: [(String, Double, Int)] = [
        ("tiff/hopper.tif", 0.0, 0), ("tiff/hopper_lzw.tif", 0.0, 0), ("tiff/hopper_bigtiff.tif", 0.0, 0),
        ("tiff/hopper_lzma.tif", 0.0, 0), ("tiff/hopper_webp.tif", 4.5, 48), ("tiff/hopper_jpg.tif", 2.0, 64),
        ("webp/hopper.webp", 4.5, 48), ("gif/hopper.gif", 4.5, 80),
        ("bmp/hopper_rle8.bmp", 4.5, 64),
        ("avif/hopper.heif", 4.0, 56), ("avif/hopper.avif", 4.5, 64), ("avif/hopper-missing-pixi.avif", 4.5, 64),
    ]

    @Test(needsSharedData, arguments: hopperVariants)
    func hopperMatchesTheBMPAtFullSize(file: String, meanBound: Double, largestBound: Int) throws {
        let reference = try FormatFiles.decode("bmp/hopper.bmp")
        let image = try FormatFiles.decode(file)
        let difference = PixelDifference(reference, image)
        print("hopper.bmp vs \(file): \(difference)")
        #expect(difference.mean <= meanBound, "\(file): \(difference)")
        #expect(difference.largest <= largestBound, "\(file): \(difference)")
    }

    @Test(needsSharedData)
    func hopperGivesNearEqualThumbnailsInEveryFormat() throws {
        let reference = try FormatFiles.thumbnail("bmp/hopper.bmp")
        // Made here: a PNG (the project's encoder) and a BMP (the writer below) of the same pixels.
        let pixels = try FormatFiles.decode("bmp/hopper.bmp")
        let png = try ImageDecoder.thumbnail(try PNGEncoder.encode(pixels), path: "hopper.png")
        let bmp = try ImageDecoder.thumbnail(TinyBMPWriter.bmp24(pixels), path: "hopper-written.bmp")
        #expect(png == reference)
        #expect(bmp == reference)
        for file in ["webp/hopper.webp", "gif/hopper.gif", "tiff/hopper.tif", "tiff/hopper_lzw.tif", "tiff/hopper_jpg.tif", "avif/hopper.heif", "avif/hopper.avif"] {
            let difference = PixelDifference(reference, try FormatFiles.thumbnail(file))
            print("hopper thumbnail vs \(file): \(difference)")
            #expect(difference.mean <= 2.5 && difference.largest <= 16, "\(file): \(difference)")
        }
    }

    // MARK: - Orientation

    /// hopper_orientation_N.webp carry EXIF orientation N over pixels stored
    /// turned accordingly; upright, each is hopper (lossy, so within the
    /// tolerance Pillow's own test uses, a mean of 17, and much less here).
    @Test(needsSharedData, arguments: 2...8)
    func webpEXIFOrientationTurnsHopperUpright(orientation: Int) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: FormatFiles.path("webp/hopper_orientation_\(orientation).webp"))))
        #expect(ExifOrientation.ofWebP(bytes).rawValue == orientation)
        let decoded = try ImageDecoder.decode(bytes, path: "hopper_orientation_\(orientation).webp", options: .init(minimumDecodedSide: 0))
        #expect(decoded.orientation.rawValue == orientation)
        let reference = try FormatFiles.decode("bmp/hopper.bmp")
        let difference = PixelDifference(reference, decoded.image)
        print("hopper.bmp vs hopper_orientation_\(orientation).webp upright: \(difference)")
        #expect(difference.mean <= 5 && difference.largest <= 64, "\(difference)")
    }

    /// g4_orientation_N.tif: a bilevel picture stored turned, with the TIFF
    /// Orientation tag N; upright, each is the picture of g4_orientation_1
    /// (the files were drawn separately, so a few edge pixels differ: Pillow's
    /// own test allows a mean difference of 0.7).
    @Test(needsSharedData, arguments: 2...8)
    func tiffOrientationTagTurnsThePageUpright(orientation: Int) throws {
        let upright = try FormatFiles.decode("tiff/g4_orientation_1.tif")
        let decoded = try ImageDecoder.decode(contentsOf: FormatFiles.path("tiff/g4_orientation_\(orientation).tif"), options: .init(minimumDecodedSide: 0))
        #expect(decoded.orientation.rawValue == orientation)
        let difference = PixelDifference(upright, decoded.image)
        print("g4_orientation_1.tif vs g4_orientation_\(orientation).tif upright: \(difference)")
        #expect(difference.mean <= 0.7, "\(difference)")
    }

    @Test(needsSharedData)
    func aWebPWithoutEXIFIsUpright() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: FormatFiles.path("webp/hopper.webp"))))
        #expect(ExifOrientation.ofWebP(bytes) == .up)
    }

    // MARK: - TIFF variants of one picture

    /// Pillow's tiff_*: the same pictures in strips and tiles, contiguous
    /// and planar, raw, LZW, Deflate and JPEG, 8 and 16 bits, with and
    /// without alpha; each pair must agree.
    static let tiffTwins: [(String, String, Double, Int)] = [
        ("tiff_strip_raw.tif", "tiff_tiled_raw.tif", 0, 0),
        ("tiff_strip_raw.tif", "tiff_strip_planar_raw.tif", 0, 0),
        ("tiff_strip_raw.tif", "tiff_tiled_planar_raw.tif", 0, 0),
        ("tiff_strip_raw.tif", "tiff_strip_planar_lzw.tiff", 0, 0),
        ("tiff_strip_raw.tif", "tiff_tiled_planar_lzw.tiff", 0, 0),
        ("tiff_strip_raw.tif", "tiff_adobe_deflate.tif", 0, 0),
        ("tiff_strip_raw.tif", "tiff_strip_planar_raw_with_overviews.tif", 0, 0),
        ("tiff_16bit_RGB.tiff", "tiff_strip_planar_16bit_RGB.tiff", 0, 0),
        ("tiff_16bit_RGB.tiff", "tiff_tiled_planar_16bit_RGB.tiff", 0, 0),
        ("tiff_16bit_RGBa.tiff", "tiff_strip_planar_16bit_RGBa.tiff", 0, 0),
        ("tiff_16bit_RGBa.tiff", "tiff_tiled_planar_16bit_RGBa.tiff", 0, 0),
        ("tiff_strip_ycbcr_jpeg_1x1_sampling.tif", "tiff_tiled_ycbcr_jpeg_1x1_sampling.tif", 0, 0),
        // Subsampled chroma is upsampled within each strip or tile, so the
        // edges of tiles differ a little (measured: mean 0.14, max 18).
        ("tiff_strip_ycbcr_jpeg_2x2_sampling.tif", "tiff_tiled_ycbcr_jpeg_2x2_sampling.tif", 0.2, 24),
        ("tiff_strip_cmyk_jpeg.tif", "tiff_tiled_cmyk_jpeg.tif", 0.01, 1),
        ("hopper2.tif", "hopper2I.tif", 0, 0), ("hopper2.tif", "hopper2R.tif", 0, 0), ("hopper2.tif", "hopper2IR.tif", 0, 0),
        ("hopper4.tif", "hopper4I.tif", 0, 0), ("hopper4.tif", "hopper4R.tif", 0, 0), ("hopper4.tif", "hopper4IR.tif", 0, 0),
        ("hopper.tif", "hopper.iccprofile.tif", 0, 0), ("hopper.tif", "hopper_float_dpi_2.tif", 0, 0),
        // CIE L*a*b* converted by libtiff: close to the RGB file, not equal
        // (measured: mean 13.4, max 70).
        ("hopper.tif", "hopper.Lab.tif", 16, 80),
    ]

    @Test(needsSharedData, arguments: tiffTwins)
    func tiffTwinsAgree(first: String, second: String, meanBound: Double, largestBound: Int) throws {
        let difference = PixelDifference(try FormatFiles.decode("tiff/\(first)"), try FormatFiles.decode("tiff/\(second)"))
        print("\(first) vs \(second): \(difference)")
        #expect(difference.mean <= meanBound && difference.largest <= largestBound, "\(second): \(difference)")
    }

    @Test(needsSharedData)
    func multiPageTIFFGivesItsFirstPage() throws {
        let image = try FormatFiles.decode("tiff/multipage.tiff")
        #expect(image.width > 0 && image.height > 0)
    }

    // MARK: - Pixel limit, truncation

    @Test(needsSharedData, arguments: ["webp/hopper.webp", "gif/hopper.gif", "tiff/hopper.tif", "bmp/hopper.bmp", "webp/iss634.webp"])
    func honoursASmallPixelLimit(file: String) throws {
        do {
            _ = try FormatFiles.decode(file, options: ImageDecodingOptions(maximumPixelCount: 1000, minimumDecodedSide: 0))
            Issue.record("\(file) decoded over the limit")
        } catch {
            guard case .tooLarge(let width, let height, let limit) = error.reason else {
                Issue.record("\(file): \(error)")
                return
            }
            #expect(width * height > 1000)
            #expect(limit == 1000)
        }
    }

    @Test func refusesHugeDeclaredSizesBeforeAllocating() {
        // A GIF screen of 65535 x 65535 with one frame as large; a BMP header
        // of 65535 x 65535 with nothing after it; a TIFF of 2^20 x 2^20.
        let gif: [UInt8] = Array("GIF89a".utf8) + [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0]
            + [0x2C, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 8, 2, 0x4C, 0x01, 0, 0x3B]
        var bmp = TinyBMPWriter.bmp24(RGBImage(width: 1, height: 1, pixels: [1, 2, 3]))
        bmp.replaceSubrange(18..<26, with: [0xFF, 0xFF, 0, 0, 0xFF, 0xFF, 0, 0])
        var tiff: [UInt8] = [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0, 5, 0]
        tiff += [0x00, 0x01, 4, 0, 1, 0, 0, 0, 0, 0, 0x10, 0]  // ImageWidth LONG 2^20
        tiff += [0x01, 0x01, 4, 0, 1, 0, 0, 0, 0, 0, 0x10, 0]  // ImageLength LONG 2^20
        tiff += [0x02, 0x01, 3, 0, 1, 0, 0, 0, 8, 0, 0, 0]  // BitsPerSample 8
        tiff += [0x11, 0x01, 4, 0, 1, 0, 0, 0, 8, 0, 0, 0]  // StripOffsets
        tiff += [0x17, 0x01, 4, 0, 1, 0, 0, 0, 1, 0, 0, 0]  // StripByteCounts
        tiff += [0, 0, 0, 0]
        for (name, bytes) in [("huge.gif", gif), ("huge.bmp", bmp), ("huge.tif", tiff)] {
            #expect(throws: ImageDecodingError.self) { try ImageDecoder.decode(bytes, path: name) }
            do {
                _ = try ImageDecoder.decode(bytes, path: name)
            } catch {
                guard case .tooLarge = error.reason else {
                    Issue.record("\(name): \(error)")
                    continue
                }
            }
        }
    }

    /// Every cut of a small file in each format: decodes or fails, never crashes.
    @Test(needsSharedData, arguments: ["webp/hopper.webp", "webp/anim_frame1.webp", "gif/hopper.gif", "gif/iss634.gif", "tiff/hopper_lzw.tif", "tiff/hopper_jpg.tif", "bmp/hopper_rle8.bmp", "bmp/hopper.bmp"])
    func survivesEveryTruncation(file: String) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: FormatFiles.path(file))))
        let step = max(1, bytes.count / 150)
        var failures = 0
        for length in stride(from: 0, to: bytes.count, by: step) {
            do {
                _ = try ImageDecoder.thumbnail(Array(bytes.prefix(length)), path: file)
            } catch {
                #expect(error.path == file)
                failures += 1
            }
        }
        // The first cuts are too short for any header.
        #expect(failures > 0)
    }

    @Test func transparentPixelsBecomeTheBackground() throws {
        // A 2x1 GIF: index 0 red, index 1 transparent by its Graphic Control Extension.
        let gif: [UInt8] = Array("GIF89a".utf8) + [2, 0, 1, 0, 0x80, 0, 0]
            + [255, 0, 0, 0, 0, 0]  // global colour table of 2
            + [0x21, 0xF9, 4, 0x01, 0, 0, 1, 0]  // GCE: transparent index 1
            + [0x2C, 0, 0, 0, 0, 2, 0, 1, 0, 0]
            + [2, 2, 0x44, 0x0A, 0]  // LZW, 3-bit codes: clear (4), 0, 1, end (5)
            + [0x3B]
        let image = try ImageDecoder.decode(gif, path: "two.gif", options: .init(background: (0, 0, 255))).image
        #expect(image.pixels == [255, 0, 0, 0, 0, 255])
    }
}

// MARK: - bmpsuite

/// Jason Summers' bmpsuite as Pillow ships it: `g/` good, `q/`
/// questionable, `b/` bad, `html/*.png` reference renderings.
@Suite struct BMPSuiteTests {
    /// The reference for each good file: its own `html/<name>.png` where the
    /// suite has one, otherwise the rendering of the same picture it is a
    /// variant of (the suite draws one picture in every encoding: pal8* are
    /// pal8.png, rgb24pal/rgb32/rgb32bf are rgb24.png, pal4rle is pal4.png,
    /// pal1wb is pal1 with its palette reversed and so pal1.png).
    static let references: [String: String] = [
        "pal1": "pal1", "pal1bg": "pal1bg", "pal1wb": "pal1", "pal4": "pal4", "pal4rle": "pal4",
        "pal8": "pal8", "pal8-0": "pal8", "pal8os2": "pal8", "pal8rle": "pal8", "pal8topdown": "pal8",
        "pal8v4": "pal8", "pal8v5": "pal8", "pal8nonsquare": "pal8nonsquare-e",
        "pal8w124": "pal8w124", "pal8w125": "pal8w125", "pal8w126": "pal8w126",
        "rgb16": "rgb16", "rgb16-565": "rgb16-565", "rgb16-565pal": "rgb16-565",
        "rgb24": "rgb24", "rgb24pal": "rgb24", "rgb32": "rgb24", "rgb32bf": "rgb24",
    ]

    static let good = SharedData.files(in: "formats/pillow/bmp/g", extensions: ["bmp"]).map { $0.deletingPathExtension().lastPathComponent }
    static let questionable = SharedData.files(in: "formats/pillow/bmp/q", extensions: ["bmp"]).map { $0.deletingPathExtension().lastPathComponent }
    static let bad = SharedData.files(in: "formats/pillow/bmp/b", extensions: ["bmp"]).map { $0.deletingPathExtension().lastPathComponent }

    /// bad files that decode, as in every common decoder (Pillow, browsers):
    /// the fields they spoil are ones a reader need not use.
    static let acceptedBad: Set<String> = [
        "badbitssize",  // biSizeImage wrong: ignored for uncompressed pixels, whose size follows from the header
        "baddens1", "baddens2",  // absurd pixels-per-metre: the density is not used
        "badfilesize",  // bfSize wrong: the real length is known
        "pal8badindex",  // indices past the palette: shown black, as Pillow and browsers do
    ]

    @Test(needsSharedData)
    func findsTheSuite() {
        #expect(Self.good.count == 23)
        #expect(Self.questionable.count == 23)
        #expect(Self.bad.count == 14)
        #expect(Set(Self.good) == Set(Self.references.keys))
    }

    @Test(needsSharedData, arguments: good)
    func everyGoodFileMatchesItsReference(name: String) throws {
        let image = try FormatFiles.decode("bmp/g/\(name).bmp")
        let referenceName = try #require(Self.references[name])
        let png = Array(try Data(contentsOf: URL(fileURLWithPath: FormatFiles.path("bmp/html/\(referenceName).png"))))
        let reference = try PNGDecoder.decode(png, path: "\(referenceName).png", options: ImageDecodingOptions())
        #expect(image.width == reference.width && image.height == reference.height)
        let difference = PixelDifference(image, reference)
        print("bmpsuite g/\(name) vs html/\(referenceName).png: \(difference)")
        // The palette files' references are one level off in a few colours
        // (measured: mean 0.04, max 1); everything else is exact.
        #expect(difference.largest <= (name.hasPrefix("pal8") ? 1 : 0), "\(name): \(difference)")
    }

    @Test(needsSharedData, arguments: questionable)
    func questionableFilesDecodeOrFailNamingTheFile(name: String) {
        _ = decodesOrFailsNamingTheFile("bmp/q/\(name).bmp")
    }

    @Test(needsSharedData, arguments: bad)
    func badFilesFail(name: String) {
        let decoded = decodesOrFailsNamingTheFile("bmp/b/\(name).bmp")
        #expect(decoded == Self.acceptedBad.contains(name), "\(name)")
    }

    @Test(needsSharedData, arguments: ["rgb24jpeg", "rgb24png", "rgb24largepal", "rgb24prof", "rgb24lprof", "rgb32fakealpha", "rgb32h52", "rgb32-111110", "rgb32bf-xbgr"])
    func questionableVariantsOfRGB24ShowTheSamePicture(name: String) throws {
        let image = try FormatFiles.decode("bmp/q/\(name).bmp")
        let reference = try FormatFiles.decode("bmp/g/rgb24.bmp")
        let difference = PixelDifference(image, reference)
        print("bmpsuite q/\(name) vs g/rgb24: \(difference)")
        // rgb24jpeg holds a lossy JPEG of the picture (measured: mean 3.65, max 74).
        let bounds = name == "rgb24jpeg" ? (mean: 4.0, largest: 80) : (mean: 0.05, largest: 1)
        #expect(difference.mean <= bounds.mean && difference.largest <= bounds.largest, "\(name): \(difference)")
    }

    @Test func aWrittenBMPRoundTrips() throws {
        var generator = SplitMix64(seed: 15)
        let pixels = (0..<(7 * 5 * 3)).map { _ in UInt8(generator.next() % 256) }
        let image = RGBImage(width: 7, height: 5, pixels: pixels)
        #expect(try ImageDecoder.decode(TinyBMPWriter.bmp24(image), path: "written.bmp").image == image)
        #expect(try ImageDecoder.decode(TinyBMPWriter.bmp24(image, topDown: true), path: "written.bmp").image == image)
    }
}

/// The smallest BMP writer: 24-bit BI_RGB behind a BITMAPINFOHEADER.
enum TinyBMPWriter {
    static func bmp24(_ image: RGBImage, topDown: Bool = false) -> [UInt8] {
        func u16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
        func u32(_ value: Int) -> [UInt8] { u16(value & 0xFFFF) + u16(value >> 16 & 0xFFFF) }
        let stride = (image.width * 3 + 3) / 4 * 4
        let size = 54 + stride * image.height
        var bytes: [UInt8] = [0x42, 0x4D]
        for field in [size, 0, 54, 40, image.width, topDown ? -image.height : image.height] {
            bytes += u32(field)
        }
        bytes += u16(1)
        bytes += u16(24)
        for field in [0, stride * image.height, 2835, 2835, 0, 0] {
            bytes += u32(field)
        }
        for row in 0..<image.height {
            let y = topDown ? row : image.height - 1 - row
            for x in 0..<image.width {
                let (r, g, b) = image[x: x, y: y]
                bytes += [b, g, r]
            }
            bytes += [UInt8](repeating: 0, count: stride - image.width * 3)
        }
        return bytes
    }
}

// MARK: - HEIF: HEIC and AVIF through libheif

@Suite struct HEIFTests {
    static let folders = ["libheif/examples", "libheif/fuzz-corpus", "libheif/other"]

    static func files(_ folder: String) -> [String] {
        let url = SharedData.url("formats/\(folder)")
        return ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted().map { "formats/\(folder)/\($0)" }
    }

    /// libheif's examples, its OSS-Fuzz corpus (malformed by design) and its
    /// test files (many in formats Debian 12's libheif 1.15 predates):
    /// each decodes or fails with an error naming the file, never crashes.
    @Test(.enabled(if: SharedData.isAvailable, SharedData.skipMessage), arguments: folders)
    func everyFileDecodesOrFailsNamingIt(folder: String) {
        let files = Self.files(folder)
        #expect(!files.isEmpty)
        var decoded: [String] = []
        for relative in files {
            let path = SharedData.url(relative).path
            do {
                _ = try ImageDecoder.thumbnail(contentsOf: path)
                decoded.append((relative as NSString).lastPathComponent)
            } catch {
                #expect(error.path == path)
                #expect(!error.reasonDescription.contains("\n"))
            }
        }
        print("\(folder): \(decoded.count) of \(files.count) decode: \(decoded.joined(separator: " "))")
        if folder == "libheif/examples" {
            #expect(decoded.count == files.count)
        }
    }

    /// rotNmirM.avif: one photograph stored turned and mirrored eight ways,
    /// with irot/imir saying how to turn it back; upright, every one is a
    /// 640x427 landscape and gives nearly the thumbnail of the others, while
    /// the same picture turned a quarter or mirrored is far.
    @Test(.enabled(if: SharedData.isAvailable, SharedData.skipMessage))
    func irotAndImirTurnThePictureUpright() throws {
        var thumbnails: [Thumbnail] = []
        for rotation in 0..<4 {
            for mirror in 0..<2 {
                let name = "avif/rot\(rotation)mir\(mirror).avif"
                let image = try FormatFiles.decode(name)
                #expect(image.width == 640 && image.height == 427, "\(name)")
                thumbnails.append(Thumbnail(of: image))
            }
        }
        let reference = thumbnails[0]
        for (index, thumbnail) in thumbnails.enumerated().dropFirst() {
            let difference = PixelDifference(reference, thumbnail)
            print("rot0mir0 vs #\(index): \(difference)")
            #expect(difference.mean <= 4, "#\(index): \(difference)")
        }
        let upsideDown = Thumbnail(of: try FormatFiles.decode("avif/rot0mir0.avif").applying(.down))
        let wrong = PixelDifference(reference, upsideDown)
        print("rot0mir0 vs itself upside down: \(wrong)")
        #expect(wrong.mean > 12)
    }

    /// A phone HEIC carries a small thumbnail image; with thumbnails asked
    /// for, it is decoded instead of the full picture and gives nearly the
    /// same 32x32 thumbnail.
    @Test(.enabled(if: SharedData.isAvailable, SharedData.skipMessage))
    func theEmbeddedThumbnailStandsInForTheFullDecode() throws {
        let path = SharedData.url("formats/libheif/examples/example.heic").path
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let full = try HEIFDecoder.decode(bytes, path: path, options: .init(minimumDecodedSide: 0), format: .heif)
        let fast = try HEIFDecoder.decode(bytes, path: path, options: .init(minimumDecodedSide: 32), format: .heif)
        print("example.heic: full \(full.image.width)x\(full.image.height), thumbnail used: \(fast.usedThumbnail), \(fast.image.width)x\(fast.image.height)")
        #expect(!full.usedThumbnail)
        #expect(fast.sourceWidth == full.image.width && fast.sourceHeight == full.image.height)
        let decoded = try ImageDecoder.decode(bytes, path: path)
        #expect(decoded.width == full.image.width && decoded.height == full.image.height)
        if fast.usedThumbnail {
            let difference = PixelDifference(Thumbnail(of: full.image), Thumbnail(of: fast.image))
            print("example.heic thumbnail from the embedded thumbnail vs the full decode: \(difference)")
            #expect(difference.mean <= 3 && difference.largest <= 40, "\(difference)")
        }
    }

    @Test(.enabled(if: SharedData.isAvailable, SharedData.skipMessage), arguments: ["formats/libheif/examples/example.heic", "formats/libheif/examples/example.avif"])
    func honoursASmallPixelLimit(relative: String) {
        do {
            _ = try ImageDecoder.decode(contentsOf: SharedData.url(relative).path, options: ImageDecodingOptions(maximumPixelCount: 1000))
            Issue.record("decoded over the limit")
        } catch {
            guard case .tooLarge(let width, let height, _) = error.reason else {
                Issue.record("\(error)")
                return
            }
            #expect(width * height > 1000)
        }
    }

    @Test(.enabled(if: SharedData.isAvailable, SharedData.skipMessage))
    func transparentPixelsBecomeTheBackground() throws {
        let image = try FormatFiles.decode("avif/transparency.avif", options: .init(minimumDecodedSide: 0, background: (255, 0, 255)))
        let magenta = stride(from: 0, to: image.pixels.count, by: 3).filter { image.pixels[$0] == 255 && image.pixels[$0 + 1] == 0 && image.pixels[$0 + 2] == 255 }
        #expect(!magenta.isEmpty)
    }
}

// MARK: - Indexed together

@Suite struct FormatsIndexTests {
    static let model = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("index/default-model.isae").path

    /// hopper in eight formats (PNG, BMP and JPEG written here) beside other
    /// pictures: everything is indexed, and each copy of hopper has the
    /// others first, with the same hash or one bit away (issue 15).
    @Test(.enabled(if: SharedData.isAvailable, SharedData.skipMessage))
    func theSamePictureInEveryFormatIsIndexedAndFound() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-formats-\(UUID().uuidString)")
        let photos = work.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let hoppers = ["bmp/hopper.bmp", "tiff/hopper.tif", "webp/hopper.webp", "gif/hopper.gif", "avif/hopper.heif", "avif/hopper.avif"]
        let others = ["webp/flower.webp", "gif/chi.gif", "tiff/tiff_strip_raw.tif", "bmp/g/pal8.bmp", "tiff/copyleft.tiff", "webp/iss634.webp"]
        for file in hoppers + others {
            // Named without extensions: the formats are recognized by their bytes.
            let name = file.replacingOccurrences(of: "/", with: "-").replacingOccurrences(of: ".", with: "-")
            try FileManager.default.copyItem(atPath: FormatFiles.path(file), toPath: photos.appendingPathComponent(name).path)
        }
        let pixels = try FormatFiles.decode("bmp/hopper.bmp")
        try Data(try PNGEncoder.encode(pixels)).write(to: photos.appendingPathComponent("hopper-written.png"))
        try Data(TinyBMPWriter.bmp24(pixels, topDown: true)).write(to: photos.appendingPathComponent("hopper-written.bmp"))
        try Data(try JPEGEncoder.encode(pixels, quality: 90)).write(to: photos.appendingPathComponent("hopper-written.jpg"))

        let index = try ImageIndex(path: work.appendingPathComponent("index.sqlite").path)
        try index.installModelIfNone(fileAt: Self.model)
        let summary = try index.index(folders: [photos.path], jobs: 2)
        #expect(summary.added == hoppers.count + others.count + 3 && summary.failed == 0)

        let hopperNames = Set(["bmp-hopper-bmp", "tiff-hopper-tif", "webp-hopper-webp", "gif-hopper-gif", "avif-hopper-heif", "avif-hopper-avif", "hopper-written.png", "hopper-written.bmp", "hopper-written.jpg"])
        for name in hopperNames.sorted() {
            let result = try index.query(imageAt: photos.appendingPathComponent(name).path, options: QueryOptions(k: hopperNames.count))
            let found = result.matches.map { (($0.path as NSString).lastPathComponent, $0.hamming) }
            print("query \(name): \(found.map { "\($0.0)=\($0.1)" }.joined(separator: ", "))")
            let hoppersFound = found.filter { hopperNames.contains($0.0) }
            #expect(hoppersFound.count == hopperNames.count, "\(name) finds every hopper first: \(found)")
            // Measured: the lossless copies and the WebP share one hash, the
            // GIF (256 colours) and the AVIF are 1 bit away, the HEIC 2 from
            // the lossless ones (1 from the GIF and the AVIF).
            for (other, distance) in hoppersFound {
                let heifPair = [name, other].contains { $0.hasPrefix("avif-") }
                #expect(distance <= (heifPair ? 2 : 1), "\(name) to \(other): \(distance)")
            }
        }
    }
}
