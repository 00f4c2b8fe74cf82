import Foundation
internal import CImgSearchZlib

/// Why a model file could not be read or written, with the file at fault and
/// what to do about it.
public struct ModelFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file.
    public let path: String
    /// What is wrong, with a HINT where there is something to do.
    public let reason: String

    /// `<path>: <reason>`.
    public var description: String { "\(path): \(reason)" }
}

/// The autoencoder model file: weights, architecture, standardization,
/// thresholds and training metadata in one checksummed little-endian file.
///
/// Layout (docs/learning.md has it byte by byte):
///
///     0   8  magic "ISAEMODL"
///     8   4  format version (UInt32, currently 1)
///     12  8  payload length in bytes (UInt64)
///     20  4  CRC-32 of the payload (zlib's crc32)
///     24  .. payload: units, layer sizes, layers, standardization,
///            thresholds, metadata as JSON
///
/// Every count in the payload is checked against the architecture and the
/// bytes left, so a damaged file fails with a message instead of a crash.
public enum ModelFile {
    /// The first eight bytes of every model file.
    public static let magic: [UInt8] = Array("ISAEMODL".utf8)
    /// The format version this build writes and reads.
    public static let version: UInt32 = 1
    /// Bytes before the payload.
    static let headerSize = 24
    /// Largest layer size accepted on reading: far above any real model, low
    /// enough that a corrupt size cannot ask for an absurd allocation.
    static let maximumLayerSize = 1 << 20

    // MARK: - Writing

