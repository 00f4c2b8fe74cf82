import ImgSearchLinearAlgebra

/// What a retrieval method ranks a database by, for one set of images.
///
/// - `binary`: Hamming distance between hashes, ties broken by the
///   Euclidean distance between `realCodes` when given (the semantic hash
///   with its real-valued code, as `imgsearch query` ranks), else by
///   database position.
/// - `real`: Euclidean distance between real-valued rows (the 30-dimensional
///   code itself, or PCA-30), ties by database position.
/// - `l1`: L1 distance between rows (colour histograms), ties by database
///   position.
/// - `hashes64`: Hamming distance between 64-bit hashes (pHash, dHash),
///   ties by database position.
public enum RetrievalCodes: Sendable {
    /// Hashes in the low bits, `(count)`, and optional tie-breaking codes `(count, dimension)`.
    case binary(hashes: [UInt32], realCodes: Matrix?)
    /// `(count, dimension)`.
    case real(Matrix)
    /// `(count, dimension)`, summed in index order as ``ColourHistogram/distance(to:)`` sums.
    case l1(Matrix)
    /// `(count)` hashes of 64 bits.
    case hashes64([UInt64])

    /// Number of images coded.
    public var count: Int {
        switch self {
        case .binary(let hashes, _): return hashes.count
        case .real(let codes), .l1(let codes): return codes.rows
        case .hashes64(let hashes): return hashes.count
        }
    }

    /// Whether `other` is ranked by the same distance, so the two can be compared.
    func isCoded(like other: RetrievalCodes) -> Bool {
        switch (self, other) {
        case (.binary, .binary), (.real, .real), (.l1, .l1), (.hashes64, .hashes64): return true
        default: return false
        }
    }

    var isBinary: Bool {
        if case .binary = self { return true }
        return false
    }
}

/// Sort keys that order a database of real-valued codes for one query,
/// nearest first (binary codes rank through the Hamming index family:
/// ``RetrievalDatabase``).
///
/// One `UInt64` per database image, so a plain integer sort ranks it:
/// bits 27-57 the squared Euclidean distance as a Float bit pattern
/// (non-negative floats order like their bit patterns; the sign bit is
/// always 0), bits 0-26 the database position, which makes every key
/// distinct and breaks what is still tied by position. Merging the
/// rankings of several query variants (a mirrored query) is then the
/// minimum of their keys.
enum RankingKeys {
    static let positionBits = 27
    /// Positions must fit the low bits.
    static let maximumDatabaseCount = 1 << positionBits
    static let positionMask: UInt64 = (1 << UInt64(positionBits)) - 1

    static func position(_ key: UInt64) -> Int { Int(key & positionMask) }

    /// The keys of every database image for query `query` of `queries`,
    /// merged (minimum) into `keys` when `merge` is true, else written.
    static func fill(
        _ keys: inout [UInt64], database: RetrievalCodes, queries: RetrievalCodes, query: Int, merge: Bool
    ) {
        switch (database, queries) {
        case (.real(let codes), .real(let queryCodes)):
            for position in 0..<codes.rows {
                let distanceBits = squaredDistanceBits(codes, row: position, queryCodes, row: query)
                store(distanceBits << 27 | UInt64(position), at: position, in: &keys, merge: merge)
            }
        case (.l1(let codes), .l1(let queryCodes)):
            fillL1(&keys, database: codes, queries: queryCodes, query: query, merge: merge)
        case (.hashes64(let hashes), .hashes64(let queryHashes)):
            fillHamming64(&keys, database: hashes, query: queryHashes[query], merge: merge)
        default:
            preconditionFailure("sort keys rank real-valued codes, coded alike in the database and the queries")
        }
    }

    @inline(__always)
    static func store(_ key: UInt64, at position: Int, in keys: inout [UInt64], merge: Bool) {
        keys[position] = merge ? min(keys[position], key) : key
    }

    /// The squared Euclidean distance between two rows as its 31-bit pattern
    /// (NaN ranks last).
    @inline(__always)
    static func squaredDistanceBits(_ a: Matrix, row: Int, _ b: Matrix, row other: Int) -> UInt64 {
        let width = a.columns
        var sum: Float = 0
        a.elements.withUnsafeBufferPointer { a in
            b.elements.withUnsafeBufferPointer { b in
                let x = a.baseAddress! + row * width, y = b.baseAddress! + other * width
                for index in 0..<width {
                    let difference = x[index] - y[index]
                    sum += difference * difference
                }
            }
        }
        return UInt64((sum.isNaN ? Float.infinity : sum).bitPattern)
    }
}
