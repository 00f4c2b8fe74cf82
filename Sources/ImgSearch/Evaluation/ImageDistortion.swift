import ImgSearchCore
import ImgSearchImaging

/// The copies a near-duplicate search must see through: what happens to a
/// picture when it is re-saved, scaled down or passed through a noisy channel.
public enum ImageDistortion: String, CaseIterable, Sendable {
    /// Encoded again as JPEG at quality 50 and decoded.
    case jpegQuality50 = "jpeg-q50"
    /// Area-averaged to half its width and height (at least 1 pixel).
    case halfSize = "half-size"
    /// Gaussian noise of standard deviation ``noiseLevel`` added to every
    /// channel value, rounded and clamped to 0 ... 255.
    case noise

    /// The noise's standard deviation in 8-bit levels: 5 of 255 (2%), slight
    /// enough that a person sees the same picture.
    public static let noiseLevel: Float = 5

    /// The distorted copy of `image`; `seed` draws the noise.
    public func apply(to image: RGBImage, seed: UInt64) throws(ImageDecodingError) -> RGBImage {
        switch self {
        case .jpegQuality50:
            let bytes = try JPEGEncoder.encode(image, quality: 50)
            return try ImageDecoder.decode(bytes, path: "<re-encoded image>").image
        case .halfSize:
            return image.resized(width: max(1, image.width / 2), height: max(1, image.height / 2))
        case .noise:
            var generator = SplitMix64(seed: seed)
            var noisy = image
            for index in noisy.pixels.indices {
                let value = Float(noisy.pixels[index]) + Self.noiseLevel * generator.nextGaussian()
                noisy.pixels[index] = UInt8(max(0, min(255, value.rounded())))
            }
            return noisy
        }
    }
}
