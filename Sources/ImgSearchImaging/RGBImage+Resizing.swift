extension RGBImage {
    /// The image area-averaged (box-filtered) to `width` x `height`, with
    /// the weights the thumbnail uses (``AreaResampling``), rounded to 8 bits.
    public func resized(width newWidth: Int, height newHeight: Int) -> RGBImage {
        precondition(newWidth > 0 && newHeight > 0, "a resized image has at least one pixel")
        let horizontal = AreaResampling(sourceLength: width, targetLength: newWidth)
        let vertical = AreaResampling(sourceLength: height, targetLength: newHeight)
        // Rows first: (height, newWidth, 3) floats, then columns.
        var rows = [Float](repeating: 0, count: height * newWidth * 3)
        for y in 0..<height {
            for x in 0..<newWidth {
                for j in 0..<horizontal.count[x] {
                    let weight = horizontal.weights[horizontal.offset[x] + j]
                    let source = (y * width + horizontal.first[x] + j) * 3
                    for channel in 0..<3 { rows[(y * newWidth + x) * 3 + channel] += weight * Float(pixels[source + channel]) }
                }
            }
        }
        var resized = [UInt8](repeating: 0, count: newHeight * newWidth * 3)
        for y in 0..<newHeight {
            for x in 0..<newWidth {
                for channel in 0..<3 {
                    var sum: Float = 0
                    for j in 0..<vertical.count[y] {
                        sum += vertical.weights[vertical.offset[y] + j] * rows[((vertical.first[y] + j) * newWidth + x) * 3 + channel]
                    }
                    resized[(y * newWidth + x) * 3 + channel] = UInt8(max(0, min(255, sum.rounded())))
                }
            }
        }
        return RGBImage(width: newWidth, height: newHeight, pixels: resized)
    }
}
