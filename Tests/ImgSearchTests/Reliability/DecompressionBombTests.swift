import Foundation
import Testing
@testable import ImgSearch
internal import CImgSearchZlib

/// A real decompression bomb, made here: a 20,000 x 20,000 PNG of one grey
/// (1.2 GB of pixels in about a megabyte of file). The header bombs (65,535
/// squared, JPEG and PNG) are in the decoder tests; scripts/stress.sh runs
/// all of them through the command line and measures peak memory.
@Suite struct DecompressionBombTests {
    struct DeflateFailure: Error {
        let status: Int32
    }

    /// An 8-bit RGB PNG of `side` x `side` pixels all of value `grey`,
    /// deflated a row at a time, so making it needs one row of memory.
    static func oneGreyPNG(side: Int, grey: UInt8) throws -> [UInt8] {
        var stream = z_stream()
        // Z_RLE: runs of one byte value compress as well as at level 9, far faster.
        #expect(deflateInit2_(&stream, 9, Z_DEFLATED, 15, 9, Z_RLE, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&stream) }
        var row = [UInt8](repeating: grey, count: 1 + side * 3)
        row[0] = 0  // filter type None
        var compressed: [UInt8] = []
        var output = [UInt8](repeating: 0, count: 1 << 16)
        for line in 0..<side {
            let flush = line == side - 1 ? Z_FINISH : Z_NO_FLUSH
            try row.withUnsafeMutableBufferPointer { input in
                stream.next_in = input.baseAddress
                stream.avail_in = UInt32(input.count)
                repeat {
                    let status = output.withUnsafeMutableBufferPointer { buffer in
                        stream.next_out = buffer.baseAddress
                        stream.avail_out = UInt32(buffer.count)
                        return deflate(&stream, flush)
                    }
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        throw DeflateFailure(status: status)
                    }
                    compressed += output[0..<(output.count - Int(stream.avail_out))]
                } while stream.avail_out == 0  // room left: the input is used up (and, finishing, the stream ended)
            }
        }
        return HandBuiltPNG.signature
            + HandBuiltPNG.chunk("IHDR", HandBuiltPNG.header(width: UInt32(side), height: UInt32(side)))
            + HandBuiltPNG.chunk("IDAT", compressed)
            + HandBuiltPNG.chunk("IEND", [])
    }

    @Test func aRealTwentyThousandSquarePNGIsRefusedBeforeAnyPixelIsDecoded() throws {
        let file = try Self.oneGreyPNG(side: 20_000, grey: 128)
        #expect(file.count < 2_000_000)  // the point of a bomb: small on disk
        let expected = ImageDecodingError(path: "bomb.png", reason: .tooLarge(width: 20_000, height: 20_000, limit: 100_000_000))
        #expect(throws: expected) { try ImageDecoder.decode(file, path: "bomb.png") }
        #expect(throws: expected) { try ImageDecoder.thumbnail(file, path: "bomb.png") }
    }

    @Test func theSameBombWithinALowerLimitDecodesToItsGrey() throws {
        // The generator itself, checked on a size the tests can afford.
        let file = try Self.oneGreyPNG(side: 300, grey: 77)
        let decoded = try ImageDecoder.decode(file, path: "grey.png")
        #expect(decoded.image.width == 300 && decoded.image.height == 300)
        #expect(decoded.image.pixels.allSatisfy { $0 == 77 })
    }
}
