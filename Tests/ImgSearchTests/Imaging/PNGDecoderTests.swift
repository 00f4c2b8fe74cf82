import Foundation
import Testing
@testable import ImgSearch

/// PngSuite in ../shared/data/pngsuite: the file name encodes the feature
/// (see the data README), and `x*.png` are the deliberately broken files.
private enum PngSuite {
    /// Names without `.png`, relative to the pngsuite folder, sorted.
    static let validNames: [String] =
        SharedData.files(in: "pngsuite", extensions: ["png"]).map(stem).filter { !$0.hasPrefix("x") }
        + SharedData.files(in: "pngsuite/extra", extensions: ["png"]).map { "extra/" + stem($0) }
    static let corruptNames: [String] =
        SharedData.files(in: "pngsuite", extensions: ["png"]).map(stem).filter { $0.hasPrefix("x") }

    /// Width and height as Pillow decoded them, from MANIFEST.tsv
    /// ("ok PNG 32x32 RGB"): a reference that does not go through libpng.
    static let pillowSizes: [String: (width: Int, height: Int)] = {
        let manifest = (try? String(contentsOf: SharedData.url("pngsuite/MANIFEST.tsv"), encoding: .utf8)) ?? ""
        var sizes: [String: (width: Int, height: Int)] = [:]
        for line in manifest.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard let file = fields.first, let result = fields.last?.split(separator: " "),
                  result.count >= 3, result[0] == "ok" else { continue }
            let sides = result[2].split(separator: "x").compactMap { Int($0) }
            if sides.count == 2 {
                sizes[String(file.dropLast(4))] = (sides[0], sides[1])
            }
        }
        return sizes
    }()

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: SharedData.url("pngsuite/\(name).png")))
    }

    static func decode(
        _ name: String, background: (red: UInt8, green: UInt8, blue: UInt8) = (255, 255, 255)
    ) throws -> RGBImage {
        try PNGDecoder.decode(
            bytes(name), path: "pngsuite/\(name).png", options: ImageDecodingOptions(background: background))
    }

    private static func stem(_ url: URL) -> String { url.deletingPathExtension().lastPathComponent }
}

/// The largest difference between two same-sized images in any channel.
private func largestDifference(_ first: RGBImage, _ second: RGBImage) -> Int {
    zip(first.pixels, second.pixels).reduce(0) { max($0, abs(Int($1.0) - Int($1.1))) }
}

private let needsSharedData = ConditionTrait.enabled(if: SharedData.isAvailable, SharedData.skipMessage)

@Suite struct PNGDecoderTests {
    // MARK: - PngSuite: every valid file, with its real content

    @Test(needsSharedData)
    func findsEveryPngSuiteFile() {
        // 175 in the suite (174 tests plus the logo) minus 14 corrupt, plus 2 extra.
        #expect(PngSuite.validNames.count == 163)
        #expect(PngSuite.corruptNames.count == 14)
    }

    @Test(needsSharedData, arguments: PngSuite.validNames)
    func decodesValidFileToPillowsSize(name: String) throws {
        let image = try PngSuite.decode(name)
        let expected = try #require(PngSuite.pillowSizes[name])
        #expect(image.width == expected.width && image.height == expected.height)
        #expect(image.pixels.count == image.width * image.height * 3)
    }

    /// Every basi* has a basn* twin of the same picture, and s*i* has s*n*
    /// for every size from 1x1 to 40x40 (the odd sizes leave some Adam7
    /// passes empty). A coloured background makes the alpha twins compare
    /// compositing too.
    @Test(needsSharedData, arguments: [
        "0g01", "0g02", "0g04", "0g08", "0g16", "2c08", "2c16",
        "3p01", "3p02", "3p04", "3p08", "4a08", "4a16", "6a08", "6a16",
    ].map { ("basi" + $0, "basn" + $0) } + [
        "01i3p01", "02i3p01", "03i3p01", "04i3p01", "05i3p02", "06i3p02", "07i3p02", "08i3p02",
        "09i3p02", "32i3p04", "33i3p04", "34i3p04", "35i3p04", "36i3p04", "37i3p04", "38i3p04",
        "39i3p04", "40i3p04",
    ].map { ("s" + $0, "s" + $0.replacingOccurrences(of: "i", with: "n")) })
    func interlacedFileEqualsItsNonInterlacedTwin(interlaced: String, plain: String) throws {
        let background: (UInt8, UInt8, UInt8) = (40, 160, 90)
        #expect(try PngSuite.decode(interlaced, background: background) == PngSuite.decode(plain, background: background))
    }

    /// 16-bit files next to an 8-bit file of the same picture (found by
    /// decoding the whole suite and comparing). basn2c16 matches z00n2c08
    /// exactly only because 16-bit samples are rounded: keeping the high
    /// byte is off by one in places. cs3n2c16's samples carry 13
    /// significant bits (sBIT), so rounding can land one above cs8n2c08.
    @Test(needsSharedData, arguments: [
        ("basn2c16", "z00n2c08", 0), ("tbbn2c16", "tbrn2c08", 0), ("cs3n2c16", "cs8n2c08", 1),
    ])
    func sixteenBitFileMatchesItsEightBitTwin(sixteenBit: String, eightBit: String, tolerance: Int) throws {
        let wide = try PngSuite.decode(sixteenBit)
        let narrow = try PngSuite.decode(eightBit)
        #expect(wide.width == narrow.width && wide.height == narrow.height)
        #expect(largestDifference(wide, narrow) <= tolerance)
    }

