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
        for length in [0, 4, 8, 12, 23, 24, 100, bytes.count / 2, bytes.count - 1] {
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
        newer[8] = 2
        let newerMessage = Self.rejection(newer) ?? ""
        #expect(newerMessage.contains("Bad version") && newerMessage.contains("HINT") && newerMessage.contains("newer"))

        #expect(Self.rejection(bytes + [0, 0])?.contains("unexpected bytes") == true)
        #expect(Self.rejection(Array("hello, world, this is not a model file".utf8))?.contains("magic") == true)
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
