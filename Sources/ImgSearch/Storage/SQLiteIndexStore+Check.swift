import ImgSearchCore

/// `imgsearch check` and `imgsearch repair` on the SQLite index.
extension SQLiteIndexStore {
    /// Checks the whole index: SQLite's `quick_check` (`integrity_check`
    /// when `full`), then every hash block, row and model against its
    /// checksum, every block against the rows it was built from, and every
    /// row's model. Reads everything once, in one snapshot; writes nothing.
    func check(full: Bool) throws -> IndexCheckReport {
        try readingOneSnapshot {
            var report = IndexCheckReport(
                path: path, storageCheck: [], images: 0, hashBlocks: 0, models: 0, damagedBlocks: [],
                staleBlocks: [], damagedRows: [], rowsWithoutChecksum: 0, damagedModels: [], rowsWithUnknownModel: [],
                activeModelMissing: false, unreadable: [])
            // Each part on its own: a part SQLite cannot read (a broken
            // page) is reported, and the other parts are still checked.
            func checking(_ part: String, _ body: () throws -> Void) {
                do { try body() } catch { report.unreadable.append("\(part): \(error)") }
            }
            checking("SQLite's check") {
                let pragma = try connection.prepare(full ? "PRAGMA integrity_check" : "PRAGMA quick_check")
                // One row per problem, or one row with a line per problem.
                while try pragma.step() {
                    report.storageCheck += pragma.text(0).split(separator: "\n").map(String.init).filter { !$0.hasPrefix("*** in database") }
                }
            }

            var modelIDs = Set<Int64>()
            var modelsRead = false
            checking("the models") {
            let models = try connection.prepare("SELECT id, length(file), \(hasChecksums ? "checksums" : "NULL") FROM models")
            while try models.step() {
                let id = models.integer(0)
                modelIDs.insert(id)
                if !models.isNull(2) {
                    let file = try SQLiteBlob(connection: connection, table: "models", column: "file", rowid: id)
                    if StoredChecksums.firstDamagedModelChunk(try file.read(offset: 0, length: file.count),
                                                              fileLength: file.count, stored: models.blob(2)) != nil {
                        report.damagedModels.append(id)
                    }
                }
            }
            report.models = modelIDs.count
            if let active = try activeModelID(), !modelIDs.contains(active) { report.activeModelMissing = true }
            modelsRead = true
            }

            // The rows, in id order, building the blocks they should have.
            var expected: [Int64: (offsets: [UInt8], hashes: [UInt8])] = [:]
            var rowsRead = false
            checking("the image rows") {
            let rows = try connection.prepare(
                "SELECT id, path, hash, code, \(hasFormatColumn ? "colour" : "NULL"), \(hasChecksums ? "checksum" : "NULL"), model_id FROM images ORDER BY id")
            while try rows.step() {
                report.images += 1
                let id = rows.integer(0), hash = rows.integer(2)
                let block = id / IndexSchema.blockSize
                appendLittleEndian(UInt16(id - block * IndexSchema.blockSize), to: &expected[block, default: ([], [])].offsets)
                appendLittleEndian(UInt32(truncatingIfNeeded: hash), to: &expected[block, default: ([], [])].hashes)
                if rows.isNull(5) {
                    report.rowsWithoutChecksum += 1
                } else {
                    if StoredChecksums.row(of: rows, hash: 2, code: 3, colour: 4) != rows.integer(5) { report.damagedRows.append(.init(id: id, path: rows.text(1))) }
                }
                if modelsRead && !modelIDs.contains(rows.integer(6)) { report.rowsWithUnknownModel.append(.init(id: id, path: rows.text(1))) }
            }
            rowsRead = true
            }

            var seen = Set<Int64>()
            checking("the hash blocks") {
            let blocks = try connection.prepare("SELECT block, ids, hashes, \(hasChecksums ? "checksum" : "NULL") FROM hash_blocks ORDER BY block")
            while try blocks.step() {
                let block = blocks.integer(0)
                seen.insert(block)
                report.hashBlocks += 1
                let offsets = blocks.blob(1), hashes = blocks.blob(2)
                if !blocks.isNull(3), StoredChecksums.block(offsets: offsets, hashes: hashes) != blocks.integer(3) {
                    report.damagedBlocks.append(block)
                } else if let rebuilt = expected[block], rebuilt.offsets == offsets, rebuilt.hashes == hashes {
                    continue
                } else if rowsRead && (expected[block] != nil || !offsets.isEmpty) {
                    report.staleBlocks.append(block)
                }
            }
            }
            if rowsRead { report.staleBlocks += expected.keys.filter { !seen.contains($0) }.sorted() }
            return report
        }
    }

