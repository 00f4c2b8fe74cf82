import Foundation

extension ModelFile {
    /// Reads the payload of a version 1 file (float32 weights, one checksum,
    /// no contrast normalization), the format of imgsearch before
    /// version 2; kept so that existing model files and indexes still load.
    ///
    /// Version 1 layout after the 24-byte header (magic, version, payload
    /// length as UInt64, CRC-32 of the payload): input units, code units,
    /// 2 reserved bytes, noise scale, layer sizes, the encoder then the
    /// decoder layers (activation, 3 reserved bytes, float32 weights and
    /// biases), standardization, thresholds, metadata JSON.
    static func decodeVersion1(_ bytes: [UInt8], path: String) throws -> DeepAutoencoder {
        func failure(_ reason: String) -> ModelFileError { ModelFileError(path: path, reason: reason) }
        let headerSize = 24
        var header = ByteReader(bytes: bytes[magic.count..<min(bytes.count, headerSize)], path: path)
        let _: UInt32 = try header.read()
        let payloadLength: UInt64 = try header.read()
        let storedChecksum: UInt32 = try header.read()
        let available = bytes.count - headerSize
        guard payloadLength == UInt64(available) else {
            throw failure(UInt64(available) < payloadLength
                ? "truncated: the header promises \(payloadLength) payload bytes but the file has \(available); HINT: the file was cut short (copy it again or retrain)"
                : "\(UInt64(available) - payloadLength) unexpected bytes after the payload; HINT: the file is damaged")
        }
        let payloadBytes = bytes[headerSize...]
        guard checksum(payloadBytes) == storedChecksum else {
            throw failure("checksum mismatch: the weights are damaged; HINT: copy the file again or retrain")
        }
        var payload = ByteReader(bytes: payloadBytes, path: path)
        let inputRaw: UInt8 = try payload.read()
        let codeRaw: UInt8 = try payload.read()
        let _: UInt16 = try payload.read()
        let noiseScale: Float = try payload.read()
        let (inputUnits, codeUnits) = try units(inputRaw: inputRaw, codeRaw: codeRaw, noiseScale: noiseScale, path: path)
        let layerSizes = try readLayerSizes(&payload, path: path)
        let depth = layerSizes.count - 1
        let layers = try readLayers(&payload, indices: 0..<(2 * depth), layerSizes: layerSizes, inputUnits: inputUnits,
                                    codeUnits: codeUnits, halfPrecision: false, path: path)
        var model = DeepAutoencoder(layerSizes: layerSizes, inputUnits: inputUnits, codeUnits: codeUnits, layers: layers)
        model.standardization = try readStandardization(&payload, inputSize: model.inputSize, path: path)
        model.thresholds = try readThresholds(&payload, codeSize: model.codeSize, path: path)
        model.metadata = try readMetadata(&payload, path: path)
        guard payload.isAtEnd else { throw failure("\(payload.remaining) unexpected bytes at the end of the payload") }
        return model
    }
}