    @Test(needsSharedData, arguments: [("cs5n3p08", "cs5n2c08"), ("cs8n3p08", "cs8n2c08")])
    func paletteFileEqualsTheTruecolourFile(palette: String, truecolour: String) throws {
        #expect(try PngSuite.decode(palette) == PngSuite.decode(truecolour))
    }

    /// A pixel shows background A when composited over A and background B
    /// over B only if its alpha is 0 (red differs by 255 between the two, so
    /// any alpha above 0 moves it). The counts come from reading each file's
    /// samples and tRNS chunk with a separate script, not from libpng.
    /// tRNS-only files have no partial alpha: every other pixel is opaque
    /// and must not depend on the background at all.
    @Test(needsSharedData, arguments: [
        ("tbbn0g04", 464, true), ("tbwn0g16", 453, true), ("tbrn2c08", 453, true),
        ("tbbn2c16", 453, true), ("tbbn3p08", 454, true), ("tp1n3p08", 454, true),
        ("tm3n3p02", 256, false), ("basn4a08", 32, false), ("basn4a16", 124, false),
        ("basn6a08", 32, false), ("basn6a16", 124, false),
    ])
    func fullyTransparentPixelsBecomeTheBackground(name: String, transparentCount: Int, isTRNSOnly: Bool) throws {
        let backgroundA: (UInt8, UInt8, UInt8) = (255, 0, 128)
        let backgroundB: (UInt8, UInt8, UInt8) = (0, 255, 64)
        let overA = try PngSuite.decode(name, background: backgroundA)
        let overB = try PngSuite.decode(name, background: backgroundB)
        var transparent = 0
        var unaffected = 0
        for y in 0..<overA.height {
            for x in 0..<overA.width {
                if overA[x: x, y: y] == backgroundA && overB[x: x, y: y] == backgroundB { transparent += 1 }
                if overA[x: x, y: y] == overB[x: x, y: y] { unaffected += 1 }
            }
        }
        #expect(transparent == transparentCount)
        // Every one of these files is transparent in its top-left corner.
        #expect(overA[x: 0, y: 0] == backgroundA && overB[x: 0, y: 0] == backgroundB)
        if isTRNSOnly {
            #expect(transparent + unaffected == overA.width * overA.height)
        }
    }

    // MARK: - Corrupt and hostile input

    /// Some x files have a broken signature, which a format sniffer would
    /// catch first; called directly, the decoder must still refuse them.
    @Test(needsSharedData, arguments: PngSuite.corruptNames)
    func refusesCorruptFile(name: String) throws {
        let bytes = try PngSuite.bytes(name)
        #expect(throws: ImageDecodingError.self) {
            try PNGDecoder.decode(bytes, path: name, options: ImageDecodingOptions())
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func refusesA65535SquareBeforeAllocating() {
        // 4.3 gigapixels: 12.9 GB of RGB if the limit were checked too late.
        let file = HandBuiltPNG.headerOnly(width: 65535, height: 65535)
        let expected = ImageDecodingError(
            path: "huge.png", reason: .tooLarge(width: 65535, height: 65535, limit: 100_000_000))
        #expect(throws: expected) {
            try PNGDecoder.decode(file, path: "huge.png", options: ImageDecodingOptions())
        }
    }

    @Test func honoursASmallCustomPixelLimit() throws {
        let pixels = (0..<(7 * 9 * 3)).map { UInt8($0) }
        let file = HandBuiltPNG.rgb(width: 7, height: 9, pixels: pixels)
        for limit in [64, 63] {
            let image = try PNGDecoder.decode(file, path: "small.png", options: ImageDecodingOptions(maximumPixelCount: limit))
            #expect(image == RGBImage(width: 7, height: 9, pixels: pixels))
        }
        #expect(throws: ImageDecodingError(path: "small.png", reason: .tooLarge(width: 7, height: 9, limit: 62))) {
            try PNGDecoder.decode(file, path: "small.png", options: ImageDecodingOptions(maximumPixelCount: 62))
        }
    }

    @Test func refusesEveryTruncationOfAValidFile() {
        let file = HandBuiltPNG.rgb(width: 3, height: 2, pixels: (0..<18).map { UInt8($0 * 14) })
        for length in 0..<file.count {
            #expect(throws: ImageDecodingError.self, "truncated to \(length) of \(file.count) bytes") {
                try PNGDecoder.decode(Array(file.prefix(length)), path: "cut.png", options: ImageDecodingOptions())
            }
        }
    }

    @Test func reportsLibpngsMessageForAFileThatIsNotPNG() {
        let jpegStart: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01]
        #expect(throws: ImageDecodingError(path: "photo.png", reason: .corrupt("Not a PNG file"))) {
            try PNGDecoder.decode(jpegStart, path: "photo.png", options: ImageDecodingOptions())
        }
    }
}
