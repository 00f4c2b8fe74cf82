/// Why ``PNGEncoder/encode(_:)`` could not write an image.
///
/// The description names the image size and the cause, for instance
/// `cannot encode a 3000000000x1 image as PNG: a side is over PNG's limit of 2^31 - 1 pixels`.
public struct PNGEncodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Equatable {
        /// libpng refused the image (the message is libpng's own), or a side
        /// is over the PNG format's limit of 2^31 - 1 pixels.
        case refused(String)
        /// Memory for the growing output buffer could not be allocated.
        case outOfMemory
    }

    /// Width of the image that could not be encoded, in pixels.
    public let width: Int
    /// Height of the image that could not be encoded, in pixels.
    public let height: Int
    /// What went wrong.
    public let reason: Reason

    /// Creates an error for a `width` x `height` image.
    public init(width: Int, height: Int, reason: Reason) {
        self.width = width
        self.height = height
        self.reason = reason
    }

    /// `cannot encode a <width>x<height> image as PNG: <cause>`.
    public var description: String {
        let cause: String
        switch reason {
        case .refused(let message): cause = message
        case .outOfMemory: cause = "out of memory"
        }
        return "cannot encode a \(width)x\(height) image as PNG: \(cause)"
    }
}
