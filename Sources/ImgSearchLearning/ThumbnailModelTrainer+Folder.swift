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
        ThumbnailLoader(side: side, jobs: jobs).load(
            files.map(\.path), phase: "reading images", progress: progress, onFailure: onFailure
        ) { _, images in
            for case let image? in images { thumbnails.append(image.thumbnail) }
        }
        return thumbnails
    }
}
