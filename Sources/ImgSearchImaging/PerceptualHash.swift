import Foundation

/// The classic 64-bit perceptual hashes of a picture, computed as the
/// imagehash Python library computes them, to measure imgsearch beside them.
///
/// Both start from the picture's luma (Rec. 601, as a greyscale conversion
/// gives it) area-averaged to a small grid; the bits, row by row, are bit 0
/// upwards of the `UInt64`. Two pictures are as alike as their hashes are
/// near in Hamming distance.
public enum PerceptualHash {
    /// pHash: the 32x32 luma's two-dimensional DCT-II, its 8x8
    /// lowest-frequency coefficients (the constant one included), each bit
    /// set when its coefficient is above their median.
    public static func pHash(of image: RGBImage) -> UInt64 {
        let side = 32, kept = 8
        let luma = lumaGrid(of: image, width: side, height: side)
        // One-dimensional DCT-II of each row, then of each column, kept to
        // the first `kept` frequencies (the rest are never read).
        let basis = (0..<kept).map { frequency in
            (0..<side).map { n in cos(Double.pi * Double(frequency) * Double(2 * n + 1) / Double(2 * side)) }
        }
        var rows = [Double](repeating: 0, count: side * kept)
        for y in 0..<side {
            for frequency in 0..<kept {
                var sum = 0.0
                for x in 0..<side { sum += luma[y * side + x] * basis[frequency][x] }
                rows[y * kept + frequency] = sum
            }
        }
        var coefficients = [Double](repeating: 0, count: kept * kept)
        for vertical in 0..<kept {
            for horizontal in 0..<kept {
                var sum = 0.0
                for y in 0..<side { sum += rows[y * kept + horizontal] * basis[vertical][y] }
                coefficients[vertical * kept + horizontal] = sum
            }
        }
        let sorted = coefficients.sorted()
        let median = (sorted[31] + sorted[32]) / 2
        return bits(coefficients.map { $0 > median })
    }

    /// dHash: the 9x8 luma, each bit set when a pixel is brighter than the
    /// one to its left (8 comparisons in each of 8 rows).
    public static func dHash(of image: RGBImage) -> UInt64 {
        let luma = lumaGrid(of: image, width: 9, height: 8)
        var comparisons: [Bool] = []
        for y in 0..<8 {
            for x in 0..<8 { comparisons.append(luma[y * 9 + x + 1] > luma[y * 9 + x]) }
        }
        return bits(comparisons)
    }

    /// The 64 bits of a hash as 0 and 1 (bit 0 first): the squared
    /// Euclidean distance between two such vectors is the hashes' Hamming distance.
    public static func unitVector(_ hash: UInt64) -> [Float] {
        (0..<64).map { Float((hash >> UInt64($0)) & 1) }
    }

    /// The luma rounded to 8 bits, then area-averaged to `width` x `height`
    /// and rounded again, as an 8-bit greyscale picture resized would be.
    static func lumaGrid(of image: RGBImage, width: Int, height: Int) -> [Double] {
        var grey = [UInt8](repeating: 0, count: image.width * image.height)
        for at in grey.indices {
            let red = Int(image.pixels[3 * at]), green = Int(image.pixels[3 * at + 1]), blue = Int(image.pixels[3 * at + 2])
            grey[at] = UInt8((red * 299 + green * 587 + blue * 114 + 500) / 1000)
        }
        // The resampler works on RGB; a grey picture in all three channels
        // comes out grey, and one channel of it is the resized luma.
        let resized = RGBImage(width: image.width, height: image.height, pixels: grey.flatMap { [$0, $0, $0] })
            .resized(width: width, height: height)
        return (0..<(width * height)).map { Double(resized.pixels[3 * $0]) }
    }

    static func bits(_ values: [Bool]) -> UInt64 {
        values.enumerated().reduce(UInt64(0)) { hash, item in item.element ? hash | 1 << UInt64(item.offset) : hash }
    }
}
