import Foundation
import Testing
@testable import ImgSearch

/// Save, load, and every way a model file can be wrong.
@Suite struct ModelFileTests {
    static func model() -> DeepAutoencoder {
        var generator = SplitMix64(seed: 12)
        var model = DeepAutoencoder(layerSizes: [6, 5, 3], inputUnits: .gaussian, codeUnits: .logistic(noiseScale: 4),
                                    generator: &generator)
        model.standardization = Standardization(mean: (0..<6).map { Float($0) }, standardDeviation: (0..<6).map { Float($0) + 0.5 })
        model.thresholds = [0.5, 0.25, 0.75]
        model.metadata.seed = 12
        model.metadata.notes = "test model"
        model.metadata.fineTuning = FineTuningConfiguration()
        return model
    }

    /// A model that computes thumbnail features: 4x4 thumbnails (48 values),
    /// 2x2-pixel cells with 4 bins (16 histogram values), 64 inputs in all.
    static func featureModel() -> DeepAutoencoder {
        var generator = SplitMix64(seed: 13)
        var model = DeepAutoencoder(layerSizes: [64, 5, 3], inputUnits: .gaussian, codeUnits: .logistic(noiseScale: 4),
                                    generator: &generator)
        model.inputFeatures = ThumbnailFeatures(side: 4, cellSize: 2, orientationBins: 4, gradientScales: 1, contrastEpsilon: 0.05, colourSide: 4, colourWeight: 0.3)
        model.standardization = Standardization(mean: (0..<64).map { Float($0) / 64 }, standardDeviation: (0..<64).map { 1 + Float($0) / 32 })
        model.thresholds = [0.5, 0.25, 0.75]
        return model
    }

    @Test func theHistogramWeightIsSavedAndLoaded() throws {
        var generator = SplitMix64(seed: 14)
        var model = DeepAutoencoder(layerSizes: [192, 5, 3], inputUnits: .gaussian, codeUnits: .logistic(noiseScale: 4),
                                    generator: &generator)
        model.inputFeatures = ThumbnailFeatures(side: 4, cellSize: 2, orientationBins: 4, gradientScales: 1, contrastEpsilon: 0.05,
                                                colourSide: 4, colourWeight: 0.3, histogramWeight: 1.25)
        model.standardization = Standardization(mean: [Float](repeating: 0, count: 192), standardDeviation: [Float](repeating: 1, count: 192))
        model.thresholds = [0.5, 0.25, 0.75]
        let loaded = try ModelFile.decode(try ModelFile.encode(model), path: "histogram.isae")
        #expect(loaded.inputFeatures == model.inputFeatures && loaded.inputFeatures?.histogramWeight == 1.25)
    }

    @Test func featuresMustFitTheFirstLayer() throws {
        var model = Self.featureModel()
        model.inputFeatures?.cellSize = 4  // 4 histogram values + 48: not the 64 the layer takes
        let bytes = try ModelFile.encode(model)
        #expect(Self.rejection(bytes)?.contains("the thumbnail features give 52 values, the first layer takes 64") == true)
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func saveThenLoadGivesIdenticalModel() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.isae")
        let original = Self.model()
        try ModelFile.write(original, to: url)
        let loaded = try ModelFile.read(from: url)
        #expect(loaded == original)
        #expect(loaded.layers.map(\.weights.elements) == original.layers.map(\.weights.elements))
        // Only the model is left: the temporary file was renamed, not copied.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["model.isae"])
        // Overwriting keeps the file whole.
        var changed = original
        changed.thresholds = [1, 2, 3]
        try ModelFile.write(changed, to: url)
        #expect(try ModelFile.read(from: url).thresholds == [1, 2, 3])
    }

    static func rejection(_ bytes: [UInt8]) -> String? {
        do {
            _ = try ModelFile.decode(bytes, path: "m.isae")
            return nil
        } catch let error as ModelFileError {
            return error.description
        } catch {
            return "unexpected error type: \(error)"
        }
    }

