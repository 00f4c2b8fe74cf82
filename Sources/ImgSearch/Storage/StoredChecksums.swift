import ImgSearchCore

/// The checksums schema version 4 stores beside what SQLite cannot judge:
/// each hash block, each image row's hash, code and colour, and each model
/// file in 64 KiB chunks (docs/index-format.md). They are written with the
/// data and verified whenever it is read, so damage inside a page's payload
/// becomes an ``IndexDamageError`` instead of a wrong result.
enum StoredChecksums {
    /// A hash block: its offsets, then its hashes.
    static func block(offsets: UnsafeRawBufferPointer, hashes: UnsafeRawBufferPointer) -> Int64 {
        DamageChecksum.of(hashes, continuing: DamageChecksum.of(offsets))
    }

    static func block(offsets: [UInt8], hashes: [UInt8]) -> Int64 {
        offsets.withUnsafeBytes { offsets in hashes.withUnsafeBytes { block(offsets: offsets, hashes: $0) } }
    }

    /// An image row: what a query ranks by (the hash, the code's bytes and
    /// the colour histogram's bytes, empty when it has none).
    static func row(hash: Int64, code: UnsafeRawBufferPointer, colour: UnsafeRawBufferPointer?) -> Int64 {
        let hashPart = withUnsafeBytes(of: hash.littleEndian) { DamageChecksum.of($0) }
        let codePart = DamageChecksum.of(code, continuing: hashPart)
        return DamageChecksum.of(colour ?? UnsafeRawBufferPointer(start: nil, count: 0), continuing: codePart)
    }

    static func row(hash: Int64, code: [UInt8], colour: [UInt8]?) -> Int64 {
        code.withUnsafeBytes { code in
            guard let colour else { return row(hash: hash, code: code, colour: nil) }
            return colour.withUnsafeBytes { row(hash: hash, code: code, colour: $0) }
        }
    }

    /// The row checksum of the current row of `row`, from its hash, code
    /// and colour columns (the colour NULL or a blob), without copying them.
    static func row(of row: SQLiteStatement, hash: Int32, code: Int32, colour: Int32) -> Int64 {
        row.withBlob(code) { codeBytes in
            row.isNull(colour) ? Self.row(hash: row.integer(hash), code: codeBytes, colour: nil)
                : row.withBlob(colour) { Self.row(hash: row.integer(hash), code: codeBytes, colour: $0) }
        }
    }

    /// A model file is checked in chunks of this many bytes, so that a
    /// query, which reads only the encoder part, checks what it reads
    /// without reading the rest.
    static let modelChunk = 65_536

    /// One checksum per ``modelChunk`` bytes of `file`, as little-endian
    /// Int64s.
    static func modelChunks(_ file: [UInt8]) -> [UInt8] {
        var checksums: [UInt8] = []
        file.withUnsafeBytes { bytes in
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + modelChunk)
                appendLittleEndian(DamageChecksum.of(UnsafeRawBufferPointer(rebasing: bytes[start..<end])), to: &checksums)
                start = end
            }
        }
        return checksums
    }

    /// Checks the chunks of a model file that `prefix` (the file's first
    /// bytes, whole chunks or up to the file's end) covers against the
    /// stored checksums; the number of the first damaged chunk, or nil.
    static func firstDamagedModelChunk(_ prefix: [UInt8], fileLength: Int, stored: [UInt8]) -> Int? {
        let chunks = (prefix.count + modelChunk - 1) / modelChunk
        guard stored.count == 8 * ((fileLength + modelChunk - 1) / modelChunk) else { return 0 }
        return prefix.withUnsafeBytes { bytes -> Int? in
            for chunk in 0..<chunks {
                let start = chunk * modelChunk, end = min(bytes.count, start + modelChunk)
                // A partial chunk is sound only when it is the file's last.
                if end - start < modelChunk && end != fileLength { return chunk }
                let expected = stored.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: chunk * 8, as: Int64.self)) }
                if DamageChecksum.of(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) != expected { return chunk }
            }
            return nil
        }
    }
}

/// The index holds data that fails its checksum: it was damaged after it
/// was written (a bad disk, a stray write, a bad copy), so nothing is
/// answered from it.
public struct IndexDamageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The index.
    public var path: String
    /// What is damaged, in words ("hash block 3 (image ids 12288 ..< 16384)").
    public var damaged: String

    public init(path: String, damaged: String) {
        self.path = path
        self.damaged = damaged
    }

    public var description: String {
        "\(path): the index is damaged: \(damaged) does not match its checksum. "
            + "HINT: run `imgsearch check` for a report and `imgsearch repair` to rebuild what can be rebuilt."
    }
}
