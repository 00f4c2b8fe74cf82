import ImgSearchImaging

extension FormatWriters {
    /// Levels per channel of ``quantizedGIF(_:)``'s palette: 6 x 7 x 6 = 252
    /// colours of the 256 a GIF holds, green finest as the eye is most
    /// sensitive to it.
    public static let gifLevels = (red: 6, green: 7, blue: 6)

    /// A one-frame GIF of `image` on a fixed uniform palette, each pixel
    /// mapped to the nearest level of each channel (no dithering, so the
    /// error is at most half a step: 25.5 for red and blue, 21.25 for green).
    /// What it measures, against a PNG of the same picture, is the GIF path
    /// plus this quantization, not a photo editor's adaptive palette.
    public static func quantizedGIF(_ image: RGBImage) throws -> [UInt8] {
        let levels = [gifLevels.red, gifLevels.green, gifLevels.blue]
        func level(_ value: UInt8, _ count: Int) -> Int {
            (Int(value) * (count - 1) + 127) / 255
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
            let red = level(image.pixels[pixel * 3], levels[0])
            let green = level(image.pixels[pixel * 3 + 1], levels[1])
            let blue = level(image.pixels[pixel * 3 + 2], levels[2])
            indices[pixel] = UInt8((red * levels[1] + green) * levels[2] + blue)
        }
        return try gif(width: image.width, height: image.height, palette: palette,
                       frames: [GIFFrame(indices: indices, width: image.width, height: image.height)])
    }
}
