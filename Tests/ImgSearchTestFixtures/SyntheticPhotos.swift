import Foundation
import ImgSearchCore
import ImgSearchImaging

/// Pictures drawn at test time, so that the suites which only need "some
/// images" run in a clean checkout, without `../shared/data`.
///
/// Picture `number` of class `label` depends on those two numbers alone: a
/// two-colour gradient, stripes and three ellipses or rectangles, every
/// parameter drawn from a ``SplitMix64`` seeded with both. Pictures of one
/// class share a hue range (the label's fifth of the colour circle, with
/// shapes in the opposite hue) and a stripe direction (the label's fifth of
/// a half turn), so that a class is something a model can tell apart, as
/// `imgsearch eval` needs; everything else varies from picture to picture,
/// so that no two are near duplicates of each other.
public enum SyntheticPhotos {
    /// The number of classes; ``image(_:label:width:height:)`` takes `number % labelCount` when no label is given.
    public static let labelCount = 5
    /// The default size: not square and not the thumbnail's 32 x 32, so
    /// every picture goes through the resampling a real photo goes through.
    public static let defaultWidth = 64, defaultHeight = 48

    /// Picture `number` of class `label` (default `number % labelCount`).
    public static func image(_ number: Int, label: Int? = nil,
                             width: Int = defaultWidth, height: Int = defaultHeight) -> RGBImage {
        let label = label ?? number % labelCount
        precondition(number >= 0 && (0..<labelCount).contains(label))
        var random = SplitMix64(seed: UInt64(label) << 32 | UInt64(number))
        let uniform = { (range: ClosedRange<Float>) -> Float in
            range.lowerBound + random.nextUniform() * (range.upperBound - range.lowerBound)
        }

        // MARK: - The class: hue and stripe direction
        let hue = Float(label) / Float(labelCount) + uniform(-0.03...0.03)
        let stripeAngle = Float.pi * Float(label) / Float(labelCount) + uniform(-0.12...0.12)

        // MARK: - The picture: everything else
        let saturation = uniform(0.45...0.85)
        let dark = rgb(hue: hue, saturation: saturation, value: uniform(0.25...0.45))
        let light = rgb(hue: hue + uniform(-0.05...0.05), saturation: saturation, value: uniform(0.7...0.95))
        let gradientAngle = uniform(0...(2 * .pi))
        let (gradientX, gradientY) = (cos(gradientAngle), sin(gradientAngle))
        let stripeFrequency = uniform(2...5) * 2 * .pi
        let (stripeX, stripeY) = (cos(stripeAngle) * stripeFrequency, sin(stripeAngle) * stripeFrequency)
        let stripePhase = uniform(0...(2 * .pi)), stripeDepth = uniform(0.15...0.3)
        let shapes = (0..<3).map { _ in
            Shape(isEllipse: random.next() % 2 == 0,
                  centreX: uniform(0.1...0.9), centreY: uniform(0.1...0.9),
                  radiusX: uniform(0.08...0.3), radiusY: uniform(0.08...0.3),
                  colour: rgb(hue: hue + 0.5 + uniform(-0.08...0.08), saturation: uniform(0.5...0.9), value: uniform(0.4...0.95)))
        }

        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for row in 0..<height {
            let y = (Float(row) + 0.5) / Float(height)
            for column in 0..<width {
                let x = (Float(column) + 0.5) / Float(width)
                var colour: (Float, Float, Float)
                if let shape = shapes.last(where: { $0.contains(x: x, y: y) }) {
                    colour = shape.colour
                } else {
                    // Gradient position in [0, 1] along its direction, over the unit square.
                    let along = min(1, max(0, ((x - 0.5) * gradientX + (y - 0.5) * gradientY) / 1.42 + 0.5))
                    let shade = 1 + stripeDepth * sin(x * stripeX + y * stripeY + stripePhase)
                    colour = ((dark.0 + (light.0 - dark.0) * along) * shade,
                              (dark.1 + (light.1 - dark.1) * along) * shade,
                              (dark.2 + (light.2 - dark.2) * along) * shade)
                }
                let at = (row * width + column) * 3
                pixels[at] = byte(colour.0)
                pixels[at + 1] = byte(colour.1)
                pixels[at + 2] = byte(colour.2)
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// The bytes of a JPEG file of ``image(_:label:width:height:)`` at `quality`,
    /// made once per process and then served from memory.
    public static func jpeg(_ number: Int, label: Int? = nil, width: Int = defaultWidth, height: Int = defaultHeight,
                            quality: Int = 90) throws -> [UInt8] {
        let key = CacheKey(number: number, label: label ?? number % labelCount, width: width, height: height, quality: quality)
        if let cached = cache.value(for: key) { return cached }
        let bytes = try JPEGEncoder.encode(image(number, label: key.label, width: width, height: height), quality: quality)
        cache.store(bytes, for: key)
        return bytes
    }

    /// Writes ``jpeg(_:label:width:height:quality:)`` to `url`.
    public static func writeJPEG(_ number: Int, label: Int? = nil, to url: URL) throws {
        try Data(try jpeg(number, label: label)).write(to: url)
    }

    // MARK: - Drawing

    struct Shape {
        var isEllipse: Bool
        var centreX: Float, centreY: Float, radiusX: Float, radiusY: Float
        var colour: (Float, Float, Float)

        func contains(x: Float, y: Float) -> Bool {
            let dx = (x - centreX) / radiusX, dy = (y - centreY) / radiusY
            return isEllipse ? dx * dx + dy * dy <= 1 : abs(dx) <= 1 && abs(dy) <= 1
        }
    }

    /// HSV to RGB, all in [0, 1]; the hue wraps around.
    static func rgb(hue: Float, saturation: Float, value: Float) -> (Float, Float, Float) {
        let wrapped = hue - hue.rounded(.down)
        let sector = wrapped * 6, index = Int(sector) % 6, fraction = sector - Float(Int(sector))
        let p = value * (1 - saturation), q = value * (1 - saturation * fraction), t = value * (1 - saturation * (1 - fraction))
        switch index {
        case 0: return (value, t, p)
        case 1: return (q, value, p)
        case 2: return (p, value, t)
        case 3: return (p, q, value)
        case 4: return (t, p, value)
        default: return (value, p, q)
        }
    }

    static func byte(_ value: Float) -> UInt8 {
        UInt8(min(255, max(0, (value * 255).rounded())))
    }

    // MARK: - Cache

    struct CacheKey: Hashable {
        var number: Int, label: Int, width: Int, height: Int, quality: Int
    }

    /// Encoded pictures by key: the suites ask for the same pictures many
    /// times (the 1,001-image training tests among them), in parallel.
    final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var files: [CacheKey: [UInt8]] = [:]
        func value(for key: CacheKey) -> [UInt8]? { lock.withLock { files[key] } }
        func store(_ bytes: [UInt8], for key: CacheKey) { lock.withLock { files[key] = bytes } }
    }

    static let cache = Cache()
}

extension SyntheticPhotos {
    /// Writes the JPEGs of pictures `numbers` into `folder`, each at the
    /// relative path `name(number)` (folders on the way are created), and
    /// returns their URLs in the order of `numbers`.
    @discardableResult
    public static func write(_ numbers: some Sequence<Int>, label: Int? = nil, into folder: URL,
                             name: (Int) -> String = { "\($0).jpg" }) throws -> [URL] {
        try numbers.map { number in
            let file = folder.appendingPathComponent(name(number))
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try writeJPEG(number, label: label, to: file)
            return file
        }
    }
}