    /// Repairs what `report` found, in one transaction: damaged and stale
    /// blocks are rebuilt from the rows; a damaged row whose code still
    /// gives a hash that matches its checksum gets that hash back
    /// (`hashOfCode` makes it with the row's model, nil when that model is
    /// unusable); the other damaged rows, and rows of a missing model, are
    /// deleted (their paths returned, for the caller to index again);
    /// damaged models no image uses and that are not active are deleted.
    func repair(_ report: IndexCheckReport,
                hashOfCode: (_ modelID: Int64, _ code: [Float]) -> SemanticHash?) throws -> IndexRepairSummary {
        var summary = IndexRepairSummary(blocksRebuilt: 0, hashesRemade: 0, rowsRemoved: [], reindexed: [],
                                         modelsDeleted: 0, unrepairable: [])
        // Writing into a file whose structure is broken could spread the
        // damage: what SQLite cannot read, repair leaves alone.
        guard report.unreadable.isEmpty && report.storageCheck == ["ok"] else {
            summary.unrepairable = ["the file's structure is damaged (SQLite's check: \(report.storageCheck.count) problem\(report.storageCheck.count == 1 ? "" : "s")"
                + "\(report.unreadable.isEmpty ? "" : ", \(report.unreadable.count) parts unreadable")), which repair does not mend. "
                + "HINT: restore the index from a backup, or index the folders again into a new database"]
            return summary
        }
        return try write { batch in
            var removed: [Int64] = []
            let select = try connection.prepare("SELECT hash, code, colour, checksum, model_id FROM images WHERE id = ?")
            let setHash = try connection.prepare("UPDATE images SET hash = ? WHERE id = ?")
            for row in report.damagedRows {
                try select.bind(.integer(row.id))
                guard try select.step() else { continue }
                let code = select.blob(1), colour = select.isNull(2) ? nil : select.blob(2)
                let stored = select.integer(3), modelID = select.integer(4)
                select.reset()
                let decoded = code.withUnsafeBytes { SQLiteIndexWriter.code(from: $0) }
                if let hash = hashOfCode(modelID, decoded),
                   StoredChecksums.row(hash: Int64(hash), code: code, colour: colour) == stored {
                    try setHash.bind(.integer(Int64(hash)), .integer(row.id)).run()
                    summary.hashesRemade += 1
                } else {
                    removed.append(row.id)
                    summary.rowsRemoved.append(row.path)
                }
            }
            for row in report.rowsWithUnknownModel where !removed.contains(row.id) {
                removed.append(row.id)
                summary.rowsRemoved.append(row.path)
            }
            try batch.delete(ids: removed)
            // Hash fixes change rows outside the batch's own bookkeeping:
            // rebuild their blocks too, with the damaged and stale ones.
            var blocks = Set(report.damagedBlocks + report.staleBlocks)
            for row in report.damagedRows { blocks.insert(row.id / IndexSchema.blockSize) }
            try Self.rebuildBlocks(blocks.sorted(), on: connection)
            summary.blocksRebuilt = report.damagedBlocks.count + report.staleBlocks.count

            let active = try activeModelID()
            for model in report.damagedModels {
                let users = try connection.prepare("SELECT count(*) FROM images WHERE model_id = ?")
                try users.bind(.integer(model))
                let used = try users.step() ? users.integer(0) : 0
                users.reset()
                if model == active || used > 0 {
                    summary.unrepairable.append(
                        "model \(model) is damaged and \(model == active ? "is the active model" : "encoded \(used) images"); "
                            + "it cannot be rebuilt. HINT: index the folders again into a new database")
                } else {
                    try connection.prepare("DELETE FROM models WHERE id = ?").bind(.integer(model)).run()
                    summary.modelsDeleted += 1
                }
            }
            if report.activeModelMissing {
                summary.unrepairable.append("the active model is missing. HINT: index the folders again into a new database")
            }
            return summary
        }
    }
}
