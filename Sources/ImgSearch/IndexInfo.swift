import ImgSearchCore
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
    /// Indexed images per format (``ImageFormat`` raw values), with
    /// ``unknownFormat`` for rows indexed before the index recorded formats
    /// (schema version 3), until their file is re-encoded.
    public var formats: [String: Int] = [:]
    /// What the last `index` run did, with its skipped files by reason;
    /// nil when no run finished since the index began recording runs.
    public var lastIndexRun: IndexRun?

    /// The key of ``formats`` for rows whose format is not recorded.
    public static let unknownFormat = "unknown"
}

extension IndexInfo {
    /// Counts, the active model, bit balance and bucket occupancy of the
    /// index `storage` connects to.
    init(reading storage: any IndexStorage) throws {
        let hashes = try storage.loadHashes().hashes
        var stored: StoredModel?
        var layers: [Int] = []
        if let modelID = try storage.activeModelID(), let model = try storage.model(id: modelID) {
            stored = model
            layers = (try? ModelFile.decode(model.file, path: model.name).layerSizes) ?? []
        }
        let bits = layers.last ?? 30
        let statistics = hashes.isEmpty ? nil : try HashBitStatistics(hashes: hashes, bitCount: bits)
        var buckets: [SemanticHash: Int] = [:]
        for hash in hashes { buckets[hash, default: 0] += 1 }
        self.init(
            database: storage.location, databaseBytes: storage.bytesOnDisk(), images: hashes.count,
            modelName: stored?.name, modelCreatedAt: stored?.createdAt, modelTrainedOn: stored?.trainedOn,
            modelLayers: layers, bits: bits, onesShare: statistics?.onesShare ?? [],
            largestBitCorrelation: statistics?.largestCorrelation ?? 0,
            occupiedBuckets: buckets.count, largestBucket: buckets.values.max() ?? 0)
        for (format, count) in try storage.formatCounts() {
            formats[format ?? Self.unknownFormat, default: 0] += count
        }
        lastIndexRun = try storage.lastIndexRun()
    }
}
