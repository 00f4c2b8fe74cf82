import ImgSearchCore

/// Turns image files into thumbnails on `jobs` threads: each file is read,
/// hashed when asked, decoded at the smallest DCT scale that covers the
/// thumbnail, turned upright by its EXIF orientation and area-averaged to
/// `side` x `side`. The one loop behind indexing, re-encoding, training on a
/// folder, evaluation sets and duplicate confirmation.
///
/// Results come in the order of the paths, one per path: nil for a file that
/// failed, which is reported through `onFailure` (in path order, after the
/// chunk it belongs to) with its path and reason; the other files load.
/// Callbacks run on the calling thread.
///
/// The orientation is always applied, as ``ImageDecoder`` applies it, and
/// no mirrored copy is made here: no caller wants a file sideways, and the
/// ones that query with a mirror (`query --flip`, `eval`) make it from the
/// thumbnail they hold (``Thumbnail/mirrored``).
///
/// Two ways in:
/// - ``load(_:phase:progress:onFailure:eachChunk:)`` reads and decodes each
///   file in one pass, chunk by chunk, reporting progress after each chunk;
///   ``load(_:phase:progress:onFailure:)`` collects the chunks.
/// - ``read(_:onFailure:)`` then ``decode(_:onFailure:)``, for a caller
///   (the indexer) that looks at each file's size and hash before deciding
///   whether it needs decoding at all; it chunks the work itself.
public struct ThumbnailLoader: Sendable {
    /// Side of the thumbnails; the model's input side (32) or the
    /// duplicate comparison's (16).
    public var side: Int
    /// Threads that read and decode at once. Default 2.
    public var jobs: Int
    /// How files are decoded; `minimumDecodedSide` is raised to `side`.
    public var decodingOptions: ImageDecodingOptions
    /// Whether ``LoadedImage/contentHash`` is taken in the one-pass load.
    /// Default false: only callers that store the hash pay for it.
    public var hashesContents: Bool
    /// When set, each ``LoadedImage`` also carries ``ImageDescriptors``
    /// computed from a decode whose sides are at least this long (the
    /// thumbnail's own decode when that is already as large, or already
    /// full size; else a second decode of the same bytes, so the thumbnail
    /// stays exactly what indexing makes). Default nil: no descriptors.
    public var descriptorSide: Int?
    /// Files per chunk of the one-pass load: the unit of progress, and of
    /// the results a caller can turn into something smaller before the next
    /// chunk is decoded. Default 2048; below 1 counts as 1.
    public var chunkSize: Int

    /// A loader with the settings described on each property.
    public init(
        side: Int = Thumbnail.defaultSide, jobs: Int = 2, decodingOptions: ImageDecodingOptions = .init(),
        hashesContents: Bool = false, descriptorSide: Int? = nil, chunkSize: Int = 2_048
    ) {
        self.side = side
        self.jobs = jobs
        self.decodingOptions = decodingOptions
        self.hashesContents = hashesContents
        self.descriptorSide = descriptorSide
        self.chunkSize = chunkSize
    }

    // MARK: - One pass

    /// Loads `paths` chunk by chunk, handing each chunk's results to
    /// `eachChunk` with the position of its first path, then reporting
    /// progress (`phase`, files done of `paths.count`; once at 0 first).
    public func load(
        _ paths: [String], phase: String = "reading images",
        progress: (WorkProgress) -> Void = { _ in },
        onFailure: (IndexingFailure) -> Void = { _ in },
        eachChunk: (_ offset: Int, _ images: [LoadedImage?]) -> Void
    ) {
        progress(WorkProgress(phase: phase, completed: 0, total: paths.count, unit: "files"))
        let loader = self, chunkSize = max(1, chunkSize)
        for start in stride(from: 0, to: paths.count, by: chunkSize) {
            let end = min(start + chunkSize, paths.count)
            let results = Array(paths[start..<end]).parallelMap(threads: jobs) { path in
                Result { () throws(ImageDecodingError) -> LoadedImage in
                    let bytes = try ImageFile.read(path, checkingSignature: true)
                    return try loader.decode(bytes, path: path, contentHash: loader.hashesContents ? ContentHash.of(bytes) : nil)
                }
            }
            eachChunk(start, Self.values(of: results, onFailure: onFailure))
            progress(WorkProgress(phase: phase, completed: end, total: paths.count, unit: "files"))
        }
    }

