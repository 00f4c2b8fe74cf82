/// The EXIF Orientation tag (0x0112): how the stored pixels must be turned
/// to show the picture upright. Raw values are those of the EXIF standard.
public enum ExifOrientation: Int, Sendable, CaseIterable {
    /// Stored upright.
    case up = 1
    /// Mirrored left to right.
    case upMirrored = 2
    /// Upside down.
    case down = 3
    /// Mirrored top to bottom.
    case downMirrored = 4
    /// Mirrored along the main diagonal (transposed).
    case leftMirrored = 5
    /// Must be rotated 90 degrees clockwise to be upright.
    case right = 6
    /// Mirrored along the anti-diagonal (transversed).
    case rightMirrored = 7
    /// Must be rotated 90 degrees counter-clockwise to be upright.
    case left = 8

    /// Whether applying the orientation swaps width and height.
    public var swapsSides: Bool { rawValue >= 5 }
}

extension ExifOrientation {
    /// The orientation recorded in a JPEG's APP1 Exif segment, or `.up` when
    /// there is none or it is out of range (0 and 9+ occur in the wild).
    ///
    /// Walks the marker segments up to the first scan; every read is bounds
    /// checked, so a damaged segment simply yields `.up`.
    package static func ofJPEG(_ bytes: [UInt8]) -> ExifOrientation {
        var offset = 2  // after SOI
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF else { return .up }
            let marker = bytes[offset + 1]
            if marker == 0xFF { offset += 1; continue }  // fill byte
            if marker == 0xDA || marker == 0xD9 { return .up }  // start of scan, end of image
            if (0xD0...0xD7).contains(marker) || marker == 0x01 { offset += 2; continue }  // no length
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= bytes.count else { return .up }
            let payload = offset + 4
            if marker == 0xE1, length >= 8,
               bytes[payload..<payload + 6].elementsEqual([0x45, 0x78, 0x69, 0x66, 0, 0]) {  // "Exif\0\0"
                let tiff = bytes[(payload + 6)..<(offset + 2 + length)]
                return orientation(inTIFF: Array(tiff)) ?? .up
            }
            offset += 2 + length
        }
        return .up
    }

    /// Reads tag 0x0112 from IFD0 of a TIFF structure (the body of an Exif segment).
    package static func orientation(inTIFF tiff: [UInt8]) -> ExifOrientation? {
        guard tiff.count >= 8 else { return nil }
        let littleEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): littleEndian = true  // "II"
        case (0x4D, 0x4D): littleEndian = false  // "MM"
        default: return nil
        }
        func read16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            return littleEndian ? Int(tiff[at]) | Int(tiff[at + 1]) << 8 : Int(tiff[at]) << 8 | Int(tiff[at + 1])
        }
        func read32(_ at: Int) -> Int? {
            guard let low = read16(littleEndian ? at : at + 2), let high = read16(littleEndian ? at + 2 : at) else { return nil }
            return high << 16 | low
        }
        guard read16(2) == 42, let ifd = read32(4), let entryCount = read16(ifd) else { return nil }
        for entry in 0..<min(entryCount, 1000) {
            let at = ifd + 2 + entry * 12
            guard let tag = read16(at) else { return nil }
            guard tag == 0x0112 else { continue }
            guard read16(at + 2) == 3, let value = read16(at + 8) else { return nil }  // type SHORT
            return ExifOrientation(rawValue: value)
        }
        return nil
    }
}

extension ExifOrientation {
    /// The orientation in a WebP file's `EXIF` chunk, or `.up` when there is
    /// none or it cannot be read.
    ///
    /// Walks the RIFF chunks after the 12-byte `RIFF....WEBP` header; each
    /// chunk is a four-byte tag, a little-endian length and the payload,
    /// padded to an even length. The payload is a TIFF structure, which some
    /// writers prefix with JPEG's `Exif\0\0`.
    package static func ofWebP(_ bytes: [UInt8]) -> ExifOrientation {
        var offset = 12
        while offset + 8 <= bytes.count {
            let tag = bytes[offset..<(offset + 4)]
            let length = Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8
                | Int(bytes[offset + 6]) << 16 | Int(bytes[offset + 7]) << 24
            let payload = offset + 8
            guard length >= 0, length <= bytes.count - payload else { return .up }
            if tag.elementsEqual("EXIF".utf8) {
                var body = Array(bytes[payload..<(payload + length)])
                if body.starts(with: [0x45, 0x78, 0x69, 0x66, 0, 0]) { body.removeFirst(6) }
                return orientation(inTIFF: body) ?? .up
            }
            offset = payload + length + (length & 1)
        }
        return .up
    }
}
