import Foundation
import ImgSearchCore

/// Damage: finding it, refusing to build on it, and repairing it.
extension ImageIndex {
    /// Checks the index for damage (``IndexCheckReport``): SQLite's
    /// `quick_check` (`integrity_check` when `full`: slower, also checks
    /// every index's contents), every hash block, image row and model
    /// against its checksum, the blocks against the rows, and rows whose
    /// model is gone. Reads the whole index; writes nothing, so it works on
    /// a read-only index too.
    public func check(full: Bool = false) throws -> IndexCheckReport {
        try connections.reading { try $0.check(full: full) }
    }

    /// Repairs what ``check(full:)`` finds: hash blocks are rebuilt from
    /// the rows, a row whose hash alone was damaged gets it back from its
    /// code, and rows that cannot be mended (a damaged code or colour, a
    /// model that is gone) are removed and their files, where they still
    /// exist, indexed again. A damaged model that no image uses is deleted;
    /// a damaged active model cannot be rebuilt and is reported in
    /// ``IndexRepairSummary/unrepairable``. Holds the write lock throughout.
    public func repair(jobs: Int = 2, onWait: () -> Void = {},
                       onFailure: (IndexingFailure) -> Void = { _ in }) throws -> IndexRepairSummary {
        var summary = try connections.writing(onBusy: onWait) { storage in
            try storage.withWriteLock(onWait: onWait) {
                let report = try storage.check(full: false)
                return try storage.repair(report) { modelID, code in
                    (try? cache.encoder(modelID: modelID) {
                        guard let model = try storage.model(id: modelID) else { throw ImageIndexError.noModel(path: path) }
                        return try makeEncoder(model)
                    }).flatMap { try? $0.hash(code) }
                }
            }
        }
        let existing = summary.rowsRemoved.filter { FileManager.default.fileExists(atPath: $0) }
        if !existing.isEmpty, summary.unrepairable.isEmpty {
            _ = try index(folders: existing, jobs: jobs, onWait: onWait, onFailure: onFailure)
            summary.reindexed = existing
        }
        return summary
    }

    /// The cheap checks a writer makes before it writes: every stored model
    /// and every hash block against its checksum (a few MB at a million
    /// images). A writer that built on damaged data would spread it (an
    /// `index` run that finds every file unchanged would leave a damaged
    /// block as it is and report success).
    /// - Throws: ``IndexDamageError`` naming what is damaged.
    func refuseIfDamaged(on storage: any IndexStorage) throws {
        if let active = try storage.activeModelID() { _ = try storage.model(id: active) }
        _ = try storage.loadHashes()
    }
}
