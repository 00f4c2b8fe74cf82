import Testing
@testable import ImgSearch

@Suite struct ThumbnailTests {
    static func image(width: Int, height: Int, _ pixel: (Int, Int) -> (UInt8, UInt8, UInt8)) -> RGBImage {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                let (r, g, b) = pixel(x, y)
                pixels += [r, g, b]
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    @Test func aThirtyTwoSquareImageMapsOneToOneInPlanarOrder() {
        let image = Self.image(width: 32, height: 32) { x, y in (UInt8(x), UInt8(y), UInt8(x + y)) }
        let thumbnail = Thumbnail(of: image)
        #expect(thumbnail.values.count == 3072)
        for y in 0..<32 {
            for x in 0..<32 {
                #expect(thumbnail.values[y * 32 + x] == Float(x) / 255)
                #expect(thumbnail.values[1024 + y * 32 + x] == Float(y) / 255)
                #expect(thumbnail.values[2048 + y * 32 + x] == Float(x + y) / 255)
            }
        }
        #expect(thumbnail.rgbImage == image)
    }

    @Test func aHalfSizeCopyIsWhatTheNearDuplicateTestQueriesWith() throws {
        var generator = SplitMix64(seed: 4)
        let image = Self.image(width: 32, height: 32) { _, _ in
            (UInt8(generator.next() % 256), UInt8(generator.next() % 256), UInt8(generator.next() % 256))
        }
        let copy = Thumbnail(of: image).halfSizeCopy
        #expect(copy == Thumbnail(of: try ImageDistortion.halfSize.apply(to: image, seed: 0)))
        // Each 2x2 block holds its pixels' mean, rounded to 8 bits.
        let red = (0..<2).flatMap { dy in (0..<2).map { dx in Float(image.pixels[((2 + dy) * 32 + 6 + dx) * 3]) } }
        let mean = (red.reduce(0, +) / 4).rounded() / 255
        #expect([copy.values[2 * 32 + 6], copy.values[3 * 32 + 7]].allSatisfy { abs($0 - mean) < 1e-6 })
    }

    @Test func anImageOfTheThumbnailsSizeGivesWhatAveragingGives() {
        // The same-size shortcut against the general path: a 64x64 image of
        // 2x2 copies of each pixel averages back to exactly those pixels.
        var generator = SplitMix64(seed: 3)
        let small = Self.image(width: 32, height: 32) { _, _ in
            (UInt8(generator.next() % 256), UInt8(generator.next() % 256), UInt8(generator.next() % 256))
        }
        let doubled = Self.image(width: 64, height: 64) { x, y in
            let at = ((y / 2) * 32 + x / 2) * 3
            return (small.pixels[at], small.pixels[at + 1], small.pixels[at + 2])
        }
        let shortcut = Thumbnail(of: small), averaged = Thumbnail(of: doubled)
        #expect(shortcut.values.map(\.bitPattern) == averaged.values.map(\.bitPattern))
    }

    @Test func shrinkingAveragesWholeBlocks() {
        // 64x64 of 2x2 blocks whose four pixels are 0, 100, 200, 100: mean 100.
        let image = Self.image(width: 64, height: 64) { x, y in
            let value = UInt8((x % 2 + y % 2) * 100)
            return (value, value, 255 - value)
        }
        let thumbnail = Thumbnail(of: image)
        for at in 0..<1024 {
            #expect(abs(thumbnail.values[at] - 100 / 255) < 1e-5)
            #expect(abs(thumbnail.values[2048 + at] - 155 / 255) < 1e-5)
        }
    }

    @Test func fractionalCoverageIsWeightedByArea() {
        // 48 columns to 32: output 0 covers source 0 fully and half of source 1.
        let image = Self.image(width: 48, height: 32) { x, _ in (x == 0 ? 255 : 0, 0, 0) }
        let thumbnail = Thumbnail(of: image)
        #expect(abs(thumbnail.values[0] - (255 * 2.0 / 3.0) / 255) < 1e-5)
        #expect(thumbnail.values[1] == 0)
    }

    @Test func enlargingATinyImageRepeatsItsPixels() {
        let image = Self.image(width: 2, height: 1) { x, _ in (x == 0 ? 255 : 0, 0, 0) }
        let thumbnail = Thumbnail(of: image)
        #expect(thumbnail.values[0] == 1)
        #expect(thumbnail.values[15] == 1)
        #expect(thumbnail.values[16] == 0)
        #expect(thumbnail.values[31 * 32 + 31] == 0)
    }

    @Test(arguments: [1, 7, 31, 33, 1000])
    func uniformImagesStayUniformAndInRange(side: Int) {
        let image = Self.image(width: side, height: side * 2 + 1) { _, _ in (255, 128, 0) }
        let thumbnail = Thumbnail(of: image)
        #expect(thumbnail.values[0..<1024].allSatisfy { abs($0 - 1) < 1e-5 })
        #expect(thumbnail.values[1024..<2048].allSatisfy { abs($0 - 128 / 255) < 1e-5 })
        #expect(thumbnail.values[2048...].allSatisfy { $0 == 0 })
        #expect(thumbnail.values.allSatisfy { $0 <= 1 })
    }

    @Test func aQuarterTurnOfTheThumbnailIsTheThumbnailOfThePictureTurned() {
        // 48 x 32: not square, so the turn also swaps how each side is averaged.
        let picture = Self.image(width: 48, height: 32) { x, y in (UInt8(x * 5), UInt8(y * 7), UInt8((x * y) % 256)) }
        let thumbnail = Thumbnail(of: picture)
        for (turns, orientation) in [(1, ExifOrientation.left), (2, .down), (3, .right), (-1, .right)] {
            let turned = thumbnail.rotated(quarterTurns: turns)
            let expected = Thumbnail(of: picture.applying(orientation))
            #expect(zip(turned.values, expected.values).allSatisfy { abs($0 - $1) < 1e-5 }, "\(turns) turns")
        }
        #expect(thumbnail.rotated(quarterTurns: 0) == thumbnail)
        #expect(thumbnail.rotated(quarterTurns: 4) == thumbnail)
        #expect(thumbnail.rotated(quarterTurns: 1).rotated(quarterTurns: 3) == thumbnail)
        #expect(thumbnail.rotated(quarterTurns: 1) != thumbnail)
    }

    @Test func aQuarterTurnMovesTheTopRightCornerToTheTopLeft() {
        // 2 x 2 planes: red 0 1 / 2 3; anticlockwise, the top-right (1) comes to the top left.
        let thumbnail = Thumbnail(side: 2, values: (0..<12).map(Float.init))
        #expect(Array(thumbnail.rotated(quarterTurns: 1).values[0..<4]) == [1, 3, 0, 2])
        #expect(Array(thumbnail.rotated(quarterTurns: 1).values[8..<12]) == [9, 11, 8, 10])
        #expect(Array(thumbnail.rotated(quarterTurns: 2).values[0..<4]) == [3, 2, 1, 0])
    }

    @Test func cuttingOffBlackBarsGivesBackThePictureBeforeTheLetterbox() throws {
        // 64 x 40, bright and varied, padded with black to 64 x 64 (12 rows above, 12 below).
        let picture = Self.image(width: 64, height: 40) { x, y in
            (UInt8(60 + (x * 3) % 190), UInt8(80 + (y * 4) % 170), UInt8(100 + (x + y) % 150))
        }
        let original = Thumbnail(of: picture)
        var pixels = [UInt8](repeating: 0, count: 64 * 64 * 3)
        pixels.replaceSubrange((12 * 64 * 3)..<(52 * 64 * 3), with: picture.pixels)
        let letterboxed = Thumbnail(of: RGBImage(width: 64, height: 64, pixels: pixels))
        let trimmed = try #require(letterboxed.trimmingBlackBars())
        let before = zip(letterboxed.values, original.values).map { abs($0 - $1) }.reduce(0, +) / Float(original.values.count)
        let after = zip(trimmed.values, original.values).map { abs($0 - $1) }.reduce(0, +) / Float(original.values.count)
        #expect(after < 0.03, "mean difference \(after)")
        #expect(after < before / 5, "\(after) against \(before) with the bars")
        // No black edge, nothing to cut.
        #expect(original.trimmingBlackBars() == nil)
        // An all-black picture is cut at most a quarter from each side.
        let black = Thumbnail(side: 32, values: [Float](repeating: 0, count: 3072))
        #expect(black.trimmingBlackBars() == Thumbnail(side: 32, values: [Float](repeating: 0, count: 3072)))
    }
}