    @Test func truncatedFilesAreRejectedAtEveryLength() throws {
        let bytes = try ModelFile.encode(Self.model())
        for length in [0, 4, 8, 12, 23, 24, 35, 36, 100, bytes.count / 2, bytes.count - 1] {
            let message = try #require(Self.rejection(Array(bytes[0..<length])), "a file cut to \(length) bytes was accepted")
            #expect(message.hasPrefix("m.isae: "))
            #expect(message.contains("truncated") || message.contains("magic"), "cut to \(length): \(message)")
        }
    }

    @Test func corruptFilesAreRejectedWithAReason() throws {
        let bytes = try ModelFile.encode(Self.model())
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x40
        #expect(Self.rejection(flipped)?.contains("checksum mismatch") == true)

        var magic = bytes
        magic[0] = UInt8(ascii: "X")
        #expect(Self.rejection(magic)?.contains("not an imgsearch model file") == true)

        var newer = bytes
        newer[8] = UInt8(ModelFile.version + 1)
        let newerMessage = Self.rejection(newer) ?? ""
        #expect(newerMessage.contains("Bad version") && newerMessage.contains("HINT") && newerMessage.contains("newer"))

        #expect(Self.rejection(bytes + [0, 0])?.contains("unexpected bytes") == true)

        // Damage in the decoder part fails a whole read, but not a read of
        // the encoder part, which has its own checksum; damage in the
        // encoder part fails both.
        var decoderDamaged = bytes
        decoderDamaged[bytes.count - 40] ^= 0x01
        #expect(Self.rejection(decoderDamaged)?.contains("checksum mismatch in the decoder part") == true)
        #expect(try ModelFile.decodeEncoder(decoderDamaged, path: "m.isae").layers == Array(Self.model().layers.prefix(2)))
        var encoderDamaged = bytes
        encoderDamaged[ModelFile.headerSize + 30] ^= 0x01
        #expect(Self.rejection(encoderDamaged)?.contains("checksum mismatch in the encoder part") == true)
        #expect(throws: ModelFileError.self) { try ModelFile.decodeEncoder(encoderDamaged, path: "m.isae") }
        #expect(Self.rejection(Array("hello, world, this is not a model file".utf8))?.contains("magic") == true)
    }

    @Test func halfPrecisionWeightsAreStoredInHalfTheBytesWithoutChange() throws {
        let full = Self.model()
        #expect(try ModelFile.decode(ModelFile.encode(full), path: "m") == full)  // not halves: kept as float32
        var rounded = full
        rounded.roundWeightsToHalfPrecision()
        #expect(rounded != full)
        #expect(rounded.layers.map(\.bias) == full.layers.map(\.bias))
        let fullBytes = try ModelFile.encode(full), halfBytes = try ModelFile.encode(rounded)
        let weightCount = full.layers.reduce(0) { $0 + $1.weights.elements.count }
        #expect(fullBytes.count - halfBytes.count == 2 * weightCount)
        #expect(try ModelFile.decode(halfBytes, path: "m") == rounded)
    }

    @Test func theEncoderPartAloneGivesTheEncoder() throws {
        var model = Self.featureModel()
        model.codeOutput = .preActivations
        model.roundWeightsToHalfPrecision()
        let bytes = try ModelFile.encode(model)
        let needed = try #require(ModelFile.encoderByteCount(header: Array(bytes.prefix(ModelFile.headerSize))))
        #expect(needed < bytes.count)
        let encoder = try ModelFile.decodeEncoder(Array(bytes.prefix(needed)), path: "m")
        #expect(!encoder.hasDecoder && model.hasDecoder)
        #expect(encoder.layers == Array(model.layers.prefix(model.depth)))
        #expect(encoder.inputFeatures == model.inputFeatures && encoder.inputFeatures != nil)
        #expect(encoder.codeOutput == .preActivations)
        #expect(encoder.standardization == model.standardization && encoder.thresholds == model.thresholds)
        let input = Matrix(rows: 2, columns: 48, elements: (0..<96).map { Float($0 % 7) / 7 })
        #expect(encoder.encode(input) == model.encode(input))
        // One byte short of the encoder part is truncation.
        #expect(throws: ModelFileError.self) { try ModelFile.decodeEncoder(Array(bytes.prefix(needed - 1)), path: "m") }
        // An encoder-only model cannot be saved or fine-tuned.
        #expect(throws: ModelFileError.self) { try ModelFile.encode(encoder) }
        var generator = SplitMix64(seed: 1)
        var trainee = encoder
        #expect(throws: TrainingError.self) { try trainee.fineTune(on: input, generator: &generator) }
        // Not a version 2 header: read the whole file.
        #expect(ModelFile.encoderByteCount(header: Array(Self.version1Bytes(model).prefix(ModelFile.headerSize))) == nil)
    }

