import ImgSearch
import ImgSearchCore

/// Synthetic images for benchmarks of large indexes: each a copy of a real
/// indexed image's code with Gaussian noise of standard deviation `noise`
/// (clamped to [0, 1], as logistic activations are; for a model whose codes
/// are logits, ``CodeOutput``, `noise` times twice each unit's spread over
/// the real codes, unclamped), hashed by the active model, under the path
/// `/synthetic/<n>.jpg`. The hashes so keep the clustering of real semantic
/// hashes, which uniform random codes would not (docs/benchmarks.md, "Query
/// latency", has how close they come).
///
/// Not for real indexes: the synthetic paths name no files, so the next
/// `index` run of a folder would not touch them, and `remove` is the only
/// way out.
struct SyntheticRows {
    let index: ImageIndex
    var noise: Float = 0.3
    var seed: UInt64 = 1

    /// Rows written per batch.
    static let batchSize = 50_000

    /// Adds `count` synthetic images.
    func add(count: Int) throws {
        try index.connections.writing { storage in
            let (modelID, encoder) = try index.activeEncoder(on: storage)
            let real = try storage.records(ids: storage.indexedFiles().map(\.id)).filter { !$0.path.hasPrefix("/synthetic/") }
            guard !real.isEmpty else { throw ImageIndexError.tooFewImages(path: index.path, count: 0, minimum: 1) }
            let logits = encoder.codeOutput == .preActivations
            let spread = logits ? Self.spread(of: real.map(\.code)) : [Float](repeating: 0.5, count: real[0].code.count)
            var generator = SplitMix64(seed: seed)
            let first = try storage.count()
            for start in stride(from: 0, to: count, by: Self.batchSize) {
                try storage.write { batch in
                    for number in start..<min(start + Self.batchSize, count) {
                        let source = real[Int(generator.next() % UInt64(real.count))]
                        let code = source.code.indices.map { unit -> Float in
                            let value = source.code[unit] + 2 * spread[unit] * noise * generator.nextGaussian()
                            return logits ? value : min(1, max(0, value))
                        }
                        try batch.insert(ImageRecord(
                            id: 0, path: "/synthetic/\(first + number).jpg", size: 0, modificationTime: 0,
                            contentHash: UInt64(first + number), width: 32, height: 32,
                            hash: try encoder.hash(code), code: code, modelID: modelID, colour: source.colour))
                    }
                }
            }
        }
    }

    /// Each unit's standard deviation over `codes`. Logits have no fixed
    /// range: scaled by it, `noise` means for them what it means for
    /// activations in [0, 1] (whose spread, saturated, is about 0.5).
    static func spread(of codes: [[Float]]) -> [Float] {
        (0..<codes[0].count).map { unit in
            let values = codes.map { Double($0[unit]) }
            let mean = values.reduce(0, +) / Double(values.count)
            return Float((values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot())
        }
    }
}
