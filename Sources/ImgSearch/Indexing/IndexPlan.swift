import ImgSearchImaging

/// What an incremental `index` run has to do, decided from file metadata
/// alone before any file is read.
///
/// - unchanged: indexed with the same size and modification time (and a
///   stored colour histogram); skipped
///   without being read.
/// - candidates: new paths, rows without a colour histogram (from an
///   index made before they were stored) and indexed paths whose size or modification
///   time changed; each is read and hashed, then it is a move (its bytes
///   equal a vanished file's), a touch (same bytes as stored), or must be
///   decoded and encoded.
/// - vanished: indexed paths below the folders being indexed that are no
///   longer there; removed at the end unless a candidate turns out to be
///   the same file moved.
///
/// Paths indexed from other folders are left alone, so indexing a second
/// folder into the same database does not remove the first. So are paths at
/// or below a folder the walk could not look into (`unknown`): a folder that
/// is missing or unreadable today has not had its files deleted.
struct IndexPlan {
    struct Candidate: Equatable {
        let file: FoundFile
        /// The stored state when the path is already indexed (a changed file).
        let stored: StoredFileState?
    }

    private(set) var unchanged: [FoundFile] = []
    private(set) var candidates: [Candidate] = []
    private(set) var vanished: [String: StoredFileState] = [:]

    private struct ContentKey: Hashable {
        let size: Int64
        let contentHash: UInt64
    }
    /// Vanished paths by size and content hash, so that matching a folder of
    /// moved files costs one lookup per file.
    private var vanishedByContent: [ContentKey: [String]] = [:]

    init(found: [FoundFile], stored: [String: StoredFileState], roots: [String], unknown: [String] = []) {
        var seen = Set<String>()
        for file in found where seen.insert(file.path).inserted {
            if let state = stored[file.path] {
                if state.size == file.size && state.modificationTime == file.modificationTime && state.hasColour {
                    unchanged.append(file)
                } else {
                    candidates.append(Candidate(file: file, stored: state))
                }
            } else {
                candidates.append(Candidate(file: file, stored: nil))
            }
        }
        let prefixes = roots.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        let unknownPrefixes = unknown.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        for (path, state) in stored where !seen.contains(path) {
            if unknown.contains(path) || unknownPrefixes.contains(where: { path.hasPrefix($0) }) { continue }
            if roots.contains(path) || prefixes.contains(where: { path.hasPrefix($0) }) {
                vanished[path] = state
                vanishedByContent[ContentKey(size: state.size, contentHash: state.contentHash), default: []].append(path)
            }
        }
    }

    /// Claims the vanished file with the same bytes as a new file, if any.
    mutating func claimMovedFile(size: Int64, contentHash: UInt64) -> (path: String, state: StoredFileState)? {
        let key = ContentKey(size: size, contentHash: contentHash)
        while let path = vanishedByContent[key]?.popLast() {
            if let state = vanished.removeValue(forKey: path) {
                return (path, state)
            }
        }
        return nil
    }
}
