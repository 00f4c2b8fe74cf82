import Foundation
internal import CImgSearchZlib
import ImgSearchLinearAlgebra
import ImgSearchHashing

/// Why a model file could not be read or written, with the file at fault and
/// what to do about it.
public struct ModelFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file.
    public let path: String
    /// What is wrong, with a HINT where there is something to do.
    public let reason: String

    /// `<path>: <reason>`.
    public var description: String { "\(path): \(reason)" }

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// The autoencoder model file: weights, architecture, preprocessing,
/// thresholds and training metadata in one checksummed little-endian file.
///
/// Version 4 layout (docs/learning.md has it field by field; version 3 is
/// the same without the histogram weight, version 2 also without the
/// colour side and the gradient scales):
///
///     0   8  magic "ISAEMODL"
///     8   4  format version (UInt32, 4)
///     12  8  length of the encoder part in bytes (UInt64)
///     20  4  CRC-32 of the encoder part (zlib's crc32)
///     24  8  length of the decoder part (UInt64)
///     32  4  CRC-32 of the decoder part
///     36  .. encoder part: units, weight encoding, noise scale, thumbnail
///            features, layer sizes, standardization, thresholds, the
///            encoder layers
///     ..  .. decoder part: the decoder layers, metadata as JSON
///
/// Everything a query needs comes first with its own checksum, so the
/// query path reads and checks only the encoder part
/// (``decodeEncoder(_:path:)``, ``encoderByteCount(header:)``), a quarter
/// of the file. Weights are stored as half-precision floats when every
/// weight is exactly a half (the trainer rounds them so), as float32
/// otherwise; biases and statistics are always float32. Version 1 files
/// (float32, one checksum), 2 and 3 are still read.
///
/// Every count is checked against the architecture and the bytes left, so
/// a damaged file fails with a message instead of a crash.
public enum ModelFile {
    /// The first eight bytes of every model file.
    public static let magic: [UInt8] = Array("ISAEMODL".utf8)
    /// The format version this build writes (it also reads versions 1 to 3).
    public static let version: UInt32 = 4
    /// Bytes before the encoder part.
    public static let headerSize = 36
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

    /// The file's bytes for `model`, which must have its decoder.
    public static func encode(_ model: DeepAutoencoder) throws -> [UInt8] {
        guard model.hasDecoder else {
            throw ModelFileError(path: "model", reason: "an encoder-only model (loaded for queries) cannot be saved; HINT: save the model as it was trained")
        }
        let halves = model.layers.allSatisfy { HalfPrecision.isExact($0.weights.elements) }
        var front = ByteWriter()
        front.append(model.inputUnits.rawValue)
        switch model.codeUnits {
        case .linear: front.append(UInt8(0))
        case .logistic: front.append(UInt8(1))
        }
        front.append(UInt8(halves ? 1 : 0))
        front.append(model.codeOutput.rawValue)
        front.append(model.codeUnits.noiseScale)
        let features = model.inputFeatures
        front.append(UInt32(features?.side ?? 0))
        front.append(UInt32(features?.cellSize ?? 0))
        front.append(UInt32(features?.orientationBins ?? 0))
        front.append(features?.contrastEpsilon ?? 0)
        front.append(features?.colourWeight ?? 0)
        front.append(UInt32(features?.colourSide ?? 0))
        front.append(UInt32(features?.gradientScales ?? 0))
        front.append(features?.histogramWeight ?? 0)
        front.append(UInt32(model.layerSizes.count))
        for size in model.layerSizes { front.append(UInt32(size)) }
        let standardization = model.standardization
        front.append(UInt32(standardization?.count ?? 0))
        if let standardization {
            front.append(standardization.mean)
            front.append(standardization.standardDeviation)
        }
        front.append(UInt32(model.thresholds.count))
        front.append(model.thresholds)
        for layer in model.layers[0..<model.depth] { appendLayer(layer, to: &front, halves: halves) }

        var back = ByteWriter()
        for layer in model.layers[model.depth...] { appendLayer(layer, to: &back, halves: halves) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let metadata = try encoder.encode(model.metadata)
        back.append(UInt32(metadata.count))
        back.bytes.append(contentsOf: metadata)

        var file = ByteWriter()
        file.bytes.append(contentsOf: magic)
        file.append(version)
        file.append(UInt64(front.bytes.count))
        file.append(checksum(front.bytes))
        file.append(UInt64(back.bytes.count))
        file.append(checksum(back.bytes))
        file.bytes.append(contentsOf: front.bytes)
        file.bytes.append(contentsOf: back.bytes)
        return file.bytes
    }

    private static func appendLayer(_ layer: DenseLayer, to writer: inout ByteWriter, halves: Bool) {
        writer.append(layer.activation.rawValue)
        writer.append(UInt8(0)); writer.append(UInt16(0))
        if halves { writer.appendHalves(layer.weights.elements) } else { writer.append(layer.weights.elements) }
        writer.append(layer.bias)
    }

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

    /// Parses a whole model file's bytes (version 1, 2 or 3); `path` names the
    /// file in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws -> DeepAutoencoder {
        switch try formatVersion(bytes, path: path) {
        case 1: return try decodeVersion1(bytes, path: path)
        case let version: return try decodeTwoPartFile(bytes, path: path, version: version, encoderOnly: false)
        }
    }

