import Foundation
import ImgSearchLearning

extension ImageIndex {
    /// Opens (or creates) the index at `path`, encoding with the trained
    /// autoencoder models stored in it (their encoder parts: see
    /// ``ModelFile/decodeEncoder(_:path:)``).
    public convenience init(path: String, readOnly: Bool = false) throws {
        try self.init(path: path, readOnly: readOnly) { stored in
            try AutoencoderEncoder(model: ModelFile.decodeEncoder(stored.file, path: "model \"\(stored.name)\" in \(path)"))
        }
    }

    /// Stores the model file at `modelPath` and makes it the active model,
    /// if the index has none yet (a new index). Returns the active model's id.
    @discardableResult
    public func installModelIfNone(fileAt modelPath: String) throws -> Int64 {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: modelPath)))
        } catch {
            throw ModelFileError(path: modelPath, reason: "cannot read the model file: \(error.localizedDescription)")
        }
        let model = try ModelFile.decode(bytes, path: modelPath)  // refuse a broken file before storing it
        return try installModelIfNone(StoredModel(model, file: bytes, name: (modelPath as NSString).lastPathComponent))
    }
}

extension StoredModel {
    /// A model with its file's bytes, described by its own metadata.
    init(_ model: DeepAutoencoder, file: [UInt8], name: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let settings = String(decoding: try encoder.encode(model.metadata), as: UTF8.self)
        let metrics = "{\"fineTuningError\":\(model.metadata.fineTuningError.map { String($0) } ?? "null")}"
        self.init(name: name, createdAt: model.metadata.createdAt, trainedOn: model.metadata.notes,
                  settings: settings, metrics: metrics, file: file)
    }
}