    /// Loads `paths`; one result per path, in order (see the type's summary).
    public func load(
        _ paths: [String], phase: String = "reading images",
        progress: (WorkProgress) -> Void = { _ in },
        onFailure: (IndexingFailure) -> Void = { _ in }
    ) -> [LoadedImage?] {
        var images: [LoadedImage?] = []
        images.reserveCapacity(paths.count)
        load(paths, phase: phase, progress: progress, onFailure: onFailure) { _, chunk in images += chunk }
        return images
    }

    // MARK: - Two stages

    /// Reads and hashes `paths`, all at once: the caller bounds how many
    /// bytes that holds.
    public func read(_ paths: [String], onFailure: (IndexingFailure) -> Void = { _ in }) -> [ImageFileContents?] {
        let results = paths.parallelMap(threads: jobs) { path in
            Result { () throws(ImageDecodingError) -> ImageFileContents in
                let bytes = try ImageFile.read(path)
                return ImageFileContents(path: path, bytes: bytes, contentHash: ContentHash.of(bytes))
            }
        }
        return Self.values(of: results, onFailure: onFailure)
    }

    /// Decodes files read by ``read(_:onFailure:)``; their hashes go into
    /// the results whatever ``hashesContents`` says, as they are taken.
    public func decode(_ files: [ImageFileContents], onFailure: (IndexingFailure) -> Void = { _ in }) -> [LoadedImage?] {
        let loader = self
        let results = files.parallelMap(threads: jobs) { file in
            Result { () throws(ImageDecodingError) -> LoadedImage in
                try loader.decode(file.bytes, path: file.path, contentHash: file.contentHash)
            }
        }
        return Self.values(of: results, onFailure: onFailure)
    }

    // MARK: - One file

    /// The thumbnail of one file's bytes. The decoded pixels are dropped
    /// here, on the worker thread, so a chunk holds only its thumbnails.
    private func decode(_ bytes: [UInt8], path: String, contentHash: UInt64?) throws(ImageDecodingError) -> LoadedImage {
        var options = decodingOptions
        options.minimumDecodedSide = max(options.minimumDecodedSide, side)
        let image = try ImageDecoder.decode(bytes, path: path, options: options)
        var descriptors: ImageDescriptors?
        if let descriptorSide {
            var larger = options
            larger.minimumDecodedSide = max(options.minimumDecodedSide, descriptorSide)
            let isFullSize = image.image.width * image.image.height >= image.width * image.height
            let picture = larger == options || isFullSize
                ? image.image : try ImageDecoder.decode(bytes, path: path, options: larger).image
            descriptors = ImageDescriptors(of: picture)
        }
        return LoadedImage(path: path, byteCount: bytes.count, contentHash: contentHash,
                           width: image.width, height: image.height, thumbnail: Thumbnail(of: image.image, side: side),
                           descriptors: descriptors, format: image.format)
    }

    /// The successes of `results` in order, nil where a file failed; each
    /// failure reported in order.
    private static func values<Value>(
        of results: [Result<Value, ImageDecodingError>], onFailure: (IndexingFailure) -> Void
    ) -> [Value?] {
        results.map { result in
            switch result {
            case .success(let value): return value
            case .failure(let error):
                onFailure(IndexingFailure(path: error.path, reason: error.reasonDescription, kind: error.reason.failureKind))
                return nil
            }
        }
    }
}
