/// The index database's schema, as migration steps (see ``SchemaMigrator``).
///
/// Never edit a step that has shipped: add a new one. docs/index-format.md
/// describes every table.
enum IndexSchema {
    static let migrator = SchemaMigrator(steps: [.sql(version1), .code(version2), .sql(version3), .code(version4)])

    /// The first version whose `images` rows record their format and colour histogram.
    static let formatColumnVersion = 3

    /// The first version that stores checksums (``StoredChecksums``).
    static let checksumVersion = 4

    /// Number of image ids covered by one row of `hash_blocks`.
    static let blockSize: Int64 = 4096

    static let version1 = """
        CREATE TABLE models (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            trained_on TEXT NOT NULL,
            settings TEXT NOT NULL,
            metrics TEXT NOT NULL,
            file BLOB NOT NULL
        );
        CREATE TABLE state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE images (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            path TEXT NOT NULL UNIQUE,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            content_hash INTEGER NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            hash INTEGER NOT NULL,
            code BLOB NOT NULL,
            model_id INTEGER NOT NULL REFERENCES models(id)
        );
        CREATE INDEX images_by_content ON images(content_hash, size);
        CREATE TABLE hash_blocks (
            block INTEGER PRIMARY KEY,
            ids BLOB NOT NULL,
            hashes BLOB NOT NULL
        );
        """

    /// Version 2: the hashes in `hash_blocks` are 4 bytes each instead of
    /// 8 (a hash has at most 32 bits), so a query reads half as much: at a
    /// million images 4 MB instead of 8. Every block is rebuilt from the
    /// rows, inside the migration's transaction.
    static func version2(_ connection: SQLiteConnection) throws {
        try connection.execute("DELETE FROM hash_blocks")
        let select = try connection.prepare("SELECT DISTINCT id / \(blockSize) FROM images ORDER BY 1")
        var blocks: [Int64] = []
        while try select.step() { blocks.append(select.integer(0)) }
        try SQLiteIndexStore.rebuildBlocks(blocks, on: connection, withChecksums: false)
    }

    /// Version 3: two nullable columns on `images`. `colour`, each image's
    /// thumbnail colour histogram (8 x 4 x 4 HSV shares as 128
    /// little-endian UInt16, share x 65535), which a query's re-ranking adds
    /// to the real-code distance; `format`, the format its file was decoded
    /// as (`jpeg`, `png`, `webp`, `gif`, `tiff`, `bmp`, `heif`, `avif`), for
    /// `imgsearch info`'s count per format. Rows from before stay NULL until
    /// the next `index` run decodes their files again (colour) or reads
    /// their first bytes (format). The last `index` run's record goes in
    /// `state` (`last_index_run`), which needs no change to the schema.
    static let version3 = """
        ALTER TABLE images ADD COLUMN colour BLOB;
        ALTER TABLE images ADD COLUMN format TEXT;
        """

    /// Version 4: checksums over what SQLite's own checks cannot judge
    /// (``StoredChecksums``): `hash_blocks.checksum`, `images.checksum`
    /// (the hash, code and colour a query ranks by) and `models.checksums`
    /// (one per 64 KiB of the file). Before them, random bytes inside a
    /// hash block's page passed `PRAGMA integrity_check` and came back as
    /// wrong neighbours (issue 19). Every existing row gets its checksum
    /// here, inside the migration's transaction.
    static func version4(_ connection: SQLiteConnection) throws {
        try connection.execute("""
            ALTER TABLE hash_blocks ADD COLUMN checksum INTEGER;
            ALTER TABLE images ADD COLUMN checksum INTEGER;
            ALTER TABLE models ADD COLUMN checksums BLOB;
            """)
        let blocks = try connection.prepare("SELECT block, ids, hashes FROM hash_blocks")
        let setBlock = try connection.prepare("UPDATE hash_blocks SET checksum = ? WHERE block = ?")
        while try blocks.step() {
            let checksum = StoredChecksums.block(offsets: blocks.blob(1), hashes: blocks.blob(2))
            try setBlock.bind(.integer(checksum), .integer(blocks.integer(0))).run()
        }
        let rows = try connection.prepare("SELECT id, hash, code, colour FROM images")
        let setRow = try connection.prepare("UPDATE images SET checksum = ? WHERE id = ?")
        while try rows.step() {
            let checksum = StoredChecksums.row(hash: rows.integer(1), code: rows.blob(2), colour: rows.isNull(3) ? nil : rows.blob(3))
            try setRow.bind(.integer(checksum), .integer(rows.integer(0))).run()
        }
        let models = try connection.prepare("SELECT id, file FROM models")
        let setModel = try connection.prepare("UPDATE models SET checksums = ? WHERE id = ?")
        while try models.step() {
            try setModel.bind(.blob(StoredChecksums.modelChunks(models.blob(1))), .integer(models.integer(0))).run()
        }
    }
}
