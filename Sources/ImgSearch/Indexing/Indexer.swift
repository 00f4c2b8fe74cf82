import Foundation
import ImgSearchCore
import ImgSearchImaging
import ImgSearchLearning

/// Brings the index up to date with a set of folders (see ``IndexPlan``).
///
/// Work goes in chunks of at most ``maximumChunkFiles`` files and
/// ``maximumChunkBytes`` bytes, through a two-stage pipeline: the first
/// stage reads and hashes a chunk in parallel, sorts it into touched, moved
/// and to-encode files, and decodes those in parallel (``ThumbnailLoader``'s
/// read and decode); the second, on its own thread, encodes the chunk in one
/// batch and writes it in one transaction while the first stage prepares the
/// next chunk. A crash loses at most the two chunks in flight, and a new run
/// starts from what was committed. Files that are gone are removed at the
/// end, after every move was seen.
struct Indexer {
    let store: any IndexStorage
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
            let failure = IndexingFailure(path: error.path, reason: error.reason)
            summary.record(failure)
            onFailure(failure)
        }
        let realRoots = roots.map(FolderWalker.resolvedRoot)
        // The walker names a failed root as given and anything below it by
        // the root's real path, the form the stored paths have.
        let unknown = walkErrors.filter(\.leavesContentsUnknown).map { roots.contains($0.path) ? FolderWalker.resolvedRoot($0.path) : $0.path }
        var plan = IndexPlan(found: found, stored: try store.fileStates(), roots: realRoots, unknown: unknown)
        summary.unchanged = plan.unchanged.count
        try recordMissingFormats(of: plan.unchanged)

        let candidates = plan.candidates
        var done = 0
        progress(WorkProgress(phase: "indexing", completed: 0, total: candidates.count, unit: "files"))
        // A pipeline of two stages: while the encoding stage encodes and
        // writes a chunk, the decoding threads prepare the next. The encoding
        // stage splits its chunk over `jobs` threads (``encodeInParts(_:)``).
        var inFlight: (commit: BackgroundWork<ChunkCounts>, files: Int)?
        func finishInFlight() throws {
            guard let (commit, files) = inFlight else { return }
            inFlight = nil
            summary.add(try commit.wait())
            done += files
            progress(WorkProgress(phase: "indexing", completed: done, total: candidates.count, unit: "files"))
        }
        for chunk in chunks(of: candidates) {
            let prepared = prepare(chunk, plan: &plan, summary: &summary, onFailure: onFailure)
            try finishInFlight()
            // Only the commit thread touches the store until it is waited for.
            let committer = UncheckedSendable(self)
            inFlight = (BackgroundWork { try committer.value.commit(prepared) }, chunk.count)
        }
        try finishInFlight()

        let gone = plan.vanished.values.map(\.id)
        summary.removed = gone.count
        summary.seconds = Date().timeIntervalSince(start)
        // The run's record goes with the removals, in the last transaction:
        // `info` shows what the last run skipped, and a run that stopped
        // early (an error thrown above) leaves the record of the one before.
        let run = IndexRun(finishedAt: IndexRun.timestamp(Date()), folders: realRoots, summary: summary)
        try store.write { batch in
            if !gone.isEmpty { try batch.delete(ids: gone) }
            try batch.recordIndexRun(run)
        }
        return summary
    }

    /// Fills in the format of unchanged files indexed before the index
    /// recorded formats, from their first bytes: a read of 64 bytes each,
    /// once, rather than a decode. Changed files get theirs when decoded.
    /// A file whose head is not recognized (it would not decode now either)
    /// keeps NULL and is tried again next run.
    private func recordMissingFormats(of unchanged: [FoundFile]) throws {
        let missing = try store.idsWithoutFormat()
        guard !missing.isEmpty else { return }
        let sniffed = unchanged.filter { missing[$0.path] != nil }.parallelMap(threads: jobs) { file in
            ImageFile.head(file.path).flatMap { ImageFormat(signatureOf: $0) }.map { (file.path, $0.rawValue) }
        }
        let found = sniffed.compactMap { $0 }
        guard !found.isEmpty else { return }
        try store.write { batch in
            for (path, format) in found {
                if let id = missing[path] { try batch.setFormat(id: id, format: format) }
            }
        }
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

    /// A chunk read, sorted and decoded, ready to encode and write.
    struct PreparedChunk: Sendable {
        var touched: [(id: Int64, file: FoundFile)] = []
        var moved: [(id: Int64, file: FoundFile)] = []
        /// Files to encode: new (no id) or changed (the id of their row),
        /// with the hash their read took (non-optional, unlike the image's).
        var decoded: [(id: Int64?, file: FoundFile, image: LoadedImage, contentHash: UInt64)] = []
        /// Each decoded thumbnail's colour histogram, in `decoded`'s order:
        /// counted here, on the decoding threads, since the stage that
        /// encodes and writes is the pipeline's slower one.
        var colours: [ColourHistogram] = []
    }

    /// What one committed chunk adds to the summary.
    struct ChunkCounts: Sendable {
        var unchanged = 0, moved = 0, updated = 0, added = 0
        /// The added and updated files by ``ImageFormat`` raw value.
        var formats: [String: Int] = [:]
    }

    /// Reads, hashes, sorts and decodes a chunk, on `jobs` threads.
    private func prepare(
        _ chunk: [IndexPlan.Candidate], plan: inout IndexPlan,
        summary: inout IndexingSummary, onFailure: (IndexingFailure) -> Void
    ) -> PreparedChunk {
        let loader = ThumbnailLoader(side: encoder.thumbnailSide, jobs: jobs, decodingOptions: decodingOptions)
        func failed(_ failure: IndexingFailure) {
            summary.record(failure)
            onFailure(failure)
        }
        // MARK: Read and hash, in parallel
        let reads = loader.read(chunk.map(\.file.path), onFailure: failed)

        // MARK: Sort into touched, moved, to encode
        var prepared = PreparedChunk()
        var toEncode: [(candidate: IndexPlan.Candidate, contents: ImageFileContents)] = []
        for (candidate, read) in zip(chunk, reads) {
            guard let file = read else { continue }
            let size = Int64(file.bytes.count)
            if let stored = candidate.stored, stored.size == size, stored.contentHash == file.contentHash, stored.hasColour {
                prepared.touched.append((stored.id, candidate.file))
            } else if candidate.stored == nil, let origin = plan.claimMovedFile(size: size, contentHash: file.contentHash) {
                prepared.moved.append((origin.state.id, candidate.file))
            } else {
                toEncode.append((candidate, file))
            }
        }

        // MARK: Decode, in parallel
        let decoded = loader.decode(toEncode.map(\.contents), onFailure: failed)
        for (item, image) in zip(toEncode, decoded) {
            guard let image else { continue }
            prepared.decoded.append((item.candidate.stored?.id, item.candidate.file, image, item.contents.contentHash))
        }
        prepared.colours = prepared.decoded.map(\.image.thumbnail).parallelMap(threads: jobs) { ColourHistogram(of: $0) }
        return prepared
    }

    /// Encodes a prepared chunk in one batch and writes it in one transaction.
    private func commit(_ prepared: PreparedChunk) throws -> ChunkCounts {
        let codes = try encodeInParts(prepared.decoded.map(\.image.thumbnail))

        // MARK: Write, in one batch
        try store.write { writer in
            // Codes of two models must not mix under one active model: if
            // another process switched models since this run began, stop.
            guard try store.activeModelID() == modelID else {
                throw IndexingError.activeModelChanged(path: store.location)
            }
            for (id, file) in prepared.touched {
                try writer.refresh(id: id, modificationTime: file.modificationTime)
            }
            for (id, file) in prepared.moved {
                try writer.move(id: id, to: file.path, size: file.size, modificationTime: file.modificationTime)
            }
            for (((id, file, image, contentHash), code), colour) in zip(zip(prepared.decoded, codes), prepared.colours) {
                // An insert ignores the id; the row gets a new one.
                let record = ImageRecord(
                    id: id ?? 0, path: file.path, size: Int64(image.byteCount),
                    modificationTime: file.modificationTime, contentHash: contentHash,
                    width: image.width, height: image.height, hash: code.hash, code: code.code, modelID: modelID,
                    colour: colour, format: image.format?.rawValue)
                if id != nil { try writer.update(record) } else { try writer.insert(record) }
            }
        }
        let updated = prepared.decoded.filter { $0.id != nil }.count
        var formats: [String: Int] = [:]
        for item in prepared.decoded { formats[item.image.format?.rawValue ?? "unknown", default: 0] += 1 }
        return ChunkCounts(unchanged: prepared.touched.count, moved: prepared.moved.count,
                           updated: updated, added: prepared.decoded.count - updated, formats: formats)
    }
}

