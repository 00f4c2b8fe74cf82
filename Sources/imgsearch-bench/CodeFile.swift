import Foundation

/// Raw files of little-endian `UInt32` codes, one per 4 bytes: the format
/// `../shared/bench/faiss_binary.py` reads.
enum CodeFile {
    static func read(_ path: String) throws -> [UInt32] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BenchError("\(path): cannot read file")
        }
        guard data.count % 4 == 0 else {
            throw BenchError("\(path): \(data.count) bytes is not a whole number of 4-byte codes")
        }
        return data.withUnsafeBytes { bytes in
            (0..<(data.count / 4)).map { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)) }
        }
    }

    static func write(_ codes: [UInt32], to path: String) throws {
        let data = codes.map(\.littleEndian).withUnsafeBytes { Data($0) }
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw BenchError("\(path): cannot write file")
        }
    }
}

/// An error the benchmark reports and exits on.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
