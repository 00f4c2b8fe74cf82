import Testing
@testable import ImgSearch

@Suite struct PNGEncoderTests {
    /// Random pixels from the shared seeded generator: no two neighbours
    /// alike, so every filter and every byte of a row is exercised.
    private static func randomImage(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var generator = SplitMix64(seed: seed)
        let pixels = (0..<(width * height * 3)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    private static func decode(_ file: [UInt8]) throws -> RGBImage {
        try PNGDecoder.decode(file, path: "memory.png", options: ImageDecodingOptions(maximumPixelCount: .max))
    }

    // Odd widths make rows whose length is not a multiple of 4 or 8.
    @Test(arguments: [(1, 1), (2, 1), (1, 2), (3, 5), (7, 7), (33, 17), (257, 3), (64, 64)])
    func roundTripGivesIdenticalPixels(width: Int, height: Int) throws {
        let image = Self.randomImage(width: width, height: height, seed: UInt64(width * 1000 + height))
        let file = try PNGEncoder.encode(image)
        #expect(ImageFormat(signatureOf: file) == .png)
        #expect(try Self.decode(file) == image)
    }

    /// Wider than libpng's default per-side limit of 1,000,000: still a
    /// valid PNG, so it must survive both directions.
    @Test func roundTripsAPanoramaWiderThanLibpngsDefaultLimit() throws {
        let width = 1_000_001
        let pixels = (0..<(width * 3)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let image = RGBImage(width: width, height: 1, pixels: pixels)
        #expect(try Self.decode(PNGEncoder.encode(image)) == image)
    }

    /// The decoder reads a file libpng did not write (stored deflate
    /// blocks, several of them past 64 KiB), and the encoder's file for the
    /// same pixels decodes to the same image.
    @Test func decodesAHandBuiltFileLikeTheEncodersOwn() throws {
        let image = Self.randomImage(width: 200, height: 150, seed: 42)
        let handBuilt = HandBuiltPNG.rgb(width: image.width, height: image.height, pixels: image.pixels)
        #expect(try Self.decode(handBuilt) == image)
        #expect(try Self.decode(PNGEncoder.encode(image)) == image)
    }

    /// The test's own checksums against their published check values, so a
    /// failure above is not blamed on the decoder by mistake.
    @Test func handBuiltChecksumsMatchTheirCheckValues() {
        #expect(HandBuiltPNG.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(HandBuiltPNG.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        #expect(HandBuiltPNG.chunk("IEND", []) == [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
    }

    @Test func describesAnImageTooWideForPNG() {
        let error = PNGEncodingError(width: 3_000_000_000, height: 1, reason: .refused("a side is over PNG's limit of 2^31 - 1 pixels"))
        #expect(error.description == "cannot encode a 3000000000x1 image as PNG: a side is over PNG's limit of 2^31 - 1 pixels")
    }
}
