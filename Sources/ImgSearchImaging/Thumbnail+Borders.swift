extension Thumbnail {
    /// The thumbnail with its black bars cut off and the rest stretched back
    /// to the full square, or nil when it has none: what a letterboxed copy
    /// (a photo padded to another shape, a dark caption band) looked like
    /// before the bars were added, as near as the thumbnail can say.
    ///
    /// A bar is a whole row (top or bottom) or column (left or right) whose
    /// every value is below ``barLevel``, at most a quarter of the side from
    /// each edge (a dark picture keeps its middle). Query augmentation, as
    /// ``mirrored``: the thumbnail squashes the whole picture, so bars shrink
    /// its content and move it, and the hash lands far from the original's.
    public func trimmingBlackBars() -> Thumbnail? {
        let side = self.side, plane = side * side
        func isDark(x: Int, y: Int) -> Bool {
            (0..<3).allSatisfy { values[$0 * plane + y * side + x] < Self.barLevel }
        }
        func rowIsBar(_ y: Int) -> Bool { (0..<side).allSatisfy { isDark(x: $0, y: y) } }
        func columnIsBar(_ x: Int) -> Bool { (0..<side).allSatisfy { isDark(x: x, y: $0) } }
        let limit = side / 4
        var top = 0, bottom = 0, left = 0, right = 0
        while top < limit && rowIsBar(top) { top += 1 }
        while bottom < limit && rowIsBar(side - 1 - bottom) { bottom += 1 }
        while left < limit && columnIsBar(left) { left += 1 }
        while right < limit && columnIsBar(side - 1 - right) { right += 1 }
        guard top + bottom + left + right > 0 else { return nil }
        // The inside as pixels, area-averaged back to the full side.
        let width = side - left - right, height = side - top - bottom
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                for channel in 0..<3 {
                    let value = values[channel * plane + (y + top) * side + (x + left)]
                    pixels[(y * width + x) * 3 + channel] = UInt8((min(max(value, 0), 1) * 255).rounded())
                }
            }
        }
        return Thumbnail(of: RGBImage(width: width, height: height, pixels: pixels), side: side)
    }

    /// A bar's values are all below this (about 15 of 255): black, allowing
    /// for JPEG ringing and the averaging of a bar's edge into the picture.
    public static let barLevel: Float = 0.06
}
