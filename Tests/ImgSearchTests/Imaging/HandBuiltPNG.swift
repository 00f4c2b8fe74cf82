/// PNG files written byte by byte by the tests, without libpng, so the
/// decoder is checked against something it did not produce itself.
///
/// Only 8-bit RGB, filter type 0 on every row, and deflate's "stored"
/// (uncompressed) blocks: the simplest file the format allows.
enum HandBuiltPNG {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A complete 8-bit RGB PNG holding `pixels` (`height` rows of
    /// `width * 3` interleaved bytes).
    static func rgb(width: Int, height: Int, pixels: [UInt8]) -> [UInt8] {
        precondition(pixels.count == width * height * 3)
        var scanlines: [UInt8] = []
        scanlines.reserveCapacity(height * (1 + width * 3))
        for row in 0..<height {
            scanlines.append(0)  // filter type None
            scanlines += pixels[(row * width * 3)..<((row + 1) * width * 3)]
        }
        return signature
            + chunk("IHDR", header(width: UInt32(width), height: UInt32(height)))
            + chunk("IDAT", zlibStored(scanlines))
            + chunk("IEND", [])
    }

    /// A file whose IHDR declares `width` x `height` 8-bit RGB, with correct
    /// CRCs, followed by an empty IDAT and IEND. libpng's `png_read_info`
    /// stops at the IDAT, so this is all the decoder reads before its size
    /// check; there is no pixel data to decode.
    static func headerOnly(width: UInt32, height: UInt32) -> [UInt8] {
        signature
            + chunk("IHDR", header(width: width, height: height))
            + chunk("IDAT", [])
            + chunk("IEND", [])
    }

    /// IHDR's 13 bytes: width, height, bit depth 8, colour type 2 (RGB),
    /// compression 0, filter 0, no interlace.
    static func header(width: UInt32, height: UInt32) -> [UInt8] {
        bigEndian(width) + bigEndian(height) + [8, 2, 0, 0, 0]
    }

    /// Length, type, data and the CRC-32 of type + data, as PNG lays out a chunk.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeAndData = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typeAndData + bigEndian(crc32(typeAndData))
    }

    /// CRC-32 as PNG and zlib define it (reflected, polynomial 0xEDB88320),
    /// one bit at a time: slow and obviously right.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 {
                crc = (crc & 1) == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
            }
        }
        return ~crc
    }

    /// Adler-32, the checksum that ends a zlib stream.
    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var low: UInt32 = 1
        var high: UInt32 = 0
        for byte in bytes {
            low = (low + UInt32(byte)) % 65521
            high = (high + low) % 65521
        }
        return high << 16 | low
    }

    /// A zlib stream of stored deflate blocks (at most 65535 bytes each).
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var stream: [UInt8] = [0x78, 0x01]  // deflate, 32K window; 0x7801 is a multiple of 31
        var start = 0
        repeat {
            let end = min(start + 65535, data.count)
            let length = UInt16(end - start)
            let isFinal: UInt8 = end == data.count ? 1 : 0
            stream += [isFinal, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            stream += data[start..<end]
            start = end
        } while start < data.count
        return stream + bigEndian(adler32(data))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
