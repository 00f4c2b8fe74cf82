import Foundation
import ImgSearchCore
import ImgSearchImaging
import ImgSearchLearning

/// Trains a new model on an index's own images and switches the index to it
/// (``ImageIndex/train(settings:jobs:maximumTrainingImages:onWait:progress:trainingProgress:onFailure:)``).
struct IndexRetrainer {
    let index: ImageIndex
    var settings = ThumbnailModelSettings()
    var jobs = 2
    var maximumTrainingImages = ImageIndex.defaultMaximumTrainingImages

    /// Trains, re-encodes and switches; see the facade's `train` for what
    /// a caller sees meanwhile and on failure.
    func run(
        onWait: () -> Void,
        progress: (WorkProgress) -> Void,
        trainingProgress: TrainingProgressHandler,
        onFailure: (IndexingFailure) -> Void
    ) throws -> RetrainingSummary {
        let start = Date()
        let jobs = max(1, jobs)
        let path = index.path
        let connections = index.connections
        try connections.refuseIfReadOnly()
        // Reads on a reader, and only the final switch on the writer: queries
        // and even an index run go on while the model trains.
        let snapshot = try connections.reading { storage in
            // Before minutes of training, not at the switch.
            try index.refuseIfDamaged(on: storage)
            return try storage.indexedFiles()
        }
        let minimum = ThumbnailModelTrainer.minimumThumbnailCount
        guard snapshot.count >= minimum else {
            throw ImageIndexError.tooFewImages(path: path, count: snapshot.count, minimum: minimum)
        }

        // MARK: Train on a sample
        var generator = SplitMix64(seed: settings.seed)
        let sample = snapshot.count <= maximumTrainingImages
            ? snapshot : Array(snapshot.shuffled(using: &generator).prefix(maximumTrainingImages))
        let side = try ThumbnailModelTrainer.thumbnailSide(for: settings)
        // Kept after training: the re-encoding uses them instead of reading
        // and decoding the sample a second time.
        var loaded: [Int64: ReloadedImage] = [:]
        loaded.reserveCapacity(sample.count)
        progress(WorkProgress(phase: "reading training images", completed: 0, total: sample.count, unit: "files"))
        for (done, chunk) in Self.chunks(of: sample, size: 2_048) {
            // Failures are reported once, by the re-encoding below, which tries those files again.
            for image in ImageReloading.load(chunk, side: side, jobs: jobs).images { loaded[image.id] = image }
            progress(WorkProgress(phase: "reading training images", completed: done, total: sample.count, unit: "files"))
        }
        var thumbnails = sample.compactMap { loaded[$0.id]?.thumbnail }
        let model = try ThumbnailModelTrainer.train(
            thumbnails, settings: settings, trainedOn: "\(thumbnails.count) images of the index \(path)",
            progress: trainingProgress)
        thumbnails = []  // the copies in `loaded` are freed chunk by chunk as they are encoded
        let modelFile = try ModelFile.encode(model)
        let stored = try StoredModel(model, file: modelFile, name: "trained on the index \(ISO8601DateFormatter().string(from: Date()))")
        // The index's own factory, as every later query will load it.
        let encoder = try index.makeEncoder(stored)

        // MARK: Re-encode every image, outside any transaction
        var staged: [Int64: ImageRecord] = [:]
        var failed: [Int64: IndexingFailure] = [:]
        progress(WorkProgress(phase: "re-encoding", completed: 0, total: snapshot.count, unit: "files"))
        for (done, chunk) in Self.chunks(of: snapshot, size: 512) {
            var images: [ReloadedImage] = [], unread: [IndexedFile] = []
            for file in chunk {
                if let image = loaded.removeValue(forKey: file.id) { images.append(image) } else { unread.append(file) }
            }
            let (more, failures) = ImageReloading.load(unread, side: encoder.thumbnailSide, jobs: jobs)
            for record in try ImageReloading.encode(images + more, encoder: encoder, modelID: 0) { staged[record.id] = record }
            for (file, failure) in failures { failed[file.id] = failure }
            progress(WorkProgress(phase: "re-encoding", completed: done, total: snapshot.count, unit: "files"))
        }
        if failed.count * 10 > snapshot.count, let example = failed.values.first {
            throw ImageIndexError.tooManyUnreadable(path: path, failed: failed.count, total: snapshot.count,
                                                    example: example.description)
        }

        // MARK: Switch in one transaction
        let before = Dictionary(uniqueKeysWithValues: snapshot.map { ($0.id, $0) })
        var summary = RetrainingSummary()
        summary.trainedOn = model.metadata.trainingSamples
        // The switch waits for a running `index` (which holds the writer and
        // the write lock for its whole run) instead of cutting it short.
        let removed = try connections.writing(onBusy: onWait) { store in try store.withWriteLock(onWait: onWait) {
            try store.write { writer -> [Int64] in
                let modelID = try writer.addModel(stored)
                var changedMeanwhile: [IndexedFile] = []
                var removed: [Int64] = []
                for file in try store.indexedFiles() {
                    guard before[file.id] == file else {
                        changedMeanwhile.append(file)  // added, moved or changed by another writer
                        continue
                    }
                    if var record = staged[file.id] {
                        record.modelID = modelID
                        try writer.update(record)
                        summary.reencoded += 1
                    } else {
                        removed.append(file.id)
                    }
                }
                let (records, failures) = try ImageReloading.reencode(
                    changedMeanwhile, encoder: encoder, modelID: modelID, jobs: jobs)
                for record in records { try writer.update(record) }
                summary.reencoded += records.count
                removed += failures.map(\.file.id)
                for (file, failure) in failures { failed[file.id] = failure }
                try writer.delete(ids: removed)
                summary.removed = removed.count
                try writer.setActiveModel(modelID)
                try writer.deleteUnusedModels()
                return removed
            }
        } }
        // Reported once committed: these files really left the index.
        for id in removed {
            if let failure = failed[id] { onFailure(failure) }
        }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }

    /// `items` in consecutive chunks, each with the count done once it is.
    private static func chunks<Item>(of items: [Item], size: Int) -> [(done: Int, chunk: [Item])] {
        stride(from: 0, to: items.count, by: size).map { start in
            let end = min(start + size, items.count)
            return (end, Array(items[start..<end]))
        }
    }
}