    /// A version 1 file (the format before contrast normalization and half
    /// precision), laid out as docs/learning.md describes it.
    static func version1Bytes(_ model: DeepAutoencoder) -> [UInt8] {
        var payload = ByteWriter()
        payload.append(model.inputUnits.rawValue)
        payload.append(UInt8(1)); payload.append(UInt16(0))
        payload.append(model.codeUnits.noiseScale)
        payload.append(UInt32(model.layerSizes.count))
        for size in model.layerSizes { payload.append(UInt32(size)) }
        for layer in model.layers {
            payload.append(layer.activation.rawValue); payload.append(UInt8(0)); payload.append(UInt16(0))
            payload.append(layer.weights.elements)
            payload.append(layer.bias)
        }
        payload.append(UInt32(model.inputSize))
        payload.append(model.standardization!.mean)
        payload.append(model.standardization!.standardDeviation)
        payload.append(UInt32(model.thresholds.count))
        payload.append(model.thresholds)
        var oldMetadata = model.metadata
        oldMetadata.notes = "version 1"
        let metadata = Array(try! JSONEncoder().encode(oldMetadata))
        payload.append(UInt32(metadata.count))
        payload.bytes += metadata
        var file = ByteWriter()
        file.bytes = ModelFile.magic
        file.append(UInt32(1))
        file.append(UInt64(payload.bytes.count))
        file.append(ModelFile.checksum(payload.bytes))
        file.bytes += payload.bytes
        return file.bytes
    }

    @Test func version1FilesStillLoad() throws {
        let model = Self.model()
        let bytes = Self.version1Bytes(model)
        let loaded = try ModelFile.decode(bytes, path: "old.isae")
        #expect(loaded.layers == model.layers && loaded.standardization == model.standardization)
        #expect(loaded.thresholds == model.thresholds && loaded.inputFeatures == nil)
        #expect(loaded.metadata.notes == "version 1")
        let encoder = try ModelFile.decodeEncoder(bytes, path: "old.isae")
        #expect(encoder.layers == Array(model.layers.prefix(2)) && !encoder.hasDecoder)
        var damaged = bytes
        damaged[bytes.count / 2] ^= 0x40
        #expect(Self.rejection(damaged)?.contains("checksum mismatch") == true)
    }

    /// `bytes` (a version 4 file of a model without a histogram block) as
    /// an older version wrote it: version 3 has no histogram weight after
    /// the gradient scales; version 2 (of a model whose colour block keeps
    /// every pixel, with one gradient scale) has no colour side and no
    /// gradient scales either.
    static func olderVersionBytes(_ bytes: [UInt8], version: UInt32) -> [UInt8] {
        let colourSideAt = 28  // in the encoder part: units, code, weights, output (1 each), then six 4-byte fields
        var front = Array(bytes[ModelFile.headerSize..<ModelFile.encoderByteCount(header: bytes)!])
        let removed = version == 2 ? colourSideAt..<(colourSideAt + 12) : (colourSideAt + 8)..<(colourSideAt + 12)
        front.removeSubrange(removed)
        let back = Array(bytes[(ModelFile.encoderByteCount(header: bytes)!)...])
        var file = ByteWriter()
        file.bytes = ModelFile.magic
        file.append(version)
        file.append(UInt64(front.count))
        file.append(ModelFile.checksum(front))
        file.append(UInt64(back.count))
        file.append(ModelFile.checksum(back))
        return file.bytes + front + back
    }

