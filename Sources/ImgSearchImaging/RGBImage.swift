/// A decoded picture: 8-bit RGB, interleaved, row-major, no padding.
///
/// Every decoder (JPEG, PNG) produces one of these, so orientation and the
/// thumbnail see a single pixel layout.
public struct RGBImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `height * width * 3` bytes: row `y`, column `x`, channel `c` (0 red,
    /// 1 green, 2 blue) is at `(y * width + x) * 3 + c`.
    public var pixels: [UInt8]

    /// Wraps `pixels`, which must hold exactly `width * height * 3` bytes.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "an image has at least one pixel")
        precondition(pixels.count == width * height * 3, "pixels must hold width * height * 3 bytes")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The red, green and blue values of the pixel at column `x`, row `y`.
    public subscript(x x: Int, y y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        let offset = (y * width + x) * 3
        return (pixels[offset], pixels[offset + 1], pixels[offset + 2])
    }
}
