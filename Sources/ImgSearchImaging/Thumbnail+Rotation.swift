extension Thumbnail {
    /// The thumbnail turned anticlockwise by `quarterTurns` quarters (any
    /// integer; negative turns clockwise), what the picture turned the same
    /// way would give: the thumbnail squashes the whole picture to a square,
    /// so turning the square is turning the picture.
    ///
    /// Query augmentation, as ``mirrored``: the model is not trained to be
    /// invariant to a sideways or upside-down copy, so `query --rotations`
    /// searches with all four turns and merges them.
    public func rotated(quarterTurns: Int) -> Thumbnail {
        let turns = ((quarterTurns % 4) + 4) % 4
        guard turns != 0 else { return self }
        let side = self.side, last = side - 1, plane = side * side
        var turned = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { source in
            turned.withUnsafeMutableBufferPointer { target in
                for channel in 0..<3 {
                    let base = channel * plane
                    for y in 0..<side {
                        for x in 0..<side {
                            // The source pixel that lands on (x, y), x to the right, y down.
                            let (sourceX, sourceY): (Int, Int)
                            switch turns {
                            case 1: (sourceX, sourceY) = (last - y, x)
                            case 2: (sourceX, sourceY) = (last - x, last - y)
                            default: (sourceX, sourceY) = (y, last - x)
                            }
                            target[base + y * side + x] = source[base + sourceY * side + sourceX]
                        }
                    }
                }
            }
        }
        return Thumbnail(side: side, values: turned)
    }
}
