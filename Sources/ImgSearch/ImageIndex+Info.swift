import Foundation
import ImgSearchHashing
import ImgSearchLearning

/// What an index holds: for `imgsearch info`.
public struct IndexInfo: Sendable, Codable, Equatable {
    public var database: String
    public var databaseBytes: Int64
    public var images: Int
    public var modelName: String?
    public var modelCreatedAt: String?
    public var modelTrainedOn: String?
    /// Layer sizes from the thumbnail to the code.
    public var modelLayers: [Int]
    public var bits: Int
    /// Share of indexed images with each bit set; balanced bits are near 0.5.
    public var onesShare: [Double]
    /// Largest absolute correlation between two bits over the indexed images.
    public var largestBitCorrelation: Double
    /// Number of distinct hashes (occupied buckets) and the largest bucket.
    public var occupiedBuckets: Int
    public var largestBucket: Int
}

extension ImageIndex {
    /// Counts, the active model, bit balance and bucket occupancy.
    public func info() throws -> IndexInfo {
        let (hashes, stored, layers) = try locked { try infoInputs() }
        let bits = layers.last ?? 30
        let statistics = hashes.isEmpty ? nil : try HashBitStatistics(hashes: hashes, bitCount: bits)
        var buckets: [SemanticHash: Int] = [:]
        for hash in hashes { buckets[hash, default: 0] += 1 }
        var size: Int64 = 0
        for suffix in ["", "-wal"] {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + suffix)
            size += (attributes?[.size] as? NSNumber)?.int64Value ?? 0
        }
        return IndexInfo(
            database: path, databaseBytes: size, images: hashes.count,
            modelName: stored?.name, modelCreatedAt: stored?.createdAt, modelTrainedOn: stored?.trainedOn,
            modelLayers: layers, bits: bits, onesShare: statistics?.onesShare ?? [],
            largestBitCorrelation: statistics?.largestCorrelation ?? 0,
            occupiedBuckets: buckets.count, largestBucket: buckets.values.max() ?? 0)
    }

    private func infoInputs() throws -> ([SemanticHash], StoredModel?, [Int]) {
        let hashes = try store.loadHashes().hashes
        guard let modelID = try store.activeModelID(), let stored = try store.model(id: modelID) else {
            return (hashes, nil, [])
        }
        let layers = (try? ModelFile.decode(stored.file, path: stored.name).layerSizes) ?? []
        return (hashes, stored, layers)
    }
}
