/// Decodes Windows and OS/2 bitmaps (BMP) with a reader of imgsearch's own,
/// in Swift: no maintained system library covers the format.
///
/// Supported, as the bmpsuite (`../shared/data/formats/pillow/bmp`) checks:
/// the OS/2 1.x header (12 bytes), the OS/2 2.x header (16 or 64 bytes), the
/// Windows headers of 40 (BITMAPINFOHEADER), 52, 56, 108 (V4) and 124 (V5)
/// bytes; 1, 2, 4 and 8 bits through a palette, 16 and 32 bits with the
/// default masks or BI_BITFIELDS / BI_ALPHABITFIELDS masks of any width,
/// 24 bits; RLE8 and RLE4 (skipped pixels are transparent); bottom-up and
/// top-down rows; and BI_JPEG / BI_PNG bitmaps, whose embedded file goes to
/// the JPEG or PNG decoder. Alpha is used only where the file declares an
/// alpha mask, and only if some pixel has a non-zero alpha (files that leave
/// the channel at 0 mean it as opaque); it is blended over
/// `options.background` as PNG's is. A palette index past the palette is
/// black. ICC profiles, densities and the file-size field are ignored.
///
/// Refused: other header sizes, planes other than 1, a bit count the
/// compression does not allow, a non-positive width or zero height, RLE in a
/// top-down bitmap, a palette or pixel rows that run past the end of the
/// file, and RLE data that writes past the last row or stops early. OS/2
/// Huffman 1D and RLE24 are `.unsupportedVariant`.
package enum BMPDecoder {
    /// Decodes the BMP file `bytes`, read from `path` (used only in errors).
    ///
    /// - Throws: `.tooLarge` when the header declares more than
    ///   `options.maximumPixelCount` pixels (before anything is allocated),
    ///   `.corrupt` for the refusals above, `.unsupportedVariant`.
    package static func decode(
        _ bytes: [UInt8], path: String, options: ImageDecodingOptions
    ) throws(ImageDecodingError) -> RGBImage {
        do {
            return try Reader(bytes: bytes, options: options).decode(path: path)
        } catch let failure as BMPFailure {
            switch failure {
            case .corrupt(let message): throw ImageDecodingError(path: path, reason: .corrupt("BMP: \(message)"))
            case .unsupported(let message): throw ImageDecodingError(path: path, reason: .unsupportedVariant("BMP: \(message)"))
            case .tooLarge(let width, let height):
                throw ImageDecodingError(path: path, reason: .tooLarge(width: width, height: height, limit: options.maximumPixelCount))
            case .embedded(let error): throw error
            }
        } catch {
            throw ImageDecodingError(path: path, reason: .corrupt("BMP: \(error)"))
        }
    }
}

private enum BMPFailure: Error {
    case corrupt(String)
    case unsupported(String)
    case tooLarge(width: Int, height: Int)
    case embedded(ImageDecodingError)
}

/// One channel of a bit-field pixel: `(pixel & mask) >> shift`, scaled from
/// `0...maximum` to `0...255`.
private struct Channel {
    let mask: UInt32
    let shift: UInt32
    let maximum: UInt32

    init(mask: UInt32) {
        self.mask = mask
        shift = mask == 0 ? 0 : UInt32(mask.trailingZeroBitCount)
        maximum = mask >> shift
    }

    @inline(__always) func value(_ pixel: UInt32) -> UInt8 {
        guard maximum > 0 else { return 0 }
        let raw = UInt64((pixel & mask) >> shift)
        return UInt8((raw * 255 + UInt64(maximum) / 2) / UInt64(maximum))
    }
}

private struct Reader {
    let bytes: [UInt8]
    let options: ImageDecodingOptions

    func u16(_ at: Int) throws -> UInt32 {
        guard at >= 0, at + 2 <= bytes.count else { throw BMPFailure.corrupt("the header is truncated") }
        return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8
    }

