import Testing
@testable import ImgSearch

@Suite struct ImageFormatTests {
    @Test func recognizesJPEGBySignature() {
        #expect(ImageFormat(signatureOf: [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]) == .jpeg)
    }

    @Test func recognizesPNGBySignature() {
        #expect(ImageFormat(signatureOf: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
    }

    @Test(arguments: [
        [UInt8](),
        [0xFF, 0xD8],
        Array("GIF89a".utf8),
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A],
        Array("<html>".utf8),
    ])
    func refusesEverythingElse(bytes: [UInt8]) {
        #expect(ImageFormat(signatureOf: bytes) == nil)
    }
}
