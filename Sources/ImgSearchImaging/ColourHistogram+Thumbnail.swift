extension ColourHistogram {
    /// The histogram of a thumbnail's pixels (its values, binned as
    /// ``bin(red:green:blue:hueBins:saturationBins:valueBins:)`` bins):
    /// what the index stores beside each image's codes, since the
    /// thumbnail is what indexing has of every picture.
    public init(of thumbnail: Thumbnail, hueBins: Int = 8, saturationBins: Int = 4, valueBins: Int = 4) {
        let area = thumbnail.side * thumbnail.side
        var counts = [Float](repeating: 0, count: hueBins * saturationBins * valueBins)
        thumbnail.values.withUnsafeBufferPointer { values in
            for pixel in 0..<area {
                counts[Self.bin(red: values[pixel], green: values[area + pixel], blue: values[2 * area + pixel],
                                hueBins: hueBins, saturationBins: saturationBins, valueBins: valueBins)] += 1
            }
        }
        self.init(hueBins: hueBins, saturationBins: saturationBins, valueBins: valueBins,
                  shares: counts.map { $0 / Float(area) })
    }

    /// Shares as given (summing to 1, ``shares``' order), e.g. read back from storage.
    public init(hueBins: Int = 8, saturationBins: Int = 4, valueBins: Int = 4, shares: [Float]) {
        precondition(shares.count == hueBins * saturationBins * valueBins, "one share a bin")
        self.hueBins = hueBins
        self.saturationBins = saturationBins
        self.valueBins = valueBins
        self.shares = shares
    }

    /// The share of pixels in the lowest saturation bin: near 1 for a
    /// greyscale picture, whose histogram says nothing about the colours of
    /// the picture it was made from.
    public var greyShare: Float {
        var sum: Float = 0
        for hue in 0..<hueBins {
            for value in 0..<valueBins { sum += shares[(hue * saturationBins) * valueBins + value] }
        }
        return sum
    }
}
