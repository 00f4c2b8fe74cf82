/// The model's view of a picture: the whole image area-averaged to a small
/// square of RGB values in [0, 1].
///
/// Layout: channel-planar, as in CIFAR-10's binary format: all red values,
/// then all green, then all blue; within a plane row-major. The value of
/// channel `c` at column `x`, row `y` is `values[c * side * side + y * side + x]`.
/// At the default side of 32 that is 3072 values.
///
/// The aspect ratio is not kept: the picture is squashed to a square, not
/// cropped, so every part of it reaches the model (a crop would drop the
/// edges, where a near-duplicate may differ from its original). The
/// training data, CIFAR-10, is square already, so it sees no distortion.
public struct Thumbnail: Sendable, Equatable {
    /// The default side length, the input size of the default model.
    public static let defaultSide = 32

    /// Width and height in pixels.
    public let side: Int
    /// `3 * side * side` values in [0, 1], channel-planar (see the type's summary).
    public var values: [Float]

    /// Wraps values already in the thumbnail layout.
    public init(side: Int, values: [Float]) {
        precondition(values.count == 3 * side * side, "a thumbnail holds 3 * side * side values")
        self.side = side
        self.values = values
    }

    /// Area-averages (box-filters) `image` to `side` x `side`.
    ///
    /// Separable: each row is first resampled horizontally, then each
    /// column vertically, with weights from ``AreaResampling``.
    public init(of image: RGBImage, side: Int = Thumbnail.defaultSide) {
        precondition(side > 0)
        if image.width == side && image.height == side {
            // Already the thumbnail's size (all of CIFAR-10): every weight is
            // 1, so the averages are the pixels, and this gives the general
            // path's values bit for bit, at a fraction of its cost (a
            // measurable share of indexing CIFAR-10, docs/benchmarks.md).
            let plane = side * side
            let values = [Float](unsafeUninitializedCapacity: 3 * plane) { values, initialized in
                image.pixels.withUnsafeBufferPointer { pixels in
                    for at in 0..<plane {
                        values[at] = min(1, Float(pixels[3 * at]) / 255)
                        values[plane + at] = min(1, Float(pixels[3 * at + 1]) / 255)
                        values[2 * plane + at] = min(1, Float(pixels[3 * at + 2]) / 255)
                    }
                }
                initialized = 3 * plane
            }
            self.init(side: side, values: values)
            return
        }
        let horizontal = AreaResampling(sourceLength: image.width, targetLength: side)
        let vertical = AreaResampling(sourceLength: image.height, targetLength: side)

        // Rows resampled to `side` columns: (height, side, 3), interleaved.
        // The loops read through buffer pointers (an array subscript checks
        // its bounds on every read, in the innermost loop of every
        // thumbnail of a non-JPEG photo); the sums are made in the same
        // order as before, so the values are the same to the bit.
        var rows = [Float](repeating: 0, count: image.height * side * 3)
        image.pixels.withUnsafeBufferPointer { pixels in
            rows.withUnsafeMutableBufferPointer { rows in
                horizontal.weights.withUnsafeBufferPointer { weights in
                    for y in 0..<image.height {
                        let sourceRow = y &* image.width &* 3
                        for x in 0..<side {
                            var red: Float = 0, green: Float = 0, blue: Float = 0
                            let base = horizontal.offset[x], start = horizontal.first[x]
                            for j in 0..<horizontal.count[x] {
                                let weight = weights[base &+ j]
                                let at = sourceRow &+ (start &+ j) &* 3
                                red += weight * Float(pixels[at])
                                green += weight * Float(pixels[at &+ 1])
                                blue += weight * Float(pixels[at &+ 2])
                            }
                            let to = (y &* side &+ x) &* 3
                            rows[to] = red
                            rows[to &+ 1] = green
                            rows[to &+ 2] = blue
                        }
                    }
                }
            }
        }

        var values = [Float](repeating: 0, count: 3 * side * side)
        let plane = side * side
        rows.withUnsafeBufferPointer { rows in
            values.withUnsafeMutableBufferPointer { values in
                vertical.weights.withUnsafeBufferPointer { weights in
                    for y in 0..<side {
                        let base = vertical.offset[y], start = vertical.first[y]
                        for x in 0..<side {
                            var sums: (Float, Float, Float) = (0, 0, 0)
                            for j in 0..<vertical.count[y] {
                                let weight = weights[base &+ j]
                                let at = ((start &+ j) &* side &+ x) &* 3
                                sums.0 += weight * rows[at]
                                sums.1 += weight * rows[at &+ 1]
                                sums.2 += weight * rows[at &+ 2]
                            }
                            let at = y &* side &+ x
                            values[at] = min(1, sums.0 / 255)
                            values[plane &+ at] = min(1, sums.1 / 255)
                            values[2 &* plane &+ at] = min(1, sums.2 / 255)
                        }
                    }
                }
            }
        }
        self.init(side: side, values: values)
    }

    /// The thumbnail as 8-bit pixels (values rounded to the nearest of 0...255),
    /// for writing it out as a picture a person can look at.
    public var rgbImage: RGBImage {
        let plane = side * side
        var pixels = [UInt8](repeating: 0, count: plane * 3)
        for at in 0..<plane {
            for channel in 0..<3 {
                let value = values[channel * plane + at]
                pixels[at * 3 + channel] = UInt8(max(0, min(255, (value * 255).rounded())))
            }
        }
        return RGBImage(width: side, height: side, pixels: pixels)
    }
}
