import ImgSearchCore
import ImgSearchImaging
import ImgSearchLearning

/// An indexed file read and decoded again, for re-encoding with a new model:
/// the file as it is on disk now, and its thumbnail. Its row is made only
/// once its code exists (``record(code:modelID:)``).
struct ReloadedImage: Sendable {
    /// The row it was read for.
    var id: Int64
    /// Taken before the file was read (see ``ImageReloading/load(_:side:jobs:)``).
    var modificationTime: Int64
    var contentHash: UInt64
    /// Path, size, upright sides and thumbnail, as decoded.
    var image: LoadedImage

    var thumbnail: Thumbnail { image.thumbnail }

    /// The row of this file with `code`, made by the model `modelID`.
    func record(code: SemanticCode, modelID: Int64) -> ImageRecord {
        ImageRecord(
            id: id, path: image.path, size: Int64(image.byteCount), modificationTime: modificationTime,
            contentHash: contentHash, width: image.width, height: image.height,
            hash: code.hash, code: code.code, modelID: modelID, colour: ColourHistogram(of: thumbnail),
            format: image.format?.rawValue)
    }
}

enum ImageReloading {
    /// Reloads `files` on `jobs` threads: the decodable ones, and the
    /// failures with their reasons, each in order.
    static func load(
        _ files: [IndexedFile], side: Int, jobs: Int
    ) -> (images: [ReloadedImage], failures: [(file: IndexedFile, failure: IndexingFailure)]) {
        // The time is taken before the read, so the next `index` run sees a
        // file changed after it as changed: its time is then later than the
        // one stored. Taken after the read, a change between the two would
        // pass for unchanged, with the old file's code.
        let modificationTimes = files.map { FoundFile(statingPath: $0.path)?.modificationTime ?? 0 }
        var failed: [String: IndexingFailure] = [:]  // paths are unique in an index
        let loaded = ThumbnailLoader(side: side, jobs: jobs, hashesContents: true)
            .load(files.map(\.path), onFailure: { failed[$0.path] = $0 })
        var images: [ReloadedImage] = []
        var failures: [(file: IndexedFile, failure: IndexingFailure)] = []
        for (file, (image, modificationTime)) in zip(files, zip(loaded, modificationTimes)) {
            if let image {
                guard let contentHash = image.contentHash else {
                    preconditionFailure("a loader asked to hash contents hashes every file it loads")
                }
                images.append(ReloadedImage(id: file.id, modificationTime: modificationTime, contentHash: contentHash, image: image))
            } else if let failure = failed[file.path] {
                failures.append((file, failure))
            }
        }
        return (images, failures)
    }

    /// The records of reloaded images with their codes from `encoder`, in one batch.
    static func encode(_ images: [ReloadedImage], encoder: any SemanticEncoder, modelID: Int64) throws -> [ImageRecord] {
        let codes = images.isEmpty ? [] : try encoder.encode(images.map(\.thumbnail))
        return zip(images, codes).map { image, code in image.record(code: code, modelID: modelID) }
    }

    /// ``load(_:side:jobs:)`` then ``encode(_:encoder:modelID:)``.
    static func reencode(
        _ files: [IndexedFile], encoder: any SemanticEncoder, modelID: Int64, jobs: Int
    ) throws -> (records: [ImageRecord], failures: [(file: IndexedFile, failure: IndexingFailure)]) {
        let (images, failures) = load(files, side: encoder.thumbnailSide, jobs: jobs)
        return (try encode(images, encoder: encoder, modelID: modelID), failures)
    }
}
