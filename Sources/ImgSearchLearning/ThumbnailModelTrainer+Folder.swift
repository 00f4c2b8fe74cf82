import ImgSearchCore
import ImgSearchImaging

extension ThumbnailModelTrainer {
    /// The thumbnail side the first layer implies (3 * side * side inputs).
    public static func thumbnailSide(for settings: ThumbnailModelSettings) throws -> Int {
        let inputSize = settings.layerSizes.first ?? 0
        let side = Int(Double(inputSize / 3).squareRoot().rounded())
        guard side > 0, 3 * side * side == inputSize else {
            throw TrainingError.invalidConfiguration("the first layer (\(inputSize)) is not a square RGB thumbnail (3 * side * side)")
        }
        return side
    }

    /// The thumbnails of every decodable image below `folder`, in path order,
    /// decoded on `jobs` threads; the side is the one `settings` implies.
    /// Files that fail are reported through `onFailure` and left out.
    public static func thumbnails(
        inFolder folder: String, settings: ThumbnailModelSettings, jobs: Int, limit: Int? = nil,
        progress: (WorkProgress) -> Void = { _ in },
        onFailure: (IndexingFailure) -> Void = { _ in }
    ) throws -> [Thumbnail] {
        let side = try thumbnailSide(for: settings)
        var files = FolderWalker.files(under: [folder]) { onFailure(IndexingFailure(path: $0.path, reason: $0.reason)) }
        if let limit { files = Array(files.prefix(limit)) }
        var thumbnails: [Thumbnail] = []
        thumbnails.reserveCapacity(files.count)
        progress(WorkProgress(phase: "reading images", completed: 0, total: files.count, unit: "files"))
        // Chunks keep memory bounded and let progress move.
        for start in stride(from: 0, to: files.count, by: 2_048) {
            let chunk = Array(files[start..<min(start + 2_048, files.count)])
            let results = chunk.map(\.path).parallelMap(threads: jobs) { path in
                Result { () throws(ImageDecodingError) -> Thumbnail in try ImageDecoder.thumbnail(contentsOf: path, side: side) }
            }
            for result in results {
                switch result {
                case .success(let thumbnail): thumbnails.append(thumbnail)
                case .failure(let error): onFailure(IndexingFailure(path: error.path, reason: error.reasonDescription))
                }
            }
            progress(WorkProgress(phase: "reading images", completed: start + chunk.count, total: files.count, unit: "files"))
        }
        return thumbnails
    }
}
