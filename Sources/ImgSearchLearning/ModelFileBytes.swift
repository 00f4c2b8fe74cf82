import Foundation

/// Little-endian appends.
package struct ByteWriter {
    package var bytes: [UInt8] = []

    package init() {}

    package mutating func append<Value: FixedWidthInteger>(_ value: Value) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    package mutating func append(_ value: Float) { append(value.bitPattern) }

    package mutating func append(_ values: [Float]) {
        bytes.reserveCapacity(bytes.count + 4 * values.count)
        for value in values { append(value.bitPattern) }
    }
}

/// Little-endian reads that throw on running out of bytes.
struct ByteReader {
    package let bytes: ArraySlice<UInt8>
    package let path: String
    private var position: Int

    package init(bytes: ArraySlice<UInt8>, path: String) {
        self.bytes = bytes
        self.path = path
        self.position = bytes.startIndex
    }

    package var remaining: Int { bytes.endIndex - position }
    var isAtEnd: Bool { position == bytes.endIndex }

    mutating func readBytes(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw ModelFileError(path: path, reason: "truncated: needed \(count) more bytes at offset \(position), found \(remaining); HINT: the file was cut short (copy it again or retrain)")
        }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    package mutating func read<Value: FixedWidthInteger>() throws -> Value {
        let slice = try readBytes(MemoryLayout<Value>.size)
        var value = Value.zero
        for (shift, byte) in slice.enumerated() { value |= Value(byte) << (8 * shift) }
        return value
    }

    package mutating func read() throws -> Float {
        Float(bitPattern: try read() as UInt32)
    }

    mutating func readFloats(_ count: Int) throws -> [Float] {
        let slice = try readBytes(4 * count)
        return slice.withUnsafeBytes { raw in
            [Float](unsafeUninitializedCapacity: count) { values, initialized in
                #if _endian(little)
                // The file's byte order is the machine's: one copy, no conversion loop.
                UnsafeMutableRawBufferPointer(values).copyMemory(from: raw)
                #else
                for index in 0..<count {
                    values[index] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
                }
                #endif
                initialized = count
            }
        }
    }
}

extension ByteWriter {
    /// Each value as IEEE half precision (the caller has checked that every
    /// value is exactly representable, see ``HalfPrecision``).
    mutating func appendHalves(_ values: [Float]) {
        bytes.reserveCapacity(bytes.count + 2 * values.count)
        for value in values { append(Float16(value).bitPattern) }
    }
}

extension ByteReader {
    /// `count` IEEE half-precision values, widened to `Float`.
    mutating func readHalves(_ count: Int) throws -> [Float] {
        let slice = try readBytes(2 * count)
        return slice.withUnsafeBytes { raw in
            [Float](unsafeUninitializedCapacity: count) { values, initialized in
                HalfPrecision.widen(raw, into: values)
                initialized = count
            }
        }
    }
}

/// Half-precision (binary16) weights: half the bytes of a model file, so a
/// query reads and parses half as much.
package enum HalfPrecision {
    /// Whether every value survives a round trip through `Float16` exactly.
    static func isExact(_ values: [Float]) -> Bool {
        values.allSatisfy { Float(Float16($0)) == $0 }
    }

    /// `value` rounded to the nearest half-precision value (to nearest even),
    /// unchanged when it is beyond half precision's range.
    package static func rounded(_ value: Float) -> Float {
        let half = Float(Float16(value))
        return half.isFinite ? half : value
    }

    /// Little-endian binary16 bit patterns in `raw` to floats in `values`.
    ///
    /// Integer operations and one multiplication per value instead of a
    /// conversion call, so the loop vectorizes: the half's exponent and
    /// fraction bits, moved into a float's fields, give the value times
    /// 2^-112 (exactly, for normal and subnormal halves alike), and the
    /// multiplication by 2^112 fixes the exponent. Infinities and NaNs are
    /// never written (``isExact(_:)`` refuses them), so they need no case.
    package static func widen(_ raw: UnsafeRawBufferPointer, into values: UnsafeMutableBufferPointer<Float>) {
        let count = values.count
        precondition(raw.count >= 2 * count)
        let scale = Float(bitPattern: 0x7780_0000)  // 2^112
        for index in 0..<count {
            let bits = UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self)))
            let magnitude = Float(bitPattern: (bits & 0x7fff) &<< 13) * scale
            values[index] = Float(bitPattern: magnitude.bitPattern | ((bits & 0x8000) &<< 16))
        }
    }
}