extension Indexer {
    /// Codes for `thumbnails`, encoded in `jobs` parts at once, each on its
    /// own thread; the caller sets a single-threaded BLAS (the process-wide
    /// setting is the program's to choose, not the library's).
    ///
    /// Why not one product on a multi-threaded BLAS: between products
    /// OpenBLAS's idle workers spin (`sched_yield`), taking a core from the
    /// decoding threads and from the features, which run between the
    /// products; that was an eighth of the indexer's CPU time.
    func encodeInParts(_ thumbnails: [Thumbnail]) throws -> [SemanticCode] {
        let parts = max(1, min(jobs, thumbnails.count / 64))
        guard parts > 1 else { return thumbnails.isEmpty ? [] : try encoder.encode(thumbnails) }
        let encoder = self.encoder
        let slices = (0..<parts).map { part in
            Array(thumbnails[(thumbnails.count * part / parts)..<(thumbnails.count * (part + 1) / parts)])
        }
        let encoded = slices.parallelMap(threads: parts) { slice in Result { try encoder.encode(slice) } }
        return try encoded.flatMap { try $0.get() }
    }
}

extension IndexingSummary {
    mutating func add(_ counts: Indexer.ChunkCounts) {
        unchanged += counts.unchanged
        moved += counts.moved
        updated += counts.updated
        added += counts.added
        formats.merge(counts.formats, uniquingKeysWith: +)
    }
}
