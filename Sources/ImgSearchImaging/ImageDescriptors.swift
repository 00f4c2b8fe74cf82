/// The classic global descriptors of one picture, which `imgsearch eval`
/// measures the semantic hash beside: the 8x4x4 HSV colour histogram and
/// the 64-bit pHash and dHash.
///
/// Made by ``ThumbnailLoader`` from the decoded picture, before its pixels
/// are dropped, when ``ThumbnailLoader/descriptorSide`` asks for them; nil
/// otherwise, so indexing never pays for them.
public struct ImageDescriptors: Sendable, Equatable {
    /// HSV shares, 8 hue x 4 saturation x 4 value bins (L1 distance).
    public var colourHistogram: ColourHistogram
    /// ``PerceptualHash/pHash(of:)`` (Hamming distance).
    public var pHash: UInt64
    /// ``PerceptualHash/dHash(of:)`` (Hamming distance).
    public var dHash: UInt64

    /// The descriptors of `image`.
    public init(of image: RGBImage) {
        colourHistogram = ColourHistogram(of: image)
        pHash = PerceptualHash.pHash(of: image)
        dHash = PerceptualHash.dHash(of: image)
    }

    /// The side a loader decodes at least for descriptors (both sides,
    /// DCT-scaled): pHash and dHash look at 32x32 and 9x8 grids, and 128
    /// pixels give the histogram a few thousand pixels to count at a
    /// fraction of a photo's full decode.
    public static let defaultDecodedSide = 128
}
