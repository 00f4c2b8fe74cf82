import CImgSearchTestEncoders
import ImgSearchImaging

extension FormatWriters {
    /// The two codecs libheif may encode with.
    public enum HEIFCodec: Sendable, CaseIterable, CustomStringConvertible {
        /// HEVC: a HEIC file (the iPhone's).
        case hevc
        /// AV1: an AVIF file.
        case av1

        public var description: String { self == .hevc ? "HEIC" : "AVIF" }
        var isAV1: Int32 { self == .av1 ? 1 : 0 }
    }

    /// Whether the system libheif has an encoder for `codec`, asked at run
    /// time: tests of the written files skip the codec otherwise.
    public static func canEncodeHEIF(_ codec: HEIFCodec) -> Bool {
        imgsearch_test_heif_can_encode(codec.isAV1) != 0
    }

    /// A lossy HEIC or AVIF of `image` at libheif's `quality` (0-100), with
    /// its default 4:2:0 chroma subsampling, as phones write them.
    public static func heif(_ image: RGBImage, codec: HEIFCodec, quality: Int = 90) throws -> [UInt8] {
        var size = 0
        let written = image.pixels.withUnsafeBufferPointer {
            imgsearch_test_write_heif($0.baseAddress, Int32(image.width), Int32(image.height), codec.isAV1, Int32(quality), &size)
        }
        return try take(written, size, format: codec.description)
    }
}