    /// Parses only what encoding needs: the model without its decoder layers
    /// (``DeepAutoencoder/hasDecoder`` is false) and without its metadata.
    /// For versions 2 and 3, `bytes` may stop after the encoder part (see
    /// ``encoderByteCount(header:)``); only that part's checksum is checked.
    /// A version 1 file must be whole.
    public static func decodeEncoder(_ bytes: [UInt8], path: String) throws -> DeepAutoencoder {
        switch try formatVersion(bytes, path: path) {
        case 1:
            var model = try decodeVersion1(bytes, path: path)
            model.dropDecoder()
            return model
        case let version:
            return try decodeTwoPartFile(bytes, path: path, version: version, encoderOnly: true)
        }
    }

    /// How many leading bytes of a model file ``decodeEncoder(_:path:)``
    /// needs, from the file's first ``headerSize`` bytes; nil when the
    /// header does not say (version 1, or not a model file): read it all.
    public static func encoderByteCount(header: [UInt8]) -> Int? {
        guard header.count >= headerSize, Array(header[0..<magic.count]) == magic else { return nil }
        var reader = ByteReader(bytes: header[magic.count..<headerSize], path: "")
        guard let version: UInt32 = try? reader.read(), version >= 2,
              let length: UInt64 = try? reader.read(), length <= UInt64(Int.max - headerSize) else { return nil }
        return headerSize + Int(length)
    }

