/// A picture's colour histogram in HSV: the classic global colour
/// descriptor (Swain & Ballard's colour indexing), to measure imgsearch beside it.
///
/// 8 hue x 4 saturation x 4 value bins by default, each pixel counted in
/// one bin, the counts divided by the pixel count so that pictures of any
/// size compare; pictures are as alike as their histograms are near in L1
/// distance.
public struct ColourHistogram: Sendable, Equatable {
    /// Bins per axis.
    public let hueBins: Int, saturationBins: Int, valueBins: Int
    /// `hueBins * saturationBins * valueBins` shares summing to 1, hue
    /// slowest, value fastest.
    public let shares: [Float]

    /// The histogram of `image`'s pixels.
    public init(of image: RGBImage, hueBins: Int = 8, saturationBins: Int = 4, valueBins: Int = 4) {
        precondition(hueBins > 0 && saturationBins > 0 && valueBins > 0)
        self.hueBins = hueBins
        self.saturationBins = saturationBins
        self.valueBins = valueBins
        var counts = [Float](repeating: 0, count: hueBins * saturationBins * valueBins)
        for at in stride(from: 0, to: image.pixels.count, by: 3) {
            let red = Float(image.pixels[at]) / 255, green = Float(image.pixels[at + 1]) / 255
            let blue = Float(image.pixels[at + 2]) / 255
            counts[Self.bin(red: red, green: green, blue: blue, hueBins: hueBins, saturationBins: saturationBins,
                            valueBins: valueBins)] += 1
        }
        let total = Float(image.width * image.height)
        shares = counts.map { $0 / total }
    }

    /// The L1 distance between two histograms of the same bins, 0 ... 2.
    public func distance(to other: ColourHistogram) -> Float {
        precondition(shares.count == other.shares.count, "histograms of different bins")
        var sum: Float = 0
        for index in shares.indices { sum += abs(shares[index] - other.shares[index]) }
        return sum
    }

    /// The bin of a colour given as values in [0, 1]: hue slowest, value
    /// fastest, as ``shares`` are ordered. The model's histogram block
    /// (thumbnail values are floats) and this type bin alike.
    public static func bin(red: Float, green: Float, blue: Float, hueBins: Int, saturationBins: Int, valueBins: Int) -> Int {
        let (hue, saturation, value) = hsv(red, green, blue)
        let h = min(hueBins - 1, Int(hue * Float(hueBins)))
        let s = min(saturationBins - 1, Int(saturation * Float(saturationBins)))
        let v = min(valueBins - 1, max(0, Int(value * Float(valueBins))))
        return (h * saturationBins + s) * valueBins + v
    }

    /// Hue in [0, 1) (0 red, 1/3 green, 2/3 blue), saturation and value in
    /// [0, 1], of values in [0, 1].
    static func hsv(_ r: Float, _ g: Float, _ b: Float) -> (Float, Float, Float) {
        let maximum = max(r, g, b), minimum = min(r, g, b), spread = maximum - minimum
        let saturation = maximum > 0 ? spread / maximum : 0
        guard spread > 0 else { return (0, saturation, maximum) }
        var hue: Float
        if maximum == r {
            hue = (g - b) / spread
        } else if maximum == g {
            hue = 2 + (b - r) / spread
        } else {
            hue = 4 + (r - g) / spread
        }
        hue /= 6
        if hue < 0 { hue += 1 }
        return (min(hue, 0.999_999), saturation, maximum)
    }
}
