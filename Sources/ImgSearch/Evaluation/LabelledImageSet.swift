import Foundation
import ImgSearchCore
import ImgSearchImaging
import ImgSearchLinearAlgebra

/// Images with class labels, for measuring retrieval quality: every image
/// below a folder, labelled with the name of the folder that holds it
/// (`DIR/<label>/.../image.jpg` is labelled by its parent folder's name, as
/// CIFAR-10's `train/<class>/NNNN.jpg` layout is).
public struct LabelledImageSet: Sendable {
    /// The images' paths, as the walk found them (real paths).
    public var paths: [String]
    /// One label per image.
    public var labels: [String]
    /// One thumbnail per image.
    public var thumbnails: [Thumbnail]
    /// One set of classic descriptors per image (the HSV histogram, pHash,
    /// dHash), or nil when they were not computed.
    public var descriptors: [ImageDescriptors]?

    /// Images given directly; the arrays must have the same length.
    public init(paths: [String], labels: [String], thumbnails: [Thumbnail], descriptors: [ImageDescriptors]? = nil) {
        precondition(paths.count == labels.count && labels.count == thumbnails.count
                     && (descriptors?.count ?? paths.count) == paths.count, "one path, label and thumbnail per image")
        self.paths = paths
        self.labels = labels
        self.thumbnails = thumbnails
        self.descriptors = descriptors
    }

    /// Number of images.
    public var count: Int { paths.count }

    /// Every decodable image below `folder`, in path order, decoded on
    /// `jobs` threads. Files that cannot be decoded (and folders that cannot
    /// be read) are reported through `onFailure` and left out.
    /// - Parameter describes: also compute each image's ``ImageDescriptors``
    ///   (from a decode of at least ``ImageDescriptors/defaultDecodedSide``),
    ///   for the classic baselines; the thumbnails are the same either way.
    /// - Throws: ``EvaluationError`` when no image could be read.
    public static func load(
        folder: String, side: Int = Thumbnail.defaultSide, jobs: Int = 2, describes: Bool = false,
        progress: (WorkProgress) -> Void = { _ in },
        onFailure: (IndexingFailure) -> Void = { _ in }
    ) throws -> LabelledImageSet {
        let files = FolderWalker.files(under: [folder]) { onFailure(IndexingFailure(path: $0.path, reason: $0.reason)) }
        var set = LabelledImageSet(paths: [], labels: [], thumbnails: [], descriptors: describes ? [] : nil)
        let phase = "reading \((folder as NSString).lastPathComponent)"
        let loader = ThumbnailLoader(side: side, jobs: jobs, descriptorSide: describes ? ImageDescriptors.defaultDecodedSide : nil)
        loader.load(
            files.map(\.path), phase: phase, progress: progress, onFailure: onFailure
        ) { _, images in
            for case let image? in images {
                set.paths.append(image.path)
                set.labels.append(label(of: image.path))
                set.thumbnails.append(image.thumbnail)
                if let descriptors = image.descriptors { set.descriptors?.append(descriptors) }
            }
        }
        guard set.count > 0 else { throw EvaluationError("\(folder): no readable image below this folder") }
        return set
    }

    /// The name of the folder holding `path`.
    public static func label(of path: String) -> String {
        ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
    }

    /// The images in the order `order` names (a permutation or a subset).
    public func reordered(_ order: [Int]) -> LabelledImageSet {
        LabelledImageSet(paths: order.map { paths[$0] }, labels: order.map { labels[$0] },
                         thumbnails: order.map { thumbnails[$0] }, descriptors: descriptors.map { all in order.map { all[$0] } })
    }

    /// The thumbnails as one matrix, `(count, 3 * side * side)`.
    public var thumbnailMatrix: Matrix {
        let width = thumbnails.first?.values.count ?? 0
        var elements: [Float] = []
        elements.reserveCapacity(count * width)
        for thumbnail in thumbnails { elements.append(contentsOf: thumbnail.values) }
        return Matrix(rows: count, columns: width, elements: elements)
    }
}