    /// The version in the header, refusing what is not a model file or is newer.
    private static func formatVersion(_ bytes: [UInt8], path: String) throws -> UInt32 {
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            throw ModelFileError(path: path, reason: "not an imgsearch model file (bad magic number); HINT: imgsearch model files start with \"ISAEMODL\"; check the path")
        }
        var header = ByteReader(bytes: bytes[magic.count..<min(bytes.count, magic.count + 4)], path: path)
        let version: UInt32 = try header.read()
        guard (1...Self.version).contains(version) else {
            throw ModelFileError(path: path, reason: version > Self.version
                ? "Bad version in model file: \(version), this build reads versions 1 to \(Self.version); HINT: the model was written by a newer imgsearch, upgrade imgsearch"
                : "Bad version in model file: \(version), this build reads versions 1 to \(Self.version); HINT: the file is damaged; copy it again or retrain")
        }
        return version
    }

    /// Versions 2 and 3: version 3 adds the colour block's side and the
    /// number of gradient scales to the features (version 2 kept every pixel
    /// of the thumbnail and had one scale).
    private static func decodeTwoPartFile(_ bytes: [UInt8], path: String, version: UInt32, encoderOnly: Bool) throws -> DeepAutoencoder {
        func failure(_ reason: String) -> ModelFileError { ModelFileError(path: path, reason: reason) }
        var header = ByteReader(bytes: bytes[(magic.count + 4)..<min(bytes.count, headerSize)], path: path)
        let frontLength: UInt64 = try header.read()
        let frontChecksum: UInt32 = try header.read()
        let backLength: UInt64 = try header.read()
        let backChecksum: UInt32 = try header.read()
        let available = UInt64(bytes.count - headerSize)
        let needed = encoderOnly ? frontLength : frontLength &+ backLength
        guard frontLength <= UInt64(Int.max / 2), backLength <= UInt64(Int.max / 2), available >= needed else {
            throw failure("truncated: the header promises \(needed) bytes after it but the file has \(available); HINT: the file was cut short (copy it again or retrain)")
        }
        guard encoderOnly || available == needed else {
            throw failure("\(available - needed) unexpected bytes after the payload; HINT: the file is damaged")
        }
        let frontEnd = headerSize + Int(frontLength)
        let frontBytes = bytes[headerSize..<frontEnd]  // slices: a model is not copied again
        guard checksum(frontBytes) == frontChecksum else {
            throw failure("checksum mismatch in the encoder part: the weights are damaged; HINT: copy the file again or retrain")
        }
        var front = ByteReader(bytes: frontBytes, path: path)
        let inputRaw: UInt8 = try front.read()
        let codeRaw: UInt8 = try front.read()
        let weightEncoding: UInt8 = try front.read()
        let codeOutputRaw: UInt8 = try front.read()
        guard let codeOutput = CodeOutput(rawValue: codeOutputRaw) else { throw failure("unknown code output \(codeOutputRaw)") }
        let noiseScale: Float = try front.read()
        let featureSide: UInt32 = try front.read()
        let featureCell: UInt32 = try front.read()
        let featureBins: UInt32 = try front.read()
        let contrastEpsilon: Float = try front.read()
        let colourWeight: Float = try front.read()
        let colourSide: UInt32 = version >= 3 ? try front.read() : featureSide
        let gradientScales: UInt32 = version >= 3 ? try front.read() : 1
        let histogramWeight: Float = version >= 4 ? try front.read() : 0
        guard weightEncoding <= 1 else { throw failure("unknown weight encoding \(weightEncoding)") }
        var inputFeatures: ThumbnailFeatures?
        if featureSide > 0 {
            guard featureSide <= 4096, featureCell <= 4096, featureBins <= 64, colourSide <= 4096, gradientScales <= 2 else {
                throw failure("implausible thumbnail features: side \(featureSide), cell \(featureCell), \(featureBins) bins, colour side \(colourSide)")
            }
            let features = ThumbnailFeatures(side: Int(featureSide), cellSize: Int(featureCell), orientationBins: Int(featureBins),
                                              gradientScales: Int(gradientScales), contrastEpsilon: contrastEpsilon, colourSide: Int(colourSide), colourWeight: colourWeight,
                                              histogramWeight: histogramWeight)
            if let problem = features.problem { throw failure("invalid thumbnail features: \(problem)") }
            inputFeatures = features
        }
        let (inputUnits, codeUnits) = try units(inputRaw: inputRaw, codeRaw: codeRaw, noiseScale: noiseScale, path: path)
        let layerSizes = try readLayerSizes(&front, path: path)
        let depth = layerSizes.count - 1
        let inputSize = layerSizes[0], codeSize = layerSizes[depth]
        if let inputFeatures, inputFeatures.outputCount != inputSize {
            throw failure("the thumbnail features give \(inputFeatures.outputCount) values, the first layer takes \(inputSize)")
        }
        let standardization = try readStandardization(&front, inputSize: inputSize, path: path)
        let thresholds = try readThresholds(&front, codeSize: codeSize, path: path)
        var layers = try readLayers(&front, indices: 0..<depth, layerSizes: layerSizes, inputUnits: inputUnits,
                                    codeUnits: codeUnits, halfPrecision: weightEncoding == 1, path: path)
        guard front.isAtEnd else { throw failure("\(front.remaining) unexpected bytes at the end of the encoder part") }

        var metadata = TrainingMetadata()
        if !encoderOnly {
            let backBytes = bytes[frontEnd..<(frontEnd + Int(backLength))]
            guard checksum(backBytes) == backChecksum else {
                throw failure("checksum mismatch in the decoder part: the weights are damaged; HINT: copy the file again or retrain")
            }
            var back = ByteReader(bytes: backBytes, path: path)
            layers += try readLayers(&back, indices: depth..<(2 * depth), layerSizes: layerSizes, inputUnits: inputUnits,
                                     codeUnits: codeUnits, halfPrecision: weightEncoding == 1, path: path)
            metadata = try readMetadata(&back, path: path)
            guard back.isAtEnd else { throw failure("\(back.remaining) unexpected bytes at the end of the payload") }
        }
        var model = DeepAutoencoder(layerSizes: layerSizes, inputUnits: inputUnits, codeUnits: codeUnits, layers: layers)
        model.standardization = standardization
        model.inputFeatures = inputFeatures
        model.codeOutput = codeOutput
        model.thresholds = thresholds
        model.metadata = metadata
        return model
    }

    // MARK: - Fields shared by the versions

    package static func units(inputRaw: UInt8, codeRaw: UInt8, noiseScale: Float, path: String) throws -> (VisibleUnits, CodeUnits) {
        guard let inputUnits = VisibleUnits(rawValue: inputRaw) else {
            throw ModelFileError(path: path, reason: "unknown input unit type \(inputRaw)")
        }
        switch codeRaw {
        case 0: return (inputUnits, .linear)
        case 1: return (inputUnits, .logistic(noiseScale: noiseScale))
        default: throw ModelFileError(path: path, reason: "unknown code unit type \(codeRaw)")
        }
    }

    static func readLayerSizes(_ reader: inout ByteReader, path: String) throws -> [Int] {
        let sizeCount: UInt32 = try reader.read()
        guard (2...64).contains(sizeCount) else { throw ModelFileError(path: path, reason: "implausible layer count \(sizeCount)") }
        var layerSizes: [Int] = []
        for _ in 0..<sizeCount {
            let size: UInt32 = try reader.read()
            guard (1...UInt32(maximumLayerSize)).contains(size) else { throw ModelFileError(path: path, reason: "implausible layer size \(size)") }
            layerSizes.append(Int(size))
        }
        return layerSizes
    }

    /// Layers `indices` of the `2 * depth` (encoder first, decoder mirrored).
    static func readLayers(_ reader: inout ByteReader, indices: Range<Int>, layerSizes: [Int], inputUnits: VisibleUnits,
                           codeUnits: CodeUnits, halfPrecision: Bool, path: String) throws -> [DenseLayer] {
        let depth = layerSizes.count - 1
        let expectedActivations = DeepAutoencoder.activations(depth: depth, inputUnits: inputUnits, codeUnits: codeUnits)
        let sizes = layerSizes + layerSizes.reversed().dropFirst()
        var layers: [DenseLayer] = []
        for index in indices {
            let activationRaw: UInt8 = try reader.read()
            let _: UInt8 = try reader.read()
            let _: UInt16 = try reader.read()
            guard let activation = Activation(rawValue: activationRaw), activation == expectedActivations[index] else {
                throw ModelFileError(path: path, reason: "layer \(index) has activation \(activationRaw), which does not match the architecture")
            }
            let count = sizes[index] * sizes[index + 1]
            let weights = halfPrecision ? try reader.readHalves(count) : try reader.readFloats(count)
            let bias = try reader.readFloats(sizes[index + 1])
            layers.append(DenseLayer(weights: Matrix(rows: sizes[index], columns: sizes[index + 1], elements: weights),
                                     bias: bias, activation: activation))
        }
        return layers
    }

    static func readStandardization(_ reader: inout ByteReader, inputSize: Int, path: String) throws -> Standardization? {
        let statisticsCount: UInt32 = try reader.read()
        guard statisticsCount == 0 || Int(statisticsCount) == inputSize else {
            throw ModelFileError(path: path, reason: "standardization has \(statisticsCount) values, the model has \(inputSize) inputs")
        }
        guard statisticsCount > 0 else { return nil }
        let mean = try reader.readFloats(Int(statisticsCount))
        let deviation = try reader.readFloats(Int(statisticsCount))
        return Standardization(mean: mean, standardDeviation: deviation)
    }

    static func readThresholds(_ reader: inout ByteReader, codeSize: Int, path: String) throws -> [Float] {
        let thresholdCount: UInt32 = try reader.read()
        guard thresholdCount == 0 || Int(thresholdCount) == codeSize else {
            throw ModelFileError(path: path, reason: "\(thresholdCount) thresholds for \(codeSize) code units")
        }
        return try reader.readFloats(Int(thresholdCount))
    }

    static func readMetadata(_ reader: inout ByteReader, path: String) throws -> TrainingMetadata {
        let metadataLength: UInt32 = try reader.read()
        let metadataBytes = try reader.readBytes(Int(metadataLength))
        do {
            return try JSONDecoder().decode(TrainingMetadata.self, from: Data(metadataBytes))
        } catch {
            throw ModelFileError(path: path, reason: "unreadable training metadata: \(error)")
        }
    }

    /// zlib's CRC-32 of `bytes`.
    package static func checksum(_ bytes: [UInt8]) -> UInt32 {
        checksum(bytes[...])
    }

    /// zlib's CRC-32 of `bytes`.
    package static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
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
