/// Settings shared by every image decoder.
public struct ImageDecodingOptions: Sendable, Equatable {
    /// Images whose header declares more pixels than this are refused before
    /// anything is allocated for them. Default 100 megapixels.
    public var maximumPixelCount: Int
    /// The decoder may shrink the picture while decoding (JPEG's DCT-domain
    /// scaling) as long as both sides stay at least this long. Default 32,
    /// the thumbnail size; 0 asks for full resolution.
    public var minimumDecodedSide: Int
    /// Whether a libjpeg warning about damaged data ("Premature end of JPEG
    /// file", "Corrupt JPEG data: bad Huffman code", ...) fails the decode.
    /// Default `true`: a truncated file is reported, not indexed as a
    /// half-grey picture.
    public var treatsDataWarningsAsErrors: Bool
    /// Whether a progressive JPEG that is decoded at 1/8 scale reads only its
    /// DC scans (libjpeg's buffered-image mode). At 1/8 scale each output
    /// pixel is one block's DC coefficient, so the AC scans, most of the
    /// file, add nothing visible. Default `true`; see docs/decoding.md.
    public var decodesProgressiveDCOnly: Bool
    /// The colour that transparent pixels are composited over. Default white.
    public var background: (red: UInt8, green: UInt8, blue: UInt8)

    /// The defaults described on each property.
    public init(
        maximumPixelCount: Int = 100_000_000,
        minimumDecodedSide: Int = 32,
        treatsDataWarningsAsErrors: Bool = true,
        decodesProgressiveDCOnly: Bool = true,
        background: (red: UInt8, green: UInt8, blue: UInt8) = (255, 255, 255)
    ) {
        self.maximumPixelCount = maximumPixelCount
        self.minimumDecodedSide = minimumDecodedSide
        self.treatsDataWarningsAsErrors = treatsDataWarningsAsErrors
        self.decodesProgressiveDCOnly = decodesProgressiveDCOnly
        self.background = background
    }

    public static func == (lhs: ImageDecodingOptions, rhs: ImageDecodingOptions) -> Bool {
        lhs.maximumPixelCount == rhs.maximumPixelCount
            && lhs.minimumDecodedSide == rhs.minimumDecodedSide
            && lhs.treatsDataWarningsAsErrors == rhs.treatsDataWarningsAsErrors
            && lhs.decodesProgressiveDCOnly == rhs.decodesProgressiveDCOnly
            && lhs.background == rhs.background
    }
}
