import ImgSearchCore
import ImgSearchLearning

/// Duplicates, statistics and retraining: each done by its own type, reached from here.
extension ImageIndex {
    // MARK: - Duplicates

    /// The real-code distance within which ``duplicates(radius:maximumDistance:maximumThumbnailDifference:jobs:progress:)``
    /// compares two images' thumbnails by default: it depends on what the
    /// active model's codes are (``DuplicateGroup/defaultMaximumDistance(for:)``).
    public func defaultDuplicateDistance() throws -> Float {
        DuplicateGroup.defaultMaximumDistance(for: try activeEncoder().codeOutput)
    }

    /// Groups of near-duplicate images, largest first, then by first path.
    ///
    /// Candidates are images whose hashes are within `radius` bits and whose
    /// real codes are within `maximumDistance` (see ``DuplicateFinder``;
    /// nil: ``defaultDuplicateDistance()``); each candidate pair is then
    /// confirmed by decoding both files again and comparing their 16x16
    /// thumbnails (mean absolute difference at most
    /// `maximumThumbnailDifference`). Files that cannot be decoded any more
    /// are left out of the groups. Queries and index runs go on meanwhile.
    public func duplicates(
        radius: Int = 2, maximumDistance: Float? = nil,
        maximumThumbnailDifference: Float = DuplicateGroup.defaultMaximumThumbnailDifference,
        jobs: Int = 2, progress: (WorkProgress) -> Void = { _ in }
    ) throws -> [DuplicateGroup] {
        let search = DuplicateSearch(
            connections: connections, encoder: try activeEncoder(), radius: radius, maximumDistance: maximumDistance,
            maximumThumbnailDifference: maximumThumbnailDifference, jobs: jobs)
        return try search.groups(progress: progress)
    }

    // MARK: - Statistics

    /// Counts, the active model, bit balance and bucket occupancy.
    public func info() throws -> IndexInfo {
        try connections.reading { storage in try storage.readingOneSnapshot { try IndexInfo(reading: storage) } }
    }

    // MARK: - Retraining

    /// Images sampled for training when the index holds more: the sample's
    /// thumbnails are held in memory as floats while the model trains, and
    /// CIFAR-10's 50,000 train a good model (docs/cli.md, `imgsearch train`).
    public static let defaultMaximumTrainingImages = 50_000

    /// Trains a new model on the index's own images, re-encodes every image
    /// with it, and switches to it in one transaction.
    ///
    /// Until that transaction commits, queries (from this and other
    /// processes) keep using the old model and codes; a crash or an error
    /// before it leaves the index exactly as it was. Images added or changed
    /// by another writer while the model trains are encoded inside the
    /// switching transaction, so no image keeps a code from the old model.
    /// The switch waits for a running index run (`onWait` is called once).
    ///
    /// - Parameter maximumTrainingImages: train on a seeded sample of at most
    ///   this many images (the seed is `settings.seed`).
    /// - Parameter onFailure: indexed files that can no longer be read or
    ///   decoded; they are removed at the switch. If more than a tenth of the
    ///   index fails (a disconnected drive, say), nothing is switched and
    ///   ``ImageIndexError/tooManyUnreadable(path:failed:total:example:)`` is thrown.
    /// - Throws: ``ImageIndexError/tooFewImages(path:count:minimum:)`` below
    ///   ``ThumbnailModelTrainer/minimumThumbnailCount`` images.
    public func train(
        settings: ThumbnailModelSettings = .init(), jobs: Int = 2,
        maximumTrainingImages: Int = ImageIndex.defaultMaximumTrainingImages,
        onWait: () -> Void = {},
        progress: (WorkProgress) -> Void = { _ in },
        trainingProgress: TrainingProgressHandler = { _ in .proceed },
        onFailure: (IndexingFailure) -> Void = { _ in }
    ) throws -> RetrainingSummary {
        let retrainer = IndexRetrainer(index: self, settings: settings, jobs: jobs, maximumTrainingImages: maximumTrainingImages)
        return try retrainer.run(onWait: onWait, progress: progress, trainingProgress: trainingProgress, onFailure: onFailure)
    }
}
