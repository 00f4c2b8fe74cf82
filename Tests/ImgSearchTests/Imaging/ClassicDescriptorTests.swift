import Foundation
import Testing
@testable import ImgSearch

/// pHash, dHash and the HSV colour histogram: the classic baselines eval measures beside.
@Suite struct ClassicDescriptorTests {
    /// A picture with structure at several scales and no flat area (where
    /// any noise would flip dHash's comparisons of equal neighbours): a
    /// diagonal gradient under a slow ripple, a bright disc left of centre,
    /// a dark bar at the bottom.
    static func scene(width: Int = 120, height: Int = 90, shift: Int = 0) -> RGBImage {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                let inDisc = (x - width / 3 - shift) * (x - width / 3 - shift) + (y - height / 2) * (y - height / 2) < (height / 4) * (height / 4)
                let inBar = y > height * 4 / 5
                let ripple = Int(30 * sin(Double(x) * 12 / Double(width)) * cos(Double(y) * 9 / Double(height)))
                let red = (inDisc ? 200 : (x * 160 / width)) + 40 + ripple
                let green = (inBar ? 20 : (y * 150 / height)) + 40 + ripple
                let blue = (inDisc ? 60 : 120) + 40 + ripple
                pixels += [UInt8(clamping: red), UInt8(clamping: green), UInt8(clamping: blue)]
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    static func hamming(_ a: UInt64, _ b: UInt64) -> Int { (a ^ b).nonzeroBitCount }

    @Test func perceptualHashesSeeThroughScalingAndRecompressionButNotAnotherPicture() throws {
        let original = Self.scene()
        let smaller = original.resized(width: 60, height: 45)
        let recompressed = try PhotoEdit.jpegQuality20.apply(to: original)
        let other = Self.scene(shift: 40).applying(.down)
        for (name, hash) in [("pHash", PerceptualHash.pHash(of:)), ("dHash", PerceptualHash.dHash(of:))] {
            #expect(Self.hamming(hash(original), hash(smaller)) <= 4, "\(name)")
            #expect(Self.hamming(hash(original), hash(recompressed)) <= 4, "\(name)")
            #expect(Self.hamming(hash(original), hash(other)) >= 16, "\(name)")
        }
    }

    @Test func pHashSetsHalfItsBitsAndIgnoresColour() {
        let original = Self.scene()
        let hash = PerceptualHash.pHash(of: original)
        // Above the median of 64 distinct coefficients: exactly half.
        #expect(hash.nonzeroBitCount == 32)
        #expect(PerceptualHash.pHash(of: try! PhotoEdit.greyscale.apply(to: original)) == hash)
    }

    @Test func dHashComparesNeighboursLeftToRight() {
        // Brighter to the right everywhere: every comparison holds.
        let rising = RGBImage(width: 90, height: 80, pixels: (0..<(90 * 80)).flatMap { at -> [UInt8] in
            let value = UInt8(at % 90 * 2 + 10)
            return [value, value, value]
        })
        #expect(PerceptualHash.dHash(of: rising) == UInt64.max)
        #expect(PerceptualHash.dHash(of: rising.applying(.upMirrored)) == 0)
    }

    @Test func theUnitVectorsSquaredDistanceIsTheHammingDistance() {
        let a: UInt64 = 0xF0F0_1234_5678_9ABC, b: UInt64 = 0x0FF0_4321_8765_CBA9
        let x = PerceptualHash.unitVector(a), y = PerceptualHash.unitVector(b)
        let squared = zip(x, y).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        #expect(Int(squared) == Self.hamming(a, b))
    }

    @Test func theColourHistogramCountsEveryPixelOnceInItsHSVBin() {
        // Pure red, pure green, white and black, a quarter each.
        var pixels: [UInt8] = []
        for at in 0..<400 {
            switch at % 4 {
            case 0: pixels += [255, 0, 0]
            case 1: pixels += [0, 255, 0]
            case 2: pixels += [255, 255, 255]
            default: pixels += [0, 0, 0]
            }
        }
        let histogram = ColourHistogram(of: RGBImage(width: 20, height: 20, pixels: pixels))
        #expect(histogram.shares.count == 128)
        #expect(abs(histogram.shares.reduce(0, +) - 1) < 1e-5)
        func bin(_ h: Int, _ s: Int, _ v: Int) -> Float { histogram.shares[(h * 4 + s) * 4 + v] }
        #expect(bin(0, 3, 3) == 0.25)  // red: hue 0, saturated, bright
        #expect(bin(2, 3, 3) == 0.25)  // green: hue 1/3 -> bin 2 of 8
        #expect(bin(0, 0, 3) == 0.25)  // white: no saturation
        #expect(bin(0, 0, 0) == 0.25)  // black
        #expect(histogram.distance(to: histogram) == 0)
        let red = ColourHistogram(of: RGBImage(width: 2, height: 2, pixels: [UInt8](repeating: 0, count: 12).enumerated().map { $0.offset % 3 == 0 ? 255 : 0 }))
        #expect(abs(histogram.distance(to: red) - 1.5) < 1e-5)  // 0.75 moved out of red's bin and 0.75 into the others
    }
}
