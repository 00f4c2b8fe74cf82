import Foundation
@testable import ImgSearch

/// Helpers shared by the JPEG tests: reading shared files and making
/// damaged copies of them.
enum JPEGTestFiles {
    static func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: SharedData.url(relativePath)))
    }

    /// `bytes` with the frame header (SOF0/1/2) patched to declare `width` x `height`.
    static func withDeclaredSize(_ bytes: [UInt8], width: Int, height: Int) -> [UInt8]? {
        var bytes = bytes
        var offset = 2
        while offset + 9 < bytes.count {
            guard bytes[offset] == 0xFF else { return nil }
            let marker = bytes[offset + 1]
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            if (0xC0...0xC2).contains(marker) {
                bytes[offset + 5] = UInt8(height >> 8); bytes[offset + 6] = UInt8(height & 0xFF)
                bytes[offset + 7] = UInt8(width >> 8); bytes[offset + 8] = UInt8(width & 0xFF)
                return bytes
            }
            offset += 2 + length
        }
        return nil
    }

    /// Mean and maximum absolute difference between two images of equal size, in 0-255 units.
    static func difference(_ a: RGBImage, _ b: RGBImage) -> (mean: Double, max: Int) {
        precondition(a.width == b.width && a.height == b.height)
        var total = 0, largest = 0
        for i in a.pixels.indices {
            let d = abs(Int(a.pixels[i]) - Int(b.pixels[i]))
            total += d
            largest = max(largest, d)
        }
        return (Double(total) / Double(a.pixels.count), largest)
    }

    /// Mean and maximum absolute difference between two thumbnails, in 0-255 units.
    static func difference(_ a: Thumbnail, _ b: Thumbnail) -> (mean: Double, max: Double) {
        var total: Double = 0, largest: Double = 0
        for i in a.values.indices {
            let d = Double(abs(a.values[i] - b.values[i])) * 255
            total += d
            largest = max(largest, d)
        }
        return (total / Double(a.values.count), largest)
    }
}
