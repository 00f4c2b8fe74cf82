extension ImageIndex {
    /// Adds `count` synthetic images for benchmarks of large indexes: each a
    /// copy of a real indexed image's code with Gaussian noise of standard
    /// deviation `noise` (clamped to [0, 1], as logistic codes are), hashed
    /// with the active model's thresholds, under the path
    /// `/synthetic/<n>.jpg`. The hashes so keep the clustering of real
    /// semantic hashes, which uniform random codes would not: with noise
    /// 0.3, 1,000 real CIFAR-10 images grown to 50,000 have 47,608 distinct
    /// hashes, the 50,000 real images 48,080.
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
            var generator = SplitMix64(seed: seed)
            let first = try store.count()
            for start in stride(from: 0, to: count, by: 50_000) {
                try store.write { writer in
                    for number in start..<min(start + 50_000, count) {
                        let source = real[Int(generator.next() % UInt64(real.count))]
                        let code = source.code.map { min(1, max(0, $0 + noise * generator.nextGaussian())) }
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
