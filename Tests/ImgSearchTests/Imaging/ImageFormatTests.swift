import Testing
@testable import ImgSearch

@Suite struct ImageFormatTests {
    @Test func recognizesJPEGBySignature() {
        #expect(ImageFormat(signatureOf: [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]) == .jpeg)
    }

    @Test func recognizesPNGBySignature() {
        #expect(ImageFormat(signatureOf: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
    }

    static let otherSignatures: [([UInt8], ImageFormat)] = [
        (Array("RIFF\u{10}\0\0\0WEBPVP8 ".utf8), .webp),
        (Array("GIF87a\u{1}\0".utf8), .gif),
        (Array("GIF89a".utf8), .gif),
        ([0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0], .tiff),
        ([0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8], .tiff),
        ([0x49, 0x49, 0x2B, 0x00, 8, 0, 0, 0], .tiff),  // BigTIFF
        ([0x4D, 0x4D, 0x00, 0x2B], .tiff),
        ([0x42, 0x4D, 0x36, 0, 0, 0], .bmp),
        ([0, 0, 0, 0x18] + Array("ftypheic\0\0\0\0mif1heic".utf8), .heif),
        ([0, 0, 0, 0x18] + Array("ftypmif1\0\0\0\0mif1miaf".utf8), .heif),
        ([0, 0, 0, 0x1C] + Array("ftypavif\0\0\0\0avifmif1miaf".utf8), .avif),
        ([0, 0, 0, 0x18] + Array("ftypmif1\0\0\0\0mif1avif".utf8), .avif),  // AV1 among the compatible brands
    ]

    @Test(arguments: otherSignatures)
    func recognizesTheOtherFormatsBySignature(bytes: [UInt8], format: ImageFormat) {
        #expect(ImageFormat(signatureOf: bytes) == format)
    }

    @Test(arguments: [
        [UInt8](),
        [0xFF, 0xD8],
        Array("GIF8".utf8),
        Array("GIF88a".utf8),
        Array("RIFF\u{10}\0\0\0WAVE".utf8),
        Array("RIFF".utf8),
        [0x49, 0x49, 0x2A],
        [0x49, 0x4D, 0x00, 0x2A],
        [0x42],
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A],
        Array("<html>".utf8),
        [0, 0, 0, 0x18] + Array("ftypisom\0\0\0\0isomiso2".utf8),  // an MP4 video
    ])
    func refusesEverythingElse(bytes: [UInt8]) {
        #expect(ImageFormat(signatureOf: bytes) == nil)
    }
}
