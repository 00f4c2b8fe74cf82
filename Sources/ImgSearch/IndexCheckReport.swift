/// What ``ImageIndex/check(full:)`` found: SQLite's own verdict, and the
/// checks it cannot make (each hash block, row and model against its
/// checksum, the blocks against the rows, rows whose model is gone).
public struct IndexCheckReport: Sendable, Codable, Equatable {
    /// An image row named in the report.
    public struct Row: Sendable, Codable, Equatable {
        public var id: Int64
        public var path: String
    }

    /// The index checked.
    public var path: String
    /// `PRAGMA quick_check` (or `integrity_check` when full): `["ok"]`, or
    /// SQLite's messages.
    public var storageCheck: [String]
    /// Image rows, hash blocks and models read.
    public var images: Int
    public var hashBlocks: Int
    public var models: Int
    /// Hash blocks whose bytes fail their checksum.
    public var damagedBlocks: [Int64]
    /// Hash blocks that pass their checksum but disagree with the rows
    /// (or are missing, or have no rows): rebuilt by a repair.
    public var staleBlocks: [Int64]
    /// Rows whose hash, code or colour fail their checksum.
    public var damagedRows: [Row]
    /// Rows written before the index stored checksums and not since
    /// (none after the version 4 migration; counted for a read-only look at
    /// an older index).
    public var rowsWithoutChecksum: Int
    /// Models whose file fails its checksum.
    public var damagedModels: [Int64]
    /// Rows that name a model the index does not hold.
    public var rowsWithUnknownModel: [Row]
    /// The index names an active model it does not hold.
    public var activeModelMissing: Bool
    /// Parts that could not be read at all, with SQLite's reason (a broken
    /// page): the index is damaged beyond what `repair` mends.
    public var unreadable: [String]

    /// Nothing damaged, stale or missing.
    public var isSound: Bool {
        storageCheck == ["ok"] && unreadable.isEmpty && damagedBlocks.isEmpty && staleBlocks.isEmpty && damagedRows.isEmpty
            && damagedModels.isEmpty && rowsWithUnknownModel.isEmpty && !activeModelMissing
    }

    /// Whether the file's own structure is broken (SQLite's check failed,
    /// or a part could not be read): beyond what `repair` mends.
    public var isStructureDamaged: Bool {
        storageCheck != ["ok"] || !unreadable.isEmpty
    }

    /// One line per problem, for people, at most `limit` of each kind
    /// (then a line saying how many more).
    public func problems(limit: Int = 10) -> [String] {
        var lines: [String] = []
        func add(_ more: [String]) {
            lines += more.prefix(limit)
            if more.count > limit { lines.append("... and \(more.count - limit) more like it") }
        }
        if storageCheck != ["ok"] { add(storageCheck.map { "SQLite: \($0)" }) }
        add(unreadable.map { "cannot read \($0)" })
        add(damagedBlocks.map { "hash block \($0): fails its checksum (rebuilt from the rows by `imgsearch repair`)" })
        add(staleBlocks.map { "hash block \($0): disagrees with the image rows (rebuilt by `imgsearch repair`)" })
        add(damagedRows.map { "image \($0.id) (\($0.path)): its hash, code or colour fails its checksum" })
        add(damagedModels.map { "model \($0): its file fails its checksum" })
        add(rowsWithUnknownModel.map { "image \($0.id) (\($0.path)): encoded by a model the index does not hold" })
        if activeModelMissing { lines.append("the active model is missing") }
        return lines
    }
}

/// What ``ImageIndex/repair(jobs:onFailure:)`` did.
public struct IndexRepairSummary: Sendable, Codable, Equatable {
    /// Hash blocks rebuilt from the rows.
    public var blocksRebuilt: Int
    /// Rows whose hash was damaged and made again from their intact code.
    public var hashesRemade: Int
    /// Rows removed because their code or colour was damaged (or their
    /// model gone), by path; those whose file still exists were indexed
    /// again (``reindexed``).
    public var rowsRemoved: [String]
    /// Of ``rowsRemoved``, the files indexed again.
    public var reindexed: [String]
    /// Damaged models no image uses, deleted.
    public var modelsDeleted: Int
    /// What could not be repaired, in words (a damaged active model).
    public var unrepairable: [String]
}
