/// Why an ``ImageIndex`` call could not be served.
public enum ImageIndexError: Error, Sendable, CustomStringConvertible {
    /// The index has no model to encode images with.
    case noModel(path: String)

    /// Training needs more images than the index holds.
    case tooFewImages(path: String, count: Int, minimum: Int)
    /// Too many indexed files could not be read again to re-encode them; nothing was switched.
    case tooManyUnreadable(path: String, failed: Int, total: Int, example: String)
    /// No indexed image has this row id (never indexed, or removed since).
    case unknownImage(path: String, id: Int64)

    public var description: String {
        switch self {
        case .noModel(let path):
            return "\(path): the index has no model. HINT: create it with the default model or run `imgsearch train`."
        case .tooFewImages(let path, let count, let minimum):
            return "\(path): \(count) indexed images are too few to train a model on; at least \(minimum) are needed. HINT: index more images first, or keep the default model."
        case .tooManyUnreadable(let path, let failed, let total, let example):
            return "\(path): \(failed) of \(total) indexed files could not be read again (for example \(example)); the model was not switched. HINT: if the files are gone, run `imgsearch index` to drop them, then train again."
        case .unknownImage(let path, let id):
            return "\(path): no indexed image has id \(id)."
        }
    }
}