    func u32(_ at: Int) throws -> UInt32 {
        guard at >= 0, at + 4 <= bytes.count else { throw BMPFailure.corrupt("the header is truncated") }
        return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    func decode(path: String) throws -> RGBImage {
        guard bytes.count >= 18, bytes[0] == 0x42, bytes[1] == 0x4D else {
            throw BMPFailure.corrupt("the file header is truncated")
        }
        let pixelOffset = Int(try u32(10))
        let headerSize = Int(try u32(14))
        let width: Int, signedHeight: Int, planes: UInt32, bitCount: Int
        var compression: UInt32 = 0
        var coloursUsed = 0
        var isOS2 = false
        switch headerSize {
        case 12:
            isOS2 = true
            width = Int(try u16(18))
            signedHeight = Int(try u16(20))
            planes = try u16(22)
            bitCount = Int(try u16(24))
        case 16, 40, 52, 56, 64, 108, 124:
            isOS2 = headerSize == 16 || headerSize == 64
            width = Int(Int32(bitPattern: try u32(18)))
            signedHeight = Int(Int32(bitPattern: try u32(22)))
            planes = try u16(26)
            bitCount = Int(try u16(28))
            if headerSize >= 40 {
                compression = try u32(30)
                coloursUsed = Int(try u32(46))
            }
        default:
            throw BMPFailure.corrupt("unknown header size \(headerSize)")
        }
        guard planes == 1 else { throw BMPFailure.corrupt("\(planes) planes (must be 1)") }
        guard width > 0 else { throw BMPFailure.corrupt("width \(width) (must be positive)") }
        guard signedHeight != 0, signedHeight != Int(Int32.min) else { throw BMPFailure.corrupt("height \(signedHeight)") }
        let topDown = signedHeight < 0
        let height = abs(signedHeight)

        // The limit first: nothing below allocates more than the header's size.
        let (declaredPixels, overflows) = width.multipliedReportingOverflow(by: height)
        guard !overflows, declaredPixels <= options.maximumPixelCount else {
            throw BMPFailure.tooLarge(width: width, height: height)
        }

        enum Layout { case rgb, rle8, rle4, bitfields, embedded(ImageFormat) }
        let layout: Layout
        switch compression {
        case 0: layout = .rgb
        case 1: layout = .rle8
        case 2: layout = .rle4
        case 3 where isOS2: throw BMPFailure.unsupported("OS/2 Huffman 1D compression")
        case 3, 6: layout = .bitfields
        case 4 where isOS2: throw BMPFailure.unsupported("OS/2 RLE24 compression")
        case 4: layout = .embedded(.jpeg)
        case 5: layout = .embedded(.png)
        default: throw BMPFailure.corrupt("unknown compression \(compression)")
        }

        if case .embedded(let format) = layout {
            return try decodeEmbedded(format, at: pixelOffset, width: width, height: height, path: path)
        }
        switch layout {
        case .rgb: guard [1, 2, 4, 8, 16, 24, 32].contains(bitCount) else { throw BMPFailure.corrupt("bit count \(bitCount)") }
        case .rle8: guard bitCount == 8 else { throw BMPFailure.corrupt("RLE8 with bit count \(bitCount)") }
        case .rle4: guard bitCount == 4 else { throw BMPFailure.corrupt("RLE4 with bit count \(bitCount)") }
        case .bitfields: guard bitCount == 16 || bitCount == 32 else { throw BMPFailure.corrupt("bit fields with bit count \(bitCount)") }
        case .embedded: break
        }
        let isRLE: Bool
        switch layout {
        case .rle8, .rle4: isRLE = true
        default: isRLE = false
        }
        if isRLE && topDown { throw BMPFailure.corrupt("RLE compression in a top-down bitmap") }

        // Masks: after a 40-byte header for BI_BITFIELDS (3) and
        // BI_ALPHABITFIELDS (4), inside the larger headers.
        var masksEnd = 14 + headerSize
        var red = Channel(mask: 0), green = Channel(mask: 0), blue = Channel(mask: 0), alpha = Channel(mask: 0)
        if case .bitfields = layout {
            let masksAt: Int
            if headerSize == 40 {
                masksAt = 54
                masksEnd = 54 + (compression == 6 ? 16 : 12)
            } else {
                masksAt = 54
            }
            red = Channel(mask: try u32(masksAt))
            green = Channel(mask: try u32(masksAt + 4))
            blue = Channel(mask: try u32(masksAt + 8))
            if compression == 6 || headerSize >= 56 {
                alpha = Channel(mask: try u32(masksAt + 12))
            }
        } else if bitCount == 16 {
            (red, green, blue) = (Channel(mask: 0x7C00), Channel(mask: 0x03E0), Channel(mask: 0x001F))
        } else if bitCount == 32 {
            (red, green, blue) = (Channel(mask: 0xFF_0000), Channel(mask: 0xFF00), Channel(mask: 0xFF))
        }

        // The palette: `coloursUsed` entries (all 2^bits when 0), at most
        // what fits before the pixels, of which the first 2^bits are used.
        var palette: [(UInt8, UInt8, UInt8)] = []
        if bitCount <= 8 {
            let entrySize = headerSize == 12 ? 3 : 4
            let full = 1 << bitCount
            var count = coloursUsed == 0 ? full : coloursUsed
            guard count >= 0, count <= bytes.count / entrySize, masksEnd + count * entrySize <= bytes.count else {
                throw BMPFailure.corrupt("a palette of \(coloursUsed) colours runs past the end of the file")
            }
            if pixelOffset > masksEnd, pixelOffset < masksEnd + count * entrySize {
                count = (pixelOffset - masksEnd) / entrySize  // a short palette (OS/2 files)
            }
            for index in 0..<min(count, full) {
                let at = masksEnd + index * entrySize
                palette.append((bytes[at + 2], bytes[at + 1], bytes[at]))
            }
        }
        let lookup: [(UInt8, UInt8, UInt8)] = bitCount <= 8
            ? palette + Array(repeating: (0, 0, 0), count: (1 << bitCount) - palette.count) : []

        guard pixelOffset >= 14 + min(headerSize, 16), pixelOffset <= bytes.count else {
            throw BMPFailure.corrupt("the pixel data offset \(pixelOffset) is outside the file")
        }

        if !isRLE && (bitCount == 24 || bitCount <= 8) {
            return try opaqueRows(from: pixelOffset, width: width, height: height, bitCount: bitCount, topDown: topDown, palette: lookup)
        }
        let pixelCount = width * height
        var rgba = [UInt8](repeating: 0, count: pixelCount * 4)
        var hasAlpha = false
        if isRLE {
            let isRLE8: Bool
            if case .rle8 = layout { isRLE8 = true } else { isRLE8 = false }
            try decodeRLE(isRLE8 ? 8 : 4, from: pixelOffset, width: width, height: height, palette: lookup, into: &rgba)
            hasAlpha = true  // skipped pixels stay transparent
        } else {
            let stride = (width * bitCount + 31) / 32 * 4
            let lastRowBytes = (width * bitCount + 7) / 8
            guard (bytes.count - pixelOffset) >= stride * (height - 1) + lastRowBytes else {
                throw BMPFailure.corrupt("the pixel data is truncated (\(bytes.count - pixelOffset) bytes for \(height) rows of \(stride))")
            }
            var anyAlpha = false
            bytes.withUnsafeBufferPointer { source in
                rgba.withUnsafeMutableBufferPointer { target in
                    for row in 0..<height {
                        let y = topDown ? row : height - 1 - row
                        let rowStart = pixelOffset + row * stride
                        var out = y * width * 4
                        for x in 0..<width {
                            var r: UInt8 = 0, g: UInt8 = 0, b: UInt8 = 0, a: UInt8 = 255
                            // 16 or 32 bits through their masks (the other
                            // uncompressed layouts took `opaqueRows`).
                            switch bitCount {
                            case 16:
                                let at = rowStart + x * 2
                                let pixel = UInt32(source[at]) | UInt32(source[at + 1]) << 8
                                (r, g, b) = (red.value(pixel), green.value(pixel), blue.value(pixel))
                                if alpha.maximum > 0 { a = alpha.value(pixel); anyAlpha = anyAlpha || a != 0 }
                            default:  // 32
                                let at = rowStart + x * 4
                                let pixel = UInt32(source[at]) | UInt32(source[at + 1]) << 8
                                    | UInt32(source[at + 2]) << 16 | UInt32(source[at + 3]) << 24
                                (r, g, b) = (red.value(pixel), green.value(pixel), blue.value(pixel))
                                if alpha.maximum > 0 { a = alpha.value(pixel); anyAlpha = anyAlpha || a != 0 }
                            }
                            target[out] = r
                            target[out + 1] = g
                            target[out + 2] = b
                            target[out + 3] = a
                            out += 4
                        }
                    }
                }
            }
            hasAlpha = anyAlpha
        }

        let background = [options.background.red, options.background.green, options.background.blue]
        var rgb = [UInt8](repeating: 0, count: pixelCount * 3)
        rgba.withUnsafeBufferPointer { source in
            rgb.withUnsafeMutableBufferPointer { target in
                if !hasAlpha {
                    for i in 0..<pixelCount {
                        target[3 &* i] = source[4 &* i]
                        target[3 &* i &+ 1] = source[4 &* i &+ 1]
                        target[3 &* i &+ 2] = source[4 &* i &+ 2]
                    }
                    return
                }
                for i in 0..<pixelCount {
                    let a = UInt32(source[4 * i + 3])
                    for c in 0..<3 {
                        let value = UInt32(source[4 * i + c]) * a + UInt32(background[c]) * (255 - a) + 127
                        target[3 * i + c] = UInt8(value / 255)
                    }
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: rgb)
    }

    /// Uncompressed rows that carry no alpha (24 bits, or palette indices),
    /// straight into RGB: the common BMP needs neither the RGBA buffer nor
    /// the compositing pass of the other layouts, and each row is one loop
    /// of its own bit count (no per-pixel switch), which the compiler can
    /// keep tight.
    func opaqueRows(from pixelOffset: Int, width: Int, height: Int, bitCount: Int, topDown: Bool,
                    palette: [(UInt8, UInt8, UInt8)]) throws -> RGBImage {
        let stride = (width * bitCount + 31) / 32 * 4
        let lastRowBytes = (width * bitCount + 7) / 8
        guard (bytes.count - pixelOffset) >= stride * (height - 1) + lastRowBytes else {
            throw BMPFailure.corrupt("the pixel data is truncated (\(bytes.count - pixelOffset) bytes for \(height) rows of \(stride))")
        }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        bytes.withUnsafeBufferPointer { source in
            rgb.withUnsafeMutableBufferPointer { target in
                for row in 0..<height {
                    let y = topDown ? row : height - 1 - row
                    let rowStart = pixelOffset &+ row &* stride
                    var out = y &* width &* 3
                    if bitCount == 24 {
                        for x in 0..<width {
                            let at = rowStart &+ x &* 3
                            target[out] = source[at &+ 2]
                            target[out &+ 1] = source[at &+ 1]
                            target[out &+ 2] = source[at]
                            out &+= 3
                        }
                    } else {
                        let mask = (1 << bitCount) - 1
                        let perByte = 8 / bitCount
                        for x in 0..<width {
                            let byte = Int(source[rowStart &+ x / perByte])
                            let index = (byte >> (8 - bitCount - (x % perByte) * bitCount)) & mask
                            let (r, g, b) = palette[index]
                            target[out] = r
                            target[out &+ 1] = g
                            target[out &+ 2] = b
                            out &+= 3
                        }
                    }
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: rgb)
    }

    /// RLE8 or RLE4 into `rgba`, bottom-up. Pixels never written keep alpha 0.
    func decodeRLE(
        _ bits: Int, from start: Int, width: Int, height: Int,
        palette: [(UInt8, UInt8, UInt8)], into rgba: inout [UInt8]
    ) throws {
        var at = start, x = 0, y = 0
        func put(_ index: Int) {
            guard x < width else { x += 1; return }  // past the row's end: dropped, as Pillow does
            let (r, g, b) = palette[index]
            let out = ((height - 1 - y) * width + x) * 4
            rgba[out] = r
            rgba[out + 1] = g
            rgba[out + 2] = b
            rgba[out + 3] = 255
            x += 1
        }
        while true {
            guard at + 2 <= bytes.count else {
                if y >= height - 1 { return }  // only the end-of-bitmap marker is missing
                throw BMPFailure.corrupt("the RLE data is truncated")
            }
            let count = Int(bytes[at]), value = Int(bytes[at + 1])
            at += 2
            if count > 0 {
                guard y < height else { throw BMPFailure.corrupt("the RLE data writes past the last row") }
                for i in 0..<count {
                    put(bits == 8 ? value : (i % 2 == 0 ? value >> 4 : value & 0x0F))
                }
                continue
            }
            switch value {
            case 0:  // end of line
                x = 0
                y += 1
            case 1:  // end of bitmap
                return
            case 2:  // delta
                guard at + 2 <= bytes.count else { throw BMPFailure.corrupt("the RLE data is truncated") }
                x += Int(bytes[at])
                y += Int(bytes[at + 1])
                at += 2
                if y > height || (y == height && x > 0) {
                    throw BMPFailure.corrupt("an RLE delta moves past the last row")
                }
            default:  // a literal run of `value` pixels, padded to 16 bits
                let length = bits == 8 ? value : (value + 1) / 2
                guard at + length <= bytes.count else { throw BMPFailure.corrupt("the RLE data is truncated") }
                guard y < height else { throw BMPFailure.corrupt("the RLE data writes past the last row") }
                for i in 0..<value {
                    let byte = Int(bytes[at + (bits == 8 ? i : i / 2)])
                    put(bits == 8 ? byte : (i % 2 == 0 ? byte >> 4 : byte & 0x0F))
                }
                at += length + (length & 1)
            }
        }
    }

    /// BI_JPEG / BI_PNG: the pixel data is a whole JPEG or PNG file.
    func decodeEmbedded(_ format: ImageFormat, at offset: Int, width: Int, height: Int, path: String) throws -> RGBImage {
        guard offset >= 0, offset < bytes.count else { throw BMPFailure.corrupt("the embedded image is outside the file") }
        let embedded = Array(bytes[offset...])
        guard ImageFormat(signatureOf: embedded) == format else {
            throw BMPFailure.corrupt("the embedded \(format == .jpeg ? "JPEG" : "PNG") has no \(format == .jpeg ? "JPEG" : "PNG") signature")
        }
        var inner = options
        inner.minimumDecodedSide = 0
        do {
            switch format {
            case .jpeg: return try JPEGDecoder.decode(embedded, path: path, options: inner).image
            default: return try PNGDecoder.decode(embedded, path: path, options: inner)
            }
        } catch {
            throw BMPFailure.embedded(error)
        }
    }
}
