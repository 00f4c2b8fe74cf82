import Foundation

/// A file the indexer could not read or decode, with the reason.
public struct IndexingFailure: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Brings the index up to date with a set of folders (see ``IndexPlan``).
///
/// Work goes in chunks of at most ``maximumChunkFiles`` files and
/// ``maximumChunkBytes`` bytes: each chunk is read and hashed in parallel,
/// sorted into touched, moved and to-encode files, decoded in parallel,
/// encoded in one batch, and written in one transaction. A crash loses at
/// most the chunk in flight, and a new run starts from what was committed.
/// Files that are gone are removed at the end, after every move was seen.
struct Indexer {
    let store: IndexStore
    let encoder: any SemanticEncoder
    let modelID: Int64
    var jobs: Int = 2
    var decodingOptions = ImageDecodingOptions()
    var maximumChunkFiles = 512
    var maximumChunkBytes = 64 << 20

    func run(
        roots: [String],
        progress: (WorkProgress) -> Void = { _ in },
        onFailure: (IndexingFailure) -> Void = { _ in }
    ) throws -> IndexingSummary {
        let start = Date()
        var summary = IndexingSummary()
        var walkErrors: [WalkError] = []
        let found = FolderWalker.files(under: roots) { walkErrors.append($0) }
        let rootFailures = walkErrors.filter { roots.contains($0.path) }
        if found.isEmpty && !roots.isEmpty && Set(rootFailures.map(\.path)) == Set(roots) {
            throw IndexingError.noFolderReadable(rootFailures.map { IndexingFailure(path: $0.path, reason: $0.reason) })
        }
        for error in walkErrors {
            summary.failed += 1
            onFailure(IndexingFailure(path: error.path, reason: error.reason))
        }
        let realRoots = roots.map(ImageIndex.realPath)
        // The walker names a failed root as given and anything below it by
        // the root's real path, the form the stored paths have.
        let unknown = walkErrors.filter(\.leavesContentsUnknown).map { roots.contains($0.path) ? ImageIndex.realPath($0.path) : $0.path }
        var plan = IndexPlan(found: found, stored: try store.fileStates(), roots: realRoots, unknown: unknown)
        summary.unchanged = plan.unchanged.count

        let candidates = plan.candidates
        var done = 0
        progress(WorkProgress(phase: "indexing", completed: 0, total: candidates.count, unit: "files"))
        for chunk in chunks(of: candidates) {
            try index(chunk, plan: &plan, summary: &summary, onFailure: onFailure)
            done += chunk.count
            progress(WorkProgress(phase: "indexing", completed: done, total: candidates.count, unit: "files"))
        }

        let gone = plan.vanished.values.map(\.id)
        if !gone.isEmpty {
            try store.write { try $0.delete(ids: gone) }
        }
        summary.removed = gone.count
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }

    /// Splits the candidates by count and by total size on disk.
    private func chunks(of candidates: [IndexPlan.Candidate]) -> [[IndexPlan.Candidate]] {
        var chunks: [[IndexPlan.Candidate]] = [], current: [IndexPlan.Candidate] = [], bytes: Int64 = 0
        for candidate in candidates {
            if !current.isEmpty && (current.count >= maximumChunkFiles || bytes + candidate.file.size > Int64(maximumChunkBytes)) {
                chunks.append(current)
                current = []
                bytes = 0
            }
            current.append(candidate)
            bytes += candidate.file.size
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }

    private struct ReadFile: Sendable {
        let bytes: [UInt8]
        let contentHash: UInt64
    }

    private func index(
        _ chunk: [IndexPlan.Candidate], plan: inout IndexPlan,
        summary: inout IndexingSummary, onFailure: (IndexingFailure) -> Void
    ) throws {
        // MARK: Read and hash, in parallel
        let reads = chunk.map(\.file.path).parallelMap(threads: jobs) { path -> Result<ReadFile, ImageDecodingError> in
            Result { () throws(ImageDecodingError) -> ReadFile in
                let bytes = try ImageFile.read(path)
                return ReadFile(bytes: bytes, contentHash: ContentHash.of(bytes))
            }
        }

        // MARK: Sort into touched, moved, to encode
        var touched: [(id: Int64, file: FoundFile)] = []
        var moved: [(id: Int64, file: FoundFile)] = []
        var toEncode: [(candidate: IndexPlan.Candidate, read: ReadFile)] = []
        for (candidate, read) in zip(chunk, reads) {
            switch read {
            case .failure(let error):
                summary.failed += 1
                onFailure(IndexingFailure(path: error.path, reason: error.reasonDescription))
            case .success(let file):
                let size = Int64(file.bytes.count)
                if let stored = candidate.stored, stored.size == size, stored.contentHash == file.contentHash {
                    touched.append((stored.id, candidate.file))
                } else if candidate.stored == nil, let origin = plan.claimMovedFile(size: size, contentHash: file.contentHash) {
                    moved.append((origin.state.id, candidate.file))
                } else {
                    toEncode.append((candidate, file))
                }
            }
        }

        // MARK: Decode, in parallel, then encode in one batch
        let options = decodingOptions
        let side = encoder.thumbnailSide
        let decoded = toEncode.parallelMap(threads: jobs) { item -> Result<(DecodedImage, Thumbnail), ImageDecodingError> in
            Result { () throws(ImageDecodingError) -> (DecodedImage, Thumbnail) in
                var sized = options
                sized.minimumDecodedSide = max(options.minimumDecodedSide, side)
                let image = try ImageDecoder.decode(item.read.bytes, path: item.candidate.file.path, options: sized)
                return (image, Thumbnail(of: image.image, side: side))
            }
        }
        var records: [(record: ImageRecord, isUpdate: Bool)] = []
        var thumbnails: [Thumbnail] = []
        for (item, result) in zip(toEncode, decoded) {
            switch result {
            case .failure(let error):
                summary.failed += 1
                onFailure(IndexingFailure(path: error.path, reason: error.reasonDescription))
            case .success(let (image, thumbnail)):
                let file = item.candidate.file
                records.append((ImageRecord(
                    id: item.candidate.stored?.id ?? 0, path: file.path, size: Int64(item.read.bytes.count),
                    modificationTime: file.modificationTime, contentHash: item.read.contentHash,
                    width: image.width, height: image.height, hash: 0, code: [], modelID: modelID),
                    item.candidate.stored != nil))
                thumbnails.append(thumbnail)
            }
        }
        let codes = thumbnails.isEmpty ? [] : try encoder.encode(thumbnails)

        // MARK: Write, in one transaction
        try store.write { writer in
            // Codes of two models must not mix under one active model: if
            // another process switched models since this run began, stop.
            guard try store.activeModelID() == modelID else {
                throw IndexingError.activeModelChanged(path: store.path)
            }
            for (id, file) in touched {
                try writer.refresh(id: id, modificationTime: file.modificationTime)
            }
            for (id, file) in moved {
                try writer.move(id: id, to: file.path, size: file.size, modificationTime: file.modificationTime)
            }
            for ((record, isUpdate), code) in zip(records, codes) {
                var record = record
                record.code = code.code
                record.hash = code.hash
                if isUpdate { try writer.update(record) } else { try writer.insert(record) }
            }
        }
        summary.unchanged += touched.count
        summary.moved += moved.count
        summary.updated += records.filter(\.isUpdate).count
        summary.added += records.filter { !$0.isUpdate }.count
    }
}
