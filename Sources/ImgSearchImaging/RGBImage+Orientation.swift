extension RGBImage {
    /// The picture turned upright according to `orientation`.
    ///
    /// For each output pixel the source pixel is found by the inverse
    /// mapping; for orientations 5-8 the output's width is the input's height.
    public func applying(_ orientation: ExifOrientation) -> RGBImage {
        if orientation == .up { return self }
        let outputWidth = orientation.swapsSides ? height : width
        let outputHeight = orientation.swapsSides ? width : height
        var output = [UInt8](repeating: 0, count: pixels.count)
        let lastX = width - 1, lastY = height - 1
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                for y in 0..<outputHeight {
                    for x in 0..<outputWidth {
                        let (sourceX, sourceY): (Int, Int)
                        switch orientation {
                        case .up: (sourceX, sourceY) = (x, y)
                        case .upMirrored: (sourceX, sourceY) = (lastX - x, y)
                        case .down: (sourceX, sourceY) = (lastX - x, lastY - y)
                        case .downMirrored: (sourceX, sourceY) = (x, lastY - y)
                        case .leftMirrored: (sourceX, sourceY) = (y, x)
                        case .right: (sourceX, sourceY) = (y, lastY - x)
                        case .rightMirrored: (sourceX, sourceY) = (lastX - y, lastY - x)
                        case .left: (sourceX, sourceY) = (lastX - y, x)
                        }
                        let from = (sourceY * width + sourceX) * 3
                        let to = (y * outputWidth + x) * 3
                        target[to] = source[from]
                        target[to + 1] = source[from + 1]
                        target[to + 2] = source[from + 2]
                    }
                }
            }
        }
        return RGBImage(width: outputWidth, height: outputHeight, pixels: output)
    }
}