    @Test func version3FilesStillLoadWithoutAHistogramBlock() throws {
        let model = Self.featureModel()
        let bytes = Self.olderVersionBytes(try ModelFile.encode(model), version: 3)
        let loaded = try ModelFile.decode(bytes, path: "v3.isae")
        #expect(loaded.inputFeatures == model.inputFeatures && loaded.inputFeatures?.histogramWeight == 0)
        #expect(loaded.layers == model.layers)
    }

    @Test func version2FilesStillLoadWithEveryPixelInTheColourBlock() throws {
        let model = Self.featureModel()
        #expect(model.inputFeatures?.colourSide == 4 && model.inputFeatures?.gradientScales == 1)
        let bytes = Self.olderVersionBytes(try ModelFile.encode(model), version: 2)
        let loaded = try ModelFile.decode(bytes, path: "v2.isae")
        #expect(loaded.inputFeatures == model.inputFeatures && loaded.layers == model.layers)
        let encoder = try ModelFile.decodeEncoder(Array(bytes.prefix(ModelFile.encoderByteCount(header: bytes)!)), path: "v2.isae")
        #expect(encoder.inputFeatures == model.inputFeatures && !encoder.hasDecoder)
    }

    @Test func aCoarseColourBlockIsStored() throws {
        var generator = SplitMix64(seed: 17)
        var model = DeepAutoencoder(layerSizes: [28, 5, 3], inputUnits: .gaussian, codeUnits: .logistic(noiseScale: 4), generator: &generator)
        // 16 histogram values and a 2x2 colour block (12 values).
        model.inputFeatures = ThumbnailFeatures(side: 4, cellSize: 2, orientationBins: 4, gradientScales: 1, contrastEpsilon: 0.05, colourSide: 2, colourWeight: 0.8)
        model.standardization = Standardization(mean: [Float](repeating: 0, count: 28), standardDeviation: [Float](repeating: 1, count: 28))
        model.metadata.fineTuning = FineTuningConfiguration()
        let loaded = try ModelFile.decode(try ModelFile.encode(model), path: "coarse.isae")
        #expect(loaded.inputFeatures?.colourSide == 2 && loaded.inputFeatures == model.inputFeatures)
        // Two gradient scales: 32 histogram values and 12 colour values.
        var twoScales = DeepAutoencoder(layerSizes: [44, 5, 3], inputUnits: .gaussian, codeUnits: .logistic(noiseScale: 4), generator: &generator)
        twoScales.inputFeatures = model.inputFeatures
        twoScales.inputFeatures?.gradientScales = 2
        twoScales.standardization = Standardization(mean: [Float](repeating: 0, count: 44), standardDeviation: [Float](repeating: 1, count: 44))
        twoScales.metadata.fineTuning = FineTuningConfiguration()
        #expect(try ModelFile.decode(try ModelFile.encode(twoScales), path: "two.isae").inputFeatures?.gradientScales == 2)
        #expect(loaded.rawInputSize == 48 && loaded.inputSize == 28)
    }

    @Test func halvesWidenExactlyAsFloat16Does() {
        // Every finite half, positive and negative, normal and subnormal.
        let patterns = (0..<UInt16.max).filter { ($0 & 0x7c00) != 0x7c00 }
        var raw: [UInt8] = []
        for pattern in patterns { raw += [UInt8(pattern & 0xff), UInt8(pattern >> 8)] }
        var widened = [Float](repeating: .nan, count: patterns.count)
        raw.withUnsafeBytes { bytes in widened.withUnsafeMutableBufferPointer { HalfPrecision.widen(bytes, into: $0) } }
        for (pattern, value) in zip(patterns, widened) {
            let expected = Float(Float16(bitPattern: pattern))
            #expect(value.bitPattern == expected.bitPattern, "half 0x\(String(pattern, radix: 16))")
            if value.bitPattern != expected.bitPattern { break }
        }
    }

    @Test func missingFilesAndFoldersAreReported() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: ModelFileError.self) { try ModelFile.read(from: folder.appendingPathComponent("absent.isae")) }
        #expect(throws: ModelFileError.self) {
            try ModelFile.write(Self.model(), to: folder.appendingPathComponent("no/such/folder/m.isae"))
        }
    }
}
