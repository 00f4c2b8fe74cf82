/// The image formats imgsearch decodes, recognized by their first bytes.
public enum ImageFormat: String, Sendable, CaseIterable {
    case jpeg
    case png
    case webp
    case gif
    case tiff
    case bmp
    /// HEIF with HEVC (HEIC: iPhones since 2017) or another codec.
    case heif
    /// AV1 in HEIF.
    case avif

    /// The format whose signature starts `bytes`, or `nil` for anything else.
    ///
    /// - JPEG: the SOI marker `FF D8` followed by the `FF` of the next marker.
    /// - PNG: the eight-byte signature `89 50 4E 47 0D 0A 1A 0A`.
    /// - WebP: `RIFF`, four bytes of length, `WEBP`.
    /// - GIF: `GIF87a` or `GIF89a`.
    /// - TIFF: `II*\0` or `MM\0*` (classic), `II+\0` or `MM\0+` (BigTIFF).
    /// - BMP: `BM` (the Windows and OS/2 bitmap file header).
    /// - HEIF and AVIF: an ISO base media `ftyp` box first whose major or
    ///   compatible brands name them (`heic`, `heix`, `mif1`, ... and
    ///   `avif`, `avis`); AVIF when an AV1 brand is among them.
    ///
    /// The file name plays no part: a PNG called `photo.jpg` is a PNG.
    public init?<Bytes: Collection<UInt8>>(signatureOf bytes: Bytes) {
        let head = Array(bytes.prefix(64))
        func starts(with prefix: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + prefix.count && head[offset..<(offset + prefix.count)].elementsEqual(prefix)
        }
        if head.count >= 3, head[0] == 0xFF, head[1] == 0xD8, head[2] == 0xFF {
            self = .jpeg
        } else if starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if starts(with: Array("RIFF".utf8)), starts(with: Array("WEBP".utf8), at: 8) {
            self = .webp
        } else if starts(with: Array("GIF87a".utf8)) || starts(with: Array("GIF89a".utf8)) {
            self = .gif
        } else if starts(with: [0x49, 0x49, 0x2A, 0x00]) || starts(with: [0x4D, 0x4D, 0x00, 0x2A])
                    || starts(with: [0x49, 0x49, 0x2B, 0x00]) || starts(with: [0x4D, 0x4D, 0x00, 0x2B]) {
            self = .tiff
        } else if starts(with: [0x42, 0x4D]) {
            self = .bmp
        } else if let format = Self.heifFamily(head) {
            self = format
        } else {
            return nil
        }
    }

    /// The names used in messages and documentation, in this order.
    public static let supportedNames = "JPEG, PNG, WebP, GIF, TIFF, BMP, HEIC or AVIF"

    /// `.heif` or `.avif` from the `ftyp` box at the start of `head`.
    private static func heifFamily(_ head: [UInt8]) -> ImageFormat? {
        guard head.count >= 16, head[4..<8].elementsEqual("ftyp".utf8) else { return nil }
        let boxSize = Int(head[0]) << 24 | Int(head[1]) << 16 | Int(head[2]) << 8 | Int(head[3])
        let end = min(head.count, max(16, boxSize))
        var brands = [Array(head[8..<12])]
        var at = 16
        while at + 4 <= end {
            brands.append(Array(head[at..<(at + 4)]))
            at += 4
        }
        let names = Set(brands.map { String(decoding: $0, as: UTF8.self) })
        if !names.isDisjoint(with: ["avif", "avis"]) { return .avif }
        if !names.isDisjoint(with: ["heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "msf1"]) { return .heif }
        return nil
    }
}
