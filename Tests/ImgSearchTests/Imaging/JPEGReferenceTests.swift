import Foundation
import Testing
@testable import ImgSearch

/// jpeg-decoder's reftest set: each JPEG beside a PNG that ImageMagick
/// decoded from it. Our full-size decode must match within a tolerance
/// (decoders differ in IDCT rounding and chroma upsampling): mean absolute
/// difference under 0.25 and no value off by more than 3 (0-255 scale).
@Suite(.enabled(if: SharedData.isAvailable, SharedData.skipMessage))
struct JPEGReferenceTests {
    static let folder = "jpeg-suite/jpeg-decoder-reftest"

    /// Damaged on purpose: they decode only with data warnings tolerated.
    static let damagedByDesign: Set<String> = ["partial_progressive.jpg", "progressive-missing-dc.jpg"]

    /// The pairs (JPEG, its reference PNG) outside `lossless/`.
    static var pairs: [(jpeg: URL, png: URL)] {
        (SharedData.files(in: folder, extensions: ["jpg"]) + SharedData.files(in: folder + "/mozilla", extensions: ["jpg"]))
            .map { ($0, $0.deletingPathExtension().appendingPathExtension("png")) }
            .filter { FileManager.default.fileExists(atPath: $0.1.path) }
    }

    @Test func everyJPEGWithAReferenceMatchesIt() throws {
        let pairs = Self.pairs
        #expect(pairs.count == 37)
        var report: [String] = []
        for (jpeg, png) in pairs {
            let name = jpeg.path.replacingOccurrences(of: SharedData.url(Self.folder).path + "/", with: "")
            let lenient = Self.damagedByDesign.contains(jpeg.lastPathComponent)
            let options = ImageDecodingOptions(
                minimumDecodedSide: 0, treatsDataWarningsAsErrors: !lenient, decodesProgressiveDCOnly: false)
            let ours = try ImageDecoder.decode(contentsOf: jpeg.path, options: options).image
            let reference = try ImageDecoder.decode(contentsOf: png.path).image
            guard ours.width == reference.width, ours.height == reference.height else {
                Issue.record("\(name): \(ours.width)x\(ours.height), reference \(reference.width)x\(reference.height)")
                continue
            }
            let difference = JPEGTestFiles.difference(ours, reference)
            report.append("\(name) mean \(String(format: "%.2f", difference.mean)) max \(difference.max)")
            // Measured: mean at most 0.21, max at most 3 (mjpeg.jpg, ycck.jpg).
            #expect(difference.mean < 0.25, "\(name): mean difference \(difference.mean)")
            #expect(difference.max <= 3, "\(name): max difference \(difference.max)")
        }
        print("reftest differences (0-255):\n" + report.joined(separator: "\n"))
    }

    @Test(arguments: damagedByDesign.sorted())
    func filesDamagedByDesignAreReportedByDefault(name: String) {
        #expect(throws: ImageDecodingError.self) {
            try ImageDecoder.decode(contentsOf: SharedData.url("\(Self.folder)/\(name)").path)
        }
    }

    @Test func aPNGNamedJPGIsDecodedAsPNG() throws {
        let decoded = try ImageDecoder.decode(contentsOf: SharedData.url("\(Self.folder)/mozilla/jpg-size-6x6.jpg").path)
        #expect(decoded.format == .png)
    }
}
