import Foundation
import ImgSearchImaging

/// The edits a copy of a photograph goes through before someone searches
/// for its original: cropped, scaled, recompressed, rotated, mirrored,
/// turned grey, made brighter or flatter, captioned, letterboxed, squashed.
/// `imgsearch eval --edits DIR` queries every edit of every picture against
/// the originals (docs/quality.md, "Edited copies").
public enum PhotoEdit: String, CaseIterable, Sendable {
    /// The centred 90% of the width and of the height.
    case crop90 = "crop-90"
    /// The centred 70% of the width and of the height.
    case crop70 = "crop-70"
    /// The top-left 70% of the width and of the height.
    case crop70Corner = "crop-70-corner"
    /// Area-averaged to a quarter of the width and of the height.
    case scale25 = "scale-25"
    /// Area-averaged to a twentieth of the width and of the height.
    case scale5 = "scale-5"
    /// Encoded again as JPEG at quality 20 and decoded.
    case jpegQuality20 = "jpeg-q20"
    /// Turned 5 degrees anticlockwise about the centre on the same canvas,
    /// the corners that come in black.
    case rotate5 = "rotate-5"
    /// Turned a quarter anticlockwise.
    case rotate90 = "rotate-90"
    /// Mirrored left to right.
    case mirror
    /// Luma (Rec. 601) in all three channels.
    case greyscale
    /// Every channel value times 1.4, clamped.
    case brightness140 = "brightness-1.4"
    /// Every channel value pulled towards the mean luma: mean + 0.6 (value - mean).
    case contrast60 = "contrast-0.6"
    /// A dark band over the bottom 15% of the height, as a caption is set.
    case captionBand = "caption-band"
    /// Padded with black to a square, the picture centred.
    case letterbox
    /// Resized to a 16:9 frame of the same width, whatever its shape was.
    case squash16x9 = "squash-16x9"

    /// The edited copy of `image`.
    public func apply(to image: RGBImage) throws(ImageDecodingError) -> RGBImage {
        switch self {
        case .crop90: return image.cropped(fraction: 0.9, centred: true)
        case .crop70: return image.cropped(fraction: 0.7, centred: true)
        case .crop70Corner: return image.cropped(fraction: 0.7, centred: false)
        case .scale25: return image.resized(width: max(1, image.width / 4), height: max(1, image.height / 4))
        case .scale5: return image.resized(width: max(1, image.width / 20), height: max(1, image.height / 20))
        case .jpegQuality20:
            // At full size: the decoder would otherwise scale a large picture down in the DCT.
            let fullSize = ImageDecodingOptions(minimumDecodedSide: max(image.width, image.height))
            return try ImageDecoder.decode(try JPEGEncoder.encode(image, quality: 20), path: "<re-encoded image>",
                                           options: fullSize).image
        case .rotate5: return image.rotated(degrees: 5)
        case .rotate90: return image.applying(.left)
        case .mirror: return image.applying(.upMirrored)
        case .greyscale: return image.mappingPixels { red, green, blue in
            let luma = Self.luma(red, green, blue)
            return (luma, luma, luma)
        }
        case .brightness140: return image.mappingChannels { $0 * 1.4 }
        case .contrast60:
            var sum: Float = 0
            for at in stride(from: 0, to: image.pixels.count, by: 3) {
                sum += Self.luma(Float(image.pixels[at]), Float(image.pixels[at + 1]), Float(image.pixels[at + 2]))
            }
            let mean = sum / Float(image.width * image.height)
            return image.mappingChannels { mean + 0.6 * ($0 - mean) }
        case .captionBand:
            var captioned = image
            let top = image.height - max(1, Int((Float(image.height) * 0.15).rounded()))
            for at in (top * image.width * 3)..<captioned.pixels.count { captioned.pixels[at] = 24 }
            return captioned
        case .letterbox:
            let side = max(image.width, image.height)
            var padded = RGBImage(width: side, height: side, pixels: [UInt8](repeating: 0, count: side * side * 3))
            let left = (side - image.width) / 2, top = (side - image.height) / 2
            for y in 0..<image.height {
                let source = y * image.width * 3, target = ((top + y) * side + left) * 3
                padded.pixels.replaceSubrange(target..<(target + image.width * 3),
                                              with: image.pixels[source..<(source + image.width * 3)])
            }
            return padded
        case .squash16x9: return image.resized(width: image.width, height: max(1, image.width * 9 / 16))
        }
    }

