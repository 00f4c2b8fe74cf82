import ImgSearchCore

/// Why an `index` run could not be done at all (as opposed to single files
/// failing, which are reported as ``IndexingFailure`` and the run goes on).
public enum IndexingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// None of the folders given could be read: nothing was indexed and,
    /// above all, nothing was removed.
    case noFolderReadable([IndexingFailure])
    /// Another process switched the index to a new model while this run was
    /// encoding with the old one; the chunks already written stay valid.
    case activeModelChanged(path: String)

    public var description: String {
        switch self {
        case .noFolderReadable(let failures):
            return failures.map(\.description).joined(separator: "; ") + " (nothing to index)"
        case .activeModelChanged(let path):
            return "\(path): the index switched to another model during this run. HINT: run `imgsearch index` again to encode the rest with the new model"
        }
    }
}
