import ImgSearchImaging

extension FormatWriters {
    /// Levels per channel of ``quantizedGIF(_:)``'s palette: 6 x 7 x 6 = 252
    /// colours of the 256 a GIF holds, green finest as the eye is most
    /// sensitive to it.
    public static let gifLevels = (red: 6, green: 7, blue: 6)

    /// A one-frame GIF of `image` on a fixed uniform palette, with 4 x 4
    /// ordered (Bayer) dithering: each pixel goes to a level within one
    /// step of its value, and the levels of a few pixels together average
    /// to the original colour, as a GIF encoder's dithering aims for. What
    /// it measures, against a PNG of the same picture, is the GIF path plus
    /// this quantization: a thumbnail averages the dither away, mostly.
    public static func quantizedGIF(_ image: RGBImage) throws -> [UInt8] {
        let levels = [gifLevels.red, gifLevels.green, gifLevels.blue]
        // Thresholds in (-0.5, 0.5) of a step, the classic 4 x 4 Bayer matrix.
        let bayer = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5]
        func level(_ value: UInt8, _ count: Int, _ pixel: Int) -> Int {
            let threshold = (Float(bayer[(pixel / image.width % 4) * 4 + pixel % image.width % 4]) + 0.5) / 16 - 0.5
            let scaled = Float(value) * Float(count - 1) / 255 + threshold
            return min(count - 1, max(0, Int(scaled.rounded())))
        }
        func value(_ level: Int, _ count: Int) -> UInt8 {
            UInt8((level * 255 + (count - 1) / 2) / (count - 1))
        }
        var palette: [(UInt8, UInt8, UInt8)] = []
        for red in 0..<levels[0] {
            for green in 0..<levels[1] {
                for blue in 0..<levels[2] {
                    palette.append((value(red, levels[0]), value(green, levels[1]), value(blue, levels[2])))
                }
            }
        }
        var indices = [UInt8](repeating: 0, count: image.width * image.height)
        for pixel in 0..<indices.count {
            let red = level(image.pixels[pixel * 3], levels[0], pixel)
            let green = level(image.pixels[pixel * 3 + 1], levels[1], pixel)
            let blue = level(image.pixels[pixel * 3 + 2], levels[2], pixel)
            indices[pixel] = UInt8((red * levels[1] + green) * levels[2] + blue)
        }
        return try gif(width: image.width, height: image.height, palette: palette,
                       frames: [GIFFrame(indices: indices, width: image.width, height: image.height)])
    }
}