    /// Rec. 601 luma of 8-bit values, as PIL's greyscale conversion computes it.
    static func luma(_ red: Float, _ green: Float, _ blue: Float) -> Float {
        0.299 * red + 0.587 * green + 0.114 * blue
    }
}

extension RGBImage {
    /// The `fraction` of the width and of the height, centred or from the top-left corner.
    func cropped(fraction: Double, centred: Bool) -> RGBImage {
        let newWidth = max(1, Int((Double(width) * fraction).rounded()))
        let newHeight = max(1, Int((Double(height) * fraction).rounded()))
        let left = centred ? (width - newWidth) / 2 : 0, top = centred ? (height - newHeight) / 2 : 0
        var pixels: [UInt8] = []
        pixels.reserveCapacity(newWidth * newHeight * 3)
        for y in top..<(top + newHeight) {
            let start = (y * width + left) * 3
            pixels.append(contentsOf: self.pixels[start..<(start + newWidth * 3)])
        }
        return RGBImage(width: newWidth, height: newHeight, pixels: pixels)
    }

    /// Turned `degrees` anticlockwise about the centre, on the same canvas,
    /// sampled bilinearly; what comes from outside the picture is black.
    func rotated(degrees: Double) -> RGBImage {
        let angle = degrees * .pi / 180
        let cosine = Float(cos(angle)), sine = Float(sin(angle))
        let centreX = Float(width - 1) / 2, centreY = Float(height - 1) / 2
        var rotated = [UInt8](repeating: 0, count: pixels.count)
        for y in 0..<height {
            for x in 0..<width {
                // The source of each target pixel: the inverse rotation
                // (y grows downwards, so anticlockwise on screen is clockwise here).
                let dx = Float(x) - centreX, dy = Float(y) - centreY
                let sourceX = cosine * dx - sine * dy + centreX
                let sourceY = sine * dx + cosine * dy + centreY
                guard sourceX >= 0, sourceY >= 0, sourceX <= Float(width - 1), sourceY <= Float(height - 1) else { continue }
                let x0 = Int(sourceX), y0 = Int(sourceY)
                let x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
                let fx = sourceX - Float(x0), fy = sourceY - Float(y0)
                for channel in 0..<3 {
                    let top = Float(pixels[(y0 * width + x0) * 3 + channel]) * (1 - fx) + Float(pixels[(y0 * width + x1) * 3 + channel]) * fx
                    let bottom = Float(pixels[(y1 * width + x0) * 3 + channel]) * (1 - fx) + Float(pixels[(y1 * width + x1) * 3 + channel]) * fx
                    rotated[(y * width + x) * 3 + channel] = UInt8(max(0, min(255, (top * (1 - fy) + bottom * fy).rounded())))
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: rotated)
    }

    /// Every pixel through `transform` (values 0 ... 255 as floats), rounded and clamped.
    func mappingPixels(_ transform: (Float, Float, Float) -> (Float, Float, Float)) -> RGBImage {
        var mapped = self
        for at in stride(from: 0, to: pixels.count, by: 3) {
            let (red, green, blue) = transform(Float(pixels[at]), Float(pixels[at + 1]), Float(pixels[at + 2]))
            mapped.pixels[at] = Self.clamped(red)
            mapped.pixels[at + 1] = Self.clamped(green)
            mapped.pixels[at + 2] = Self.clamped(blue)
        }
        return mapped
    }

    /// Every channel value through `transform`, rounded and clamped.
    func mappingChannels(_ transform: (Float) -> Float) -> RGBImage {
        mappingPixels { (transform($0), transform($1), transform($2)) }
    }

    static func clamped(_ value: Float) -> UInt8 {
        UInt8(max(0, min(255, value.rounded())))
    }
}
