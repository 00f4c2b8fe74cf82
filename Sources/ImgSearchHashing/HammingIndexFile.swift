import Foundation

/// The kinds of Hamming index, as the serialized header names them.
enum HammingIndexKind: UInt32, Sendable {
    case flat = 1
    case bucket = 2
    case multiIndex = 3
    case scan = 4

    package var name: String {
        switch self {
        case .flat: return "flat"
        case .bucket: return "bucket"
        case .multiIndex: return "multi-index"
        case .scan: return "scan"
        }
    }

    /// Whether the file holds hash tables after the codes.
    var hasTables: Bool { self == .bucket || self == .multiIndex }
}

/// The serialized form every Hamming index shares (docs/hamming.md).
///
/// A 40-byte little-endian header (magic `IMGSHAMI`, version, kind, bit
/// count, real-code dimension, substring count, reserved, code count), then
/// the ids (Int64), the codes (UInt32) and the real codes (Float32), and for
/// a bucket or multi-index its hash tables, each as one block: loading is a
/// few copies, bounds checks and slicing the codes, never a per-code parse.
enum HammingIndexFile {
    package static let magic = Array("IMGSHAMI".utf8)
    package static let version: UInt32 = 1
    package static let headerSize = 40

    /// The bytes of `store` and its hash tables (nil for a flat index), as an
    /// index of `kind`; `substringCount` is the one asked for (0: automatic).
    package static func bytes(of store: HammingCodeStore, tables: HammingTables?, kind: HammingIndexKind,
                      substringCount: Int) -> [UInt8] {
        let count = store.count
        let tableSize = tables.map { 4 + 4 * $0.storage.count } ?? 0
        let size = headerSize + count * (8 + 4 + 4 * store.realCodeDimension) + tableSize
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw.copyBytes(from: magic)
            let header: [UInt32] = [
                version, kind.rawValue, UInt32(store.bitCount), UInt32(store.realCodeDimension),
                UInt32(substringCount), 0,
            ]
            for (index, value) in header.enumerated() {
                raw.storeBytes(of: value.littleEndian, toByteOffset: 8 + 4 * index, as: UInt32.self)
            }
            raw.storeBytes(of: UInt64(count).littleEndian, toByteOffset: 32, as: UInt64.self)
            var offset = headerSize
            offset += write(store.ids, to: raw, at: offset)
            offset += write(store.codes, to: raw, at: offset)
            offset += write(store.realCodes.map(\.bitPattern), to: raw, at: offset)
            if let tables {
                offset += write([UInt32(tables.layouts.count)], to: raw, at: offset)
                offset += write(tables.storage, to: raw, at: offset)
            }
            initialized = offset
        }
    }

    /// What a file holds.
    struct Contents {
        package var store: HammingCodeStore
        /// The substring count asked for (0: automatic).
        package var substringCount: Int
        /// The hash tables, for a bucket or multi-index.
        package var tables: HammingTables?
    }

    /// Reads an index of `kind` from any contiguous bytes (`[UInt8]`, `Data`).
    package static func read(_ bytes: some ContiguousBytes, kind: HammingIndexKind) throws(HammingIndexError) -> Contents {
        // withUnsafeBytes rethrows untyped errors: carry the typed one out in a Result.
        try bytes.withUnsafeBytes { bytes in
            Result { () throws(HammingIndexError) in try read(bytes, kind: kind) }
        }.get()
    }

    /// Reads an index of `kind`.
    package static func read(_ bytes: UnsafeRawBufferPointer, kind expected: HammingIndexKind) throws(HammingIndexError) -> Contents {
        guard bytes.count >= headerSize, bytes.prefix(8).elementsEqual(magic) else { throw .notAnIndex }
        func field(_ index: Int) -> UInt32 {
            UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 + 4 * index, as: UInt32.self))
        }
        guard field(0) == version else { throw .unsupportedVersion(found: field(0), supported: version) }
        guard let kind = HammingIndexKind(rawValue: field(1)) else {
            throw .corrupt("unknown index kind \(field(1))")
        }
        guard kind == expected else { throw .wrongKind(expected: expected.name, found: kind.name) }
        let bitCount = Int(field(2)), dimension = Int(field(3)), substringCount = Int(field(4))
        let storedCount = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 32, as: UInt64.self))
        let perCode = 12 + 4 * dimension
        let tableHeader = kind.hasTables ? 4 : 0
        guard storedCount <= UInt64(UInt32.max),
              case let (body, overflow) = Int(storedCount).multipliedReportingOverflow(by: perCode), !overflow,
              bytes.count - headerSize >= body + tableHeader,
              kind.hasTables || bytes.count - headerSize == body
        else {
            throw .corrupt("\(bytes.count) bytes, but the header's \(storedCount) codes of dimension \(dimension) need \(headerSize) + \(storedCount) * \(perCode)\(kind.hasTables ? " + hash tables" : "")")
        }
        let count = Int(storedCount)
        var offset = headerSize
        let ids: [Int64] = read(count, from: bytes, at: &offset)
        let codes: [UInt32] = read(count, from: bytes, at: &offset)
        let realBits: [UInt32] = read(count * dimension, from: bytes, at: &offset)
        let store = try HammingCodeStore(
            bitCount: bitCount, realCodeDimension: dimension, codes: codes, ids: ids,
            realCodes: realBits.isEmpty ? [] : realBits.map(Float.init(bitPattern:)),
            layout: kind == .scan ? .plain : .bitSliced)
        var tables: HammingTables?
        if kind.hasTables {
            let tableCount: [UInt32] = read(1, from: bytes, at: &offset)
            let rest = bytes.count - offset
            guard rest % 4 == 0 else { throw .corrupt("hash tables of \(rest) bytes, not whole words") }
            let storage: [UInt32] = read(rest / 4, from: bytes, at: &offset)
            tables = try HammingTables(storage: storage, count: count, bitCount: bitCount,
                                       substringCount: Int(tableCount[0]))
        }
        return Contents(store: store, substringCount: substringCount, tables: tables)
    }

    private static func write<T: FixedWidthInteger>(_ values: [T], to raw: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        let size = values.count * MemoryLayout<T>.size
        #if _endian(little)
        values.withUnsafeBytes { source in
            UnsafeMutableRawBufferPointer(rebasing: raw[offset..<(offset + size)]).copyMemory(from: source)
        }
        #else
        for (index, value) in values.enumerated() {
            raw.storeBytes(of: value.littleEndian, toByteOffset: offset + index * MemoryLayout<T>.size, as: T.self)
        }
        #endif
        return size
    }

    private static func read<T: FixedWidthInteger>(_ count: Int, from bytes: UnsafeRawBufferPointer, at offset: inout Int) -> [T] {
        let size = count * MemoryLayout<T>.size
        let source = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + size)])
        offset += size
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
            #if _endian(big)
            for index in 0..<count { buffer[index] = T(littleEndian: buffer[index]) }
            #endif
            initialized = count
        }
    }
}
