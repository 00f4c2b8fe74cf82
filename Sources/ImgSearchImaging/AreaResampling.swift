/// Box-filter weights for resampling one axis of `sourceLength` pixels to
/// `targetLength` pixels.
///
/// Output pixel `i` covers the source interval
/// `[i * s / t, (i + 1) * s / t)`; each source pixel contributes the length
/// of its overlap with that interval, divided by the interval's length, so
/// the weights of one output pixel sum to 1. When shrinking this is the area
/// average; when enlarging it degenerates to nearest-neighbour.
struct AreaResampling {
    /// For output pixel `i`, its source pixels are `first[i] ..< first[i] + count[i]`.
    package let first: [Int]
    package let count: [Int]
    /// `weights[offset[i] + j]` belongs to source pixel `first[i] + j`.
    package let offset: [Int]
    package let weights: [Float]

    package init(sourceLength: Int, targetLength: Int) {
        precondition(sourceLength > 0 && targetLength > 0)
        let scale = Double(sourceLength) / Double(targetLength)
        var first: [Int] = [], count: [Int] = [], offset: [Int] = [], weights: [Float] = []
        for i in 0..<targetLength {
            let start = Double(i) * scale, end = Double(i + 1) * scale
            let firstPixel = Int(start.rounded(.down))
            let endPixel = min(sourceLength, Int(end.rounded(.up)))
            first.append(firstPixel)
            count.append(endPixel - firstPixel)
            offset.append(weights.count)
            for pixel in firstPixel..<endPixel {
                let overlap = min(end, Double(pixel + 1)) - max(start, Double(pixel))
                weights.append(Float(overlap / scale))
            }
        }
        self.first = first
        self.count = count
        self.offset = offset
        self.weights = weights
    }
}