    /// Writes `model` to `url`, atomically: the bytes go to a temporary file in
    /// the same folder, which is then renamed over `url`, so a crash or a full
    /// disk never leaves a half-written model where a good one was.
    public static func write(_ model: DeepAutoencoder, to url: URL) throws {
        let bytes = try encode(model)
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try Data(bytes).write(to: temporary)
        } catch {
            throw ModelFileError(path: url.path, reason: "cannot write the model: \(error.localizedDescription); HINT: check that \(folder.path) exists and is writable")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let message = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw ModelFileError(path: url.path, reason: "cannot move the finished model into place: \(message)")
        }
    }

    /// The file's bytes for `model`.
    public static func encode(_ model: DeepAutoencoder) throws -> [UInt8] {
        var payload = ByteWriter()
        payload.append(model.inputUnits.rawValue)
        switch model.codeUnits {
        case .linear: payload.append(UInt8(0))
        case .logistic: payload.append(UInt8(1))
        }
        payload.append(UInt16(0))
        payload.append(model.codeUnits.noiseScale)
        payload.append(UInt32(model.layerSizes.count))
        for size in model.layerSizes { payload.append(UInt32(size)) }
        for layer in model.layers {
            payload.append(layer.activation.rawValue)
            payload.append(UInt8(0)); payload.append(UInt16(0))
            payload.append(layer.weights.elements)
            payload.append(layer.bias)
        }
        let standardization = model.standardization
        payload.append(UInt32(standardization?.count ?? 0))
        if let standardization {
            payload.append(standardization.mean)
            payload.append(standardization.standardDeviation)
        }
        payload.append(UInt32(model.thresholds.count))
        payload.append(model.thresholds)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let metadata = try encoder.encode(model.metadata)
        payload.append(UInt32(metadata.count))
        payload.bytes.append(contentsOf: metadata)

        var file = ByteWriter()
        file.bytes.append(contentsOf: magic)
        file.append(version)
        file.append(UInt64(payload.bytes.count))
        file.append(checksum(payload.bytes))
        file.bytes.append(contentsOf: payload.bytes)
        return file.bytes
    }

    // MARK: - Reading

    /// Reads a model written by `write(_:to:)`.
    /// - Throws: `ModelFileError` naming the file and the first thing wrong:
    ///   not a model file, a newer version, truncation, checksum mismatch,
    ///   sizes that do not fit together.
    public static func read(from url: URL) throws -> DeepAutoencoder {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelFileError(path: url.path, reason: "cannot read the file: \(error.localizedDescription)")
        }
        return try decode([UInt8](data), path: url.path)
    }

    /// Parses a model file's bytes; `path` names the file in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws -> DeepAutoencoder {
        func failure(_ reason: String) -> ModelFileError { ModelFileError(path: path, reason: reason) }
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            throw failure("not an imgsearch model file (bad magic number); HINT: imgsearch model files start with \"ISAEMODL\"; check the path")
        }
        var header = ByteReader(bytes: bytes[magic.count..<min(bytes.count, headerSize)], path: path)
        let version: UInt32 = try header.read()
        guard version == Self.version else {
            throw failure(version > Self.version
                ? "Bad version in model file: \(version), this build reads version \(Self.version); HINT: the model was written by a newer imgsearch, upgrade imgsearch"
                : "Bad version in model file: \(version), this build reads version \(Self.version); HINT: retrain the model with this imgsearch")
        }
        let payloadLength: UInt64 = try header.read()
        let storedChecksum: UInt32 = try header.read()
        let available = bytes.count - headerSize
        guard payloadLength == UInt64(available) else {
            throw failure(UInt64(available) < payloadLength
                ? "truncated: the header promises \(payloadLength) payload bytes but the file has \(available); HINT: the file was cut short (copy it again or retrain)"
                : "\(UInt64(available) - payloadLength) unexpected bytes after the payload; HINT: the file is damaged")
        }
        let payloadBytes = bytes[headerSize...]  // a slice: a 14 MB model is not copied again
        guard checksum(payloadBytes) == storedChecksum else {
            throw failure("checksum mismatch: the weights are damaged; HINT: copy the file again or retrain")
        }

        var payload = ByteReader(bytes: payloadBytes, path: path)
        let inputRaw: UInt8 = try payload.read()
        let codeRaw: UInt8 = try payload.read()
        let _: UInt16 = try payload.read()
        let noiseScale: Float = try payload.read()
        guard let inputUnits = VisibleUnits(rawValue: inputRaw) else { throw failure("unknown input unit type \(inputRaw)") }
        let codeUnits: CodeUnits
        switch codeRaw {
        case 0: codeUnits = .linear
        case 1: codeUnits = .logistic(noiseScale: noiseScale)
        default: throw failure("unknown code unit type \(codeRaw)")
        }
        let sizeCount: UInt32 = try payload.read()
        guard (2...64).contains(sizeCount) else { throw failure("implausible layer count \(sizeCount)") }
        var layerSizes: [Int] = []
        for _ in 0..<sizeCount {
            let size: UInt32 = try payload.read()
            guard (1...UInt32(maximumLayerSize)).contains(size) else { throw failure("implausible layer size \(size)") }
            layerSizes.append(Int(size))
        }
        let depth = layerSizes.count - 1
        let expectedActivations = DeepAutoencoder.activations(depth: depth, inputUnits: inputUnits, codeUnits: codeUnits)
        let sizes = layerSizes + layerSizes.reversed().dropFirst()
        var layers: [DenseLayer] = []
        for index in 0..<(2 * depth) {
            let activationRaw: UInt8 = try payload.read()
            let _: UInt8 = try payload.read()
            let _: UInt16 = try payload.read()
            guard let activation = Activation(rawValue: activationRaw), activation == expectedActivations[index] else {
                throw failure("layer \(index) has activation \(activationRaw), which does not match the architecture")
            }
            let weights = try payload.readFloats(sizes[index] * sizes[index + 1])
            let bias = try payload.readFloats(sizes[index + 1])
            layers.append(DenseLayer(weights: Matrix(rows: sizes[index], columns: sizes[index + 1], elements: weights),
                                     bias: bias, activation: activation))
        }
        var model = DeepAutoencoder(layerSizes: layerSizes, inputUnits: inputUnits, codeUnits: codeUnits, layers: layers)
        let statisticsCount: UInt32 = try payload.read()
        guard statisticsCount == 0 || Int(statisticsCount) == model.inputSize else {
            throw failure("standardization has \(statisticsCount) values, the model has \(model.inputSize) inputs")
        }
        if statisticsCount > 0 {
            let mean = try payload.readFloats(Int(statisticsCount))
            let deviation = try payload.readFloats(Int(statisticsCount))
            model.standardization = Standardization(mean: mean, standardDeviation: deviation)
        }
        let thresholdCount: UInt32 = try payload.read()
        guard thresholdCount == 0 || Int(thresholdCount) == model.codeSize else {
            throw failure("\(thresholdCount) thresholds for \(model.codeSize) code units")
        }
        model.thresholds = try payload.readFloats(Int(thresholdCount))
        let metadataLength: UInt32 = try payload.read()
        let metadataBytes = try payload.readBytes(Int(metadataLength))
        do {
            model.metadata = try JSONDecoder().decode(TrainingMetadata.self, from: Data(metadataBytes))
        } catch {
            throw failure("unreadable training metadata: \(error)")
        }
        guard payload.isAtEnd else { throw failure("\(payload.remaining) unexpected bytes at the end of the payload") }
        return model
    }

    /// zlib's CRC-32 of `bytes`.
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        checksum(bytes[...])
    }

    /// zlib's CRC-32 of `bytes`.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            // crc32 takes a UInt32 length; chunk it for payloads over 4 GiB.
            var crc = crc32(0, nil, 0)
            var offset = 0
            while offset < buffer.count {
                let length = min(buffer.count - offset, 1 << 30)
                crc = crc32(crc, buffer.baseAddress! + offset, UInt32(length))
                offset += length
            }
            return UInt32(crc)
        }
    }
}

/// Little-endian appends.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func append<Value: FixedWidthInteger>(_ value: Value) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ value: Float) { append(value.bitPattern) }

    mutating func append(_ values: [Float]) {
        bytes.reserveCapacity(bytes.count + 4 * values.count)
        for value in values { append(value.bitPattern) }
    }
}

/// Little-endian reads that throw on running out of bytes.
struct ByteReader {
    let bytes: ArraySlice<UInt8>
    let path: String
    private var position: Int

    init(bytes: ArraySlice<UInt8>, path: String) {
        self.bytes = bytes
        self.path = path
        self.position = bytes.startIndex
    }

    var remaining: Int { bytes.endIndex - position }
    var isAtEnd: Bool { position == bytes.endIndex }

    mutating func readBytes(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw ModelFileError(path: path, reason: "truncated: needed \(count) more bytes at offset \(position), found \(remaining); HINT: the file was cut short (copy it again or retrain)")
        }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    mutating func read<Value: FixedWidthInteger>() throws -> Value {
        let slice = try readBytes(MemoryLayout<Value>.size)
        var value = Value.zero
        for (shift, byte) in slice.enumerated() { value |= Value(byte) << (8 * shift) }
        return value
    }

    mutating func read() throws -> Float {
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
