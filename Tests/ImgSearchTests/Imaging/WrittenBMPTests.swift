import Foundation
import Testing
@testable import ImgSearch

/// The BMP reader on files the test writes itself, so that its main paths
/// (palettes of every depth, bit fields, RLE8, truncation) are tested in a
/// clean checkout; the bmpsuite in ../shared checks the rest.
@Suite struct WrittenBMPTests {
    /// A picture whose every pixel is one of `palette`'s colours.
    static func picture(width: Int, height: Int, palette: [(UInt8, UInt8, UInt8)], seed: UInt64)
        -> (image: RGBImage, indices: [Int])
    {
        var generator = SplitMix64(seed: seed)
        // Runs of one index, so that RLE has something to compress.
        var indices: [Int] = []
        while indices.count < width * height {
            let index = Int(generator.next() % UInt64(palette.count))
            indices += [Int](repeating: index, count: Int(generator.next() % 5) + 1)
        }
        indices = Array(indices.prefix(width * height))
        let pixels = indices.flatMap { [palette[$0].0, palette[$0].1, palette[$0].2] }
        return (RGBImage(width: width, height: height, pixels: pixels), indices)
    }

    static func palette(_ count: Int, seed: UInt64) -> [(UInt8, UInt8, UInt8)] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            (UInt8(generator.next() % 256), UInt8(generator.next() % 256), UInt8(generator.next() % 256))
        }
    }

    @Test(arguments: [1, 4, 8])
    func paletteBMPsDecodeToTheirColours(bits: Int) throws {
        let colours = Self.palette(1 << bits, seed: UInt64(bits))
        let (image, indices) = Self.picture(width: 13, height: 6, palette: colours, seed: 40 + UInt64(bits))
        let bytes = TinyBMPWriter.paletted(width: 13, height: 6, bits: bits, palette: colours, indices: indices)
        #expect(try ImageDecoder.decode(bytes, path: "palette.bmp").image == image)
    }

    @Test func aThirtyTwoBitBitFieldsBMPDecodesToThePicture() throws {
        var generator = SplitMix64(seed: 7)
        let image = RGBImage(width: 9, height: 4, pixels: (0..<(9 * 4 * 3)).map { _ in UInt8(generator.next() % 256) })
        #expect(try ImageDecoder.decode(TinyBMPWriter.bitFields32(image), path: "fields.bmp").image == image)
    }

    @Test func anRLE8BMPDecodesToThePicture() throws {
        let colours = Self.palette(200, seed: 9)
        let (image, indices) = Self.picture(width: 17, height: 5, palette: colours, seed: 10)
        let bytes = TinyBMPWriter.rle8(width: 17, height: 5, palette: colours, indices: indices)
        #expect(try ImageDecoder.decode(bytes, path: "runs.bmp").image == image)
    }

    @Test func aBMPWithoutItsLastRowsIsRefusedNamingTheFile() throws {
        var generator = SplitMix64(seed: 11)
        let image = RGBImage(width: 8, height: 8, pixels: (0..<(8 * 8 * 3)).map { _ in UInt8(generator.next() % 256) })
        let whole = TinyBMPWriter.bmp24(image)
        let error = #expect(throws: ImageDecodingError.self) {
            try ImageDecoder.decode(Array(whole.prefix(whole.count - 40)), path: "cut.bmp")
        }
        #expect(error?.path == "cut.bmp")
        #expect(error?.description.contains("truncated") == true, "\(String(describing: error))")
    }
}

extension TinyBMPWriter {
    private static func u16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
    private static func u32(_ value: Int) -> [UInt8] { u16(value & 0xFFFF) + u16(value >> 16 & 0xFFFF) }

    /// File header and BITMAPINFOHEADER for pixels at `offset`.
    private static func headers(width: Int, height: Int, bits: Int, compression: Int, offset: Int, imageSize: Int,
                                colours: Int) -> [UInt8] {
        var bytes: [UInt8] = [0x42, 0x4D]
        for field in [offset + imageSize, 0, offset, 40, width, height] { bytes += u32(field) }
        bytes += u16(1) + u16(bits)
        for field in [compression, imageSize, 2835, 2835, colours, 0] { bytes += u32(field) }
        return bytes
    }

    /// 1, 4 or 8 bits a pixel, indices into `palette`, rows bottom-up and
    /// packed from the high bit.
    static func paletted(width: Int, height: Int, bits: Int, palette: [(UInt8, UInt8, UInt8)], indices: [Int]) -> [UInt8] {
        let stride = (width * bits + 31) / 32 * 4
        let offset = 54 + 4 * palette.count
        var bytes = headers(width: width, height: height, bits: bits, compression: 0, offset: offset,
                            imageSize: stride * height, colours: palette.count)
        for (r, g, b) in palette { bytes += [b, g, r, 0] }
        for row in (0..<height).reversed() {
            var line = [UInt8](repeating: 0, count: stride)
            for x in 0..<width {
                let bit = x * bits
                line[bit / 8] |= UInt8(indices[row * width + x] << (8 - bits - bit % 8))
            }
            bytes += line
        }
        return bytes
    }

    /// 32 bits a pixel with BI_BITFIELDS masks (red 0x00FF0000, green
    /// 0x0000FF00, blue 0x000000FF) after the header.
    static func bitFields32(_ image: RGBImage) -> [UInt8] {
        var bytes = headers(width: image.width, height: image.height, bits: 32, compression: 3, offset: 66,
                            imageSize: image.width * image.height * 4, colours: 0)
        bytes += u32(0x00FF_0000) + u32(0x0000_FF00) + u32(0x0000_00FF)
        for row in (0..<image.height).reversed() {
            for x in 0..<image.width {
                let (r, g, b) = image[x: x, y: row]
                bytes += [b, g, r, 0]
            }
        }
        return bytes
    }

    /// RLE8: each row as (count, index) runs, an end-of-line mark after
    /// each row, an end-of-bitmap mark at the end.
    static func rle8(width: Int, height: Int, palette: [(UInt8, UInt8, UInt8)], indices: [Int]) -> [UInt8] {
        var data: [UInt8] = []
        for row in (0..<height).reversed() {
            var x = 0
            while x < width {
                let index = indices[row * width + x]
                var run = 1
                while x + run < width, run < 255, indices[row * width + x + run] == index { run += 1 }
                data += [UInt8(run), UInt8(index)]
                x += run
            }
            data += [0, 0]
        }
        data += [0, 1]
        let offset = 54 + 4 * palette.count
        var bytes = headers(width: width, height: height, bits: 8, compression: 1, offset: offset,
                            imageSize: data.count, colours: palette.count)
        for (r, g, b) in palette { bytes += [b, g, r, 0] }
        return bytes + data
    }
}
