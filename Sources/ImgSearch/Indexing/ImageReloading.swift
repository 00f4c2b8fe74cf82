/// An indexed image as the index knows it: enough to tell whether the row
/// changed while a new model was being trained.
struct IndexedFile: Sendable, Equatable {
    let id: Int64
    let path: String
    let size: Int64
    let contentHash: UInt64
}

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

    /// Reloads `files` on `jobs` threads and encodes the decodable ones in
    /// one batch; returns the finished records and the failures, in order.
    static func reencode(
        _ files: [IndexedFile], encoder: any SemanticEncoder, modelID: Int64, jobs: Int
    ) throws -> (records: [ImageRecord], failures: [(file: IndexedFile, error: ImageDecodingError)]) {
        let side = encoder.thumbnailSide
        let results = files.parallelMap(threads: jobs) { reload($0, side: side) }
        var loaded: [ReloadedImage] = []
        var failures: [(file: IndexedFile, error: ImageDecodingError)] = []
        for (file, result) in zip(files, results) {
            switch result {
            case .success(let image): loaded.append(image)
            case .failure(let error): failures.append((file, error))
            }
        }
        let codes = loaded.isEmpty ? [] : try encoder.encode(loaded.map(\.thumbnail))
        let records = zip(loaded, codes).map { image, code in
            var record = image.record
            record.code = code.code
            record.hash = code.hash
            record.modelID = modelID
            return record
        }
        return (records, failures)
    }
}
