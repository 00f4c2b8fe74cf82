internal import CImgSearchZlib
import ImgSearchLinearAlgebra

/// Why an idx file could not be read, with the file at fault.
public struct IDXFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, as the caller named it.
    public let path: String
    /// What is wrong, and what to do.
    public let reason: String

    /// `<path>: <reason>`.
    public var description: String { "\(path): \(reason)" }
}

/// Reader for the MNIST handwritten digits in LeCun's idx format, gzip
/// compressed or not (`train-images-idx3-ubyte.gz` and friends).
///
/// An idx file is a big-endian header (magic `0x00000803` for images,
/// `0x00000801` for labels, the third byte being the type code 8 = unsigned
/// byte and the fourth the number of dimensions), one big-endian 32-bit size
/// per dimension, then the bytes.
public enum MNIST {
    /// The 60,000 training images' file name.
    public static let trainingImages = "train-images-idx3-ubyte.gz"
    /// The 60,000 training labels' file name.
    public static let trainingLabels = "train-labels-idx1-ubyte.gz"
    /// The 10,000 test images' file name.
    public static let testImages = "t10k-images-idx3-ubyte.gz"
    /// The 10,000 test labels' file name.
    public static let testLabels = "t10k-labels-idx1-ubyte.gz"

    /// Images as rows of `rows * columns` pixels scaled to [0, 1] (byte / 255),
    /// as the paper's code feeds them to the first RBM.
    /// - Parameter limit: read at most this many images (all when nil)
    /// - Returns: `(images, 784)` for MNIST
    public static func readImages(at path: String, limit: Int? = nil) throws -> Matrix {
        let bytes = try Gzip.readFile(at: path)
        let dimensions = try header(bytes, path: path, magic: 0x0000_0803)
        guard dimensions.count == 3 else { throw IDXFileError(path: path, reason: "expected 3 dimensions, found \(dimensions.count)") }
        let count = min(dimensions[0], limit ?? dimensions[0])
        let pixels = dimensions[1] * dimensions[2]
        let offset = 4 + 4 * dimensions.count
        guard bytes.count >= offset + dimensions[0] * pixels else {
            throw IDXFileError(path: path, reason: "truncated: header promises \(dimensions[0]) images of \(pixels) bytes but the file has \(bytes.count - offset) data bytes")
        }
        var images = Matrix(rows: count, columns: pixels)
        let scale: Float = 1 / 255
        bytes.withUnsafeBufferPointer { source in
            images.elements.withUnsafeMutableBufferPointer { target in
                for index in 0..<(count * pixels) { target[index] = Float(source[offset + index]) * scale }
            }
        }
        return images
    }

    /// Labels, one digit 0...9 per image.
    /// - Parameter limit: read at most this many labels (all when nil)
    public static func readLabels(at path: String, limit: Int? = nil) throws -> [UInt8] {
        let bytes = try Gzip.readFile(at: path)
        let dimensions = try header(bytes, path: path, magic: 0x0000_0801)
        guard dimensions.count == 1 else { throw IDXFileError(path: path, reason: "expected 1 dimension, found \(dimensions.count)") }
        let offset = 8
        guard bytes.count >= offset + dimensions[0] else {
            throw IDXFileError(path: path, reason: "truncated: header promises \(dimensions[0]) labels but the file has \(bytes.count - offset)")
        }
        return Array(bytes[offset..<(offset + min(dimensions[0], limit ?? dimensions[0]))])
    }

    /// The dimension sizes after checking the magic number.
    private static func header(_ bytes: [UInt8], path: String, magic: UInt32) throws -> [Int] {
        func word(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
        }
        guard bytes.count >= 4 else { throw IDXFileError(path: path, reason: "too short for an idx header (\(bytes.count) bytes)") }
        guard word(0) == magic else {
            throw IDXFileError(path: path, reason: "bad magic number 0x\(String(word(0), radix: 16)), expected 0x\(String(magic, radix: 16)); HINT: is this the \(magic == 0x803 ? "images" : "labels") file of MNIST in idx format?")
        }
        let dimensionCount = Int(magic & 0xFF)
        guard bytes.count >= 4 + 4 * dimensionCount else { throw IDXFileError(path: path, reason: "truncated idx header") }
        return (0..<dimensionCount).map { Int(word(4 + 4 * $0)) }
    }
}

/// Whole-file reads through zlib's gzread, which inflates gzip files and
/// passes any other file through unchanged.
enum Gzip {
    static func readFile(at path: String) throws -> [UInt8] {
        guard let file = gzopen(path, "rb") else {
            throw IDXFileError(path: path, reason: "cannot open file (missing or unreadable)")
        }
        defer { gzclose(file) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let read = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if read < 0 {
                var code: Int32 = 0
                let message = gzerror(file, &code).map { String(cString: $0) } ?? "unknown error"
                throw IDXFileError(path: path, reason: "corrupt gzip data: \(message)")
            }
            if read == 0 { break }
            result.append(contentsOf: chunk[0..<Int(read)])
        }
        return result
    }
}
