import ImgSearchCore
import ImgSearchHashing
import ImgSearchLearning

extension ImageIndex {
    /// Adds `count` synthetic images for benchmarks of large indexes: each a
    /// copy of a real indexed image's code with Gaussian noise of standard
    /// deviation `noise` (clamped to [0, 1], as logistic activations are;
    /// for a model whose codes are logits, ``CodeOutput``, `noise` times
    /// twice each unit's spread over the real codes, unclamped), hashed
    /// with the active model's thresholds, under the path
    /// `/synthetic/<n>.jpg`. The hashes so keep the clustering of real
    /// semantic hashes, which uniform random codes would not: with noise
    /// 0.3 and the default model, 1,000 real CIFAR-10 images grown to 50,000 have 49,208 distinct
    /// hashes, the 50,000 real images 49,536.
    ///
    /// Not for real indexes: the synthetic paths name no files, so the next
    /// `index` run of a folder would not touch them, and `remove` is the
    /// only way out.
    @_spi(Benchmarks)
    public func addSyntheticImages(count: Int, noise: Float = 0.3, seed: UInt64 = 1) throws {
        try locked {
            let (modelID, encoder) = try activeEncoder()
            guard let binarizer = (encoder as? AutoencoderEncoder)?.binarizer else {
                throw ImageIndexError.noModel(path: path)
            }
            let real = try store.records(ids: store.indexedFiles().map(\.id)).filter { !$0.path.hasPrefix("/synthetic/") }
            guard !real.isEmpty else { throw ImageIndexError.tooFewImages(path: path, count: 0, minimum: 1) }
            // Logits have no fixed range: scale the noise to each unit's spread,
            // so that `noise` means for them what it means for activations
            // in [0, 1] (whose spread, saturated, is about 0.5).
            let logits = (encoder as? AutoencoderEncoder)?.model.codeOutput == .preActivations
            let width = real[0].code.count
            var spread = [Float](repeating: 0.5, count: width)
            if logits {
                for unit in 0..<width {
                    let values = real.map { Double($0.code[unit]) }
                    let mean = values.reduce(0, +) / Double(values.count)
                    spread[unit] = Float((values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot())
                }
            }
            var generator = SplitMix64(seed: seed)
            let first = try store.count()
            for start in stride(from: 0, to: count, by: 50_000) {
                try store.write { writer in
                    for number in start..<min(start + 50_000, count) {
                        let source = real[Int(generator.next() % UInt64(real.count))]
                        let code = source.code.indices.map { unit -> Float in
                            let value = source.code[unit] + 2 * spread[unit] * noise * generator.nextGaussian()
                            return logits ? value : min(1, max(0, value))
                        }
                        try writer.insert(ImageRecord(
                            id: 0, path: "/synthetic/\(first + number).jpg", size: 0, modificationTime: 0,
                            contentHash: UInt64(first + number), width: 32, height: 32,
                            hash: try binarizer.hash(code), code: code, modelID: modelID))
                    }
                }
            }
        }
    }
}
