import ImgSearchImaging
import ImgSearchLearning

/// An indexed file read and decoded again, for re-encoding with a new model:
/// its record as it is on disk now (code and hash still empty) and its thumbnail.
struct ReloadedImage: Sendable {
    var record: ImageRecord
    var thumbnail: Thumbnail
}

enum ImageReloading {
    /// Reads, hashes and decodes the file behind an indexed row.
    static func reload(_ file: IndexedFile, side: Int, options: ImageDecodingOptions = .init())
        -> Result<ReloadedImage, ImageDecodingError>
    {
        Result { () throws(ImageDecodingError) -> ReloadedImage in
            let bytes = try ImageFile.read(file.path)
            var sized = options
            sized.minimumDecodedSide = max(options.minimumDecodedSide, side)
            let image = try ImageDecoder.decode(bytes, path: file.path, options: sized)
            // The size and time stored are those of what was decoded, so the
            // next `index` run sees a file changed after this read as changed.
            let modificationTime = FoundFile(statingPath: file.path)?.modificationTime ?? 0
            let record = ImageRecord(
                id: file.id, path: file.path, size: Int64(bytes.count), modificationTime: modificationTime,
                contentHash: ContentHash.of(bytes), width: image.width, height: image.height,
                hash: 0, code: [], modelID: 0)
            return ReloadedImage(record: record, thumbnail: Thumbnail(of: image.image, side: side))
        }
    }

    /// Reloads `files` on `jobs` threads: the decodable ones, and the
    /// failures with their reasons, each in order.
    static func load(
        _ files: [IndexedFile], side: Int, jobs: Int
    ) -> (images: [ReloadedImage], failures: [(file: IndexedFile, error: ImageDecodingError)]) {
        var images: [ReloadedImage] = []
        var failures: [(file: IndexedFile, error: ImageDecodingError)] = []
        for (file, result) in zip(files, files.parallelMap(threads: jobs) { reload($0, side: side) }) {
            switch result {
            case .success(let image): images.append(image)
            case .failure(let error): failures.append((file, error))
            }
        }
        return (images, failures)
    }

    /// The records of reloaded images with their codes from `encoder`, in one batch.
    static func encode(_ images: [ReloadedImage], encoder: any SemanticEncoder, modelID: Int64) throws -> [ImageRecord] {
        let codes = images.isEmpty ? [] : try encoder.encode(images.map(\.thumbnail))
        return zip(images, codes).map { image, code in
            var record = image.record
            record.code = code.code
            record.hash = code.hash
            record.modelID = modelID
            return record
        }
    }

    /// ``load(_:side:jobs:)`` then ``encode(_:encoder:modelID:)``.
    static func reencode(
        _ files: [IndexedFile], encoder: any SemanticEncoder, modelID: Int64, jobs: Int
    ) throws -> (records: [ImageRecord], failures: [(file: IndexedFile, error: ImageDecodingError)]) {
        let (images, failures) = load(files, side: encoder.thumbnailSide, jobs: jobs)
        return (try encode(images, encoder: encoder, modelID: modelID), failures)
    }
}
