import Foundation
import Testing
@testable import ImgSearch

@Suite struct ExifOrientationTests {
    /// A 3x2 image whose pixels are all different: red = index.
    static let sample = RGBImage(width: 3, height: 2, pixels: (0..<6).flatMap { [UInt8($0), 0, 0] })

    @Test func transformsComposeAsRotationsAndMirrors() {
        let image = Self.sample
        #expect(image.applying(.up) == image)
        for involution in [ExifOrientation.upMirrored, .down, .downMirrored, .leftMirrored, .rightMirrored] {
            #expect(image.applying(involution).applying(involution) == image, "\(involution) twice")
        }
        let clockwise = image.applying(.right)
        #expect(clockwise.applying(.right).applying(.right).applying(.right) == image)
        #expect(clockwise.applying(.right) == image.applying(.down))
        #expect(clockwise.applying(.left) == image)
        #expect(image.applying(.upMirrored).applying(.downMirrored) == image.applying(.down))
    }

    @Test func rotationMovesCornersWhereEXIFSays() {
        // Orientation 6: stored row 0 is the right side of the upright
        // picture, stored column 0 its top.
        let upright = Self.sample.applying(.right)
        #expect(upright.width == 2 && upright.height == 3)
        #expect(upright[x: 1, y: 0].red == 0)  // stored (0,0) -> top right
        #expect(upright[x: 0, y: 0].red == 3)  // stored (0,1) -> top left
        #expect(upright[x: 1, y: 2].red == 2)  // stored (2,0) -> bottom right
        // Orientation 8: stored row 0 is the left side, column 0 the bottom.
        let left = Self.sample.applying(.left)
        #expect(left[x: 0, y: 2].red == 0)
        #expect(left[x: 0, y: 0].red == 2)
    }

    @Test(arguments: [true, false])
    func readsTheTagFromBothByteOrders(littleEndian: Bool) {
        func u16(_ v: Int) -> [UInt8] { littleEndian ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)] }
        func u32(_ v: Int) -> [UInt8] { littleEndian ? u16(v & 0xFFFF) + u16(v >> 16) : u16(v >> 16) + u16(v & 0xFFFF) }
        var tiff: [UInt8] = littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]
        tiff += u16(42) + u32(8) + u16(2)
        tiff += u16(0x010F) + u16(2) + u32(4) + u32(0)  // Make, ignored
        tiff += u16(0x0112) + u16(3) + u32(1) + u16(6) + u16(0)
        tiff += u32(0)
        #expect(ExifOrientation.orientation(inTIFF: tiff) == .right)

        let segment: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0] + tiff
        let length = segment.count + 2
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + segment + [0xFF, 0xDA]
        #expect(ExifOrientation.ofJPEG(jpeg) == .right)
        // Cut anywhere, the parser never reads out of bounds; it answers .up.
        for cut in 0..<jpeg.count - 2 {
            _ = ExifOrientation.ofJPEG(Array(jpeg.prefix(cut)))
        }
        #expect(ExifOrientation.ofJPEG(Array(jpeg.prefix(20))) == .up)
    }

    @Test(.enabled(if: SharedData.isAvailable, SharedData.skipMessage), arguments: ["Landscape", "Portrait"])
    func recurserPhotosGiveTheSameUprightThumbnail(series: String) throws {
        let reference = try ImageDecoder.thumbnail(contentsOf: SharedData.url("exif-orientation/recurser/\(series)_1.jpg").path)
        for number in 2...8 {
            let path = SharedData.url("exif-orientation/recurser/\(series)_\(number).jpg").path
            let bytes = try JPEGTestFiles.bytes("exif-orientation/recurser/\(series)_\(number).jpg")
            #expect(ExifOrientation.ofJPEG(bytes) == ExifOrientation(rawValue: number))
            let stored = try JPEGDecoder.decode(bytes, path: path, options: ImageDecodingOptions()).image
            let difference = JPEGTestFiles.difference(try ImageDecoder.thumbnail(contentsOf: path), reference)
            // Each file carries its own number as an overlay, so the
            // pictures are not identical; the tag's orientation must still be
            // by far the best match of the eight.
            #expect(difference.mean < 3, "\(series)_\(number): mean difference \(difference.mean)")
            let best = ExifOrientation.allCases.min { a, b in
                JPEGTestFiles.difference(Thumbnail(of: stored.applying(a)), reference).mean
                    < JPEGTestFiles.difference(Thumbnail(of: stored.applying(b)), reference).mean
            }
            #expect(best?.rawValue == number)
        }
        // Orientation 0 is out of range and treated as upright.
        let zero = try ImageDecoder.decode(contentsOf: SharedData.url("exif-orientation/recurser/\(series)_0.jpg").path)
        #expect(zero.orientation == .up)
    }

    @Test(.enabled(if: SharedData.isAvailable, SharedData.skipMessage))
    func pillowSamplesAreUprightAndSwapSides() throws {
        let reference = try ImageDecoder.thumbnail(contentsOf: SharedData.url("exif-orientation/pillow/hopper_orientation_2.jpg").path)
        for number in 3...8 {
            let path = SharedData.url("exif-orientation/pillow/hopper_orientation_\(number).jpg").path
            let difference = JPEGTestFiles.difference(try ImageDecoder.thumbnail(contentsOf: path), reference)
            #expect(difference.mean < 4, "hopper_orientation_\(number): mean difference \(difference.mean)")
        }
        let rectangle = try ImageDecoder.decode(contentsOf: SharedData.url("exif-orientation/pillow/orientation_rectangle.jpg").path)
        #expect(rectangle.orientation == .left)
        #expect(rectangle.width == 1 && rectangle.height == 2)
        #expect(rectangle.image.width == 1 && rectangle.image.height == 2)
    }
}
