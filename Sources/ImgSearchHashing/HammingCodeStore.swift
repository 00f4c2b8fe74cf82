internal import CImgSearchHamming
import ImgSearchCore

/// What a search asks for: the `k` nearest codes, or every code within a radius.
enum HammingSearchMode: Sendable {
    /// The k nearest codes (fewer when the index holds fewer).
    case nearest(k: Int)
    /// Every code at distance <= radius (inclusive).
    case within(radius: Int)
    /// The k nearest within `radius` (inclusive; nil: any distance) and
    /// every code tied with the k-th, unless there are more than
    /// `tieLimit` of them: then the k nearest alone.
    case nearestWithTies(k: Int, radius: Int?, tieLimit: Int)
}

/// How a store keeps its codes for the scan.
enum HammingCodeLayout: Sendable {
    /// Plain codes and a bit-sliced copy (4 more bytes a code, made once):
    /// the fast scan for an index that answers many queries.
    case bitSliced
    /// Plain codes alone, scanned one by one: for an index built to answer
    /// one query, where slicing would cost more than it saves.
    case plain
}

/// The state every Hamming index shares, and the search they all end in.
///
/// Codes, ids and real-valued codes are kept in insertion order (a code's
/// *position*), plus, in the bit-sliced layout, the sliced copy of the codes
/// that the C scan reads (4 bytes per code, like the codes themselves).
/// Bucket and multi-index hashing add their tables on top and fall back to
/// this store's scan. A store made from codes alone takes each code's
/// position as its id and keeps no id array until one is needed.
struct HammingCodeStore: Sendable {
    /// Bits per code, 1 ... 32.
    package let bitCount: Int
    /// Values per real-valued code, 0 when the index has none.
    package let realCodeDimension: Int
    /// The instruction set the C functions use.
    package var kernel: HammingKernel = .best
    /// The codes by position.
    package private(set) var codes: [UInt32] = []
    /// The ids by position, or empty while every id is its position.
    private var storedIDs: [Int64] = []
    /// Whether a code's id is its position (no ids were given).
    private(set) var idsArePositions = false
    /// How the codes are kept for the scan.
    let layout: HammingCodeLayout
    /// The real-valued codes: (count, realCodeDimension), row-major.
    package private(set) var realCodes: [Float] = []
    /// The codes bit-sliced in blocks of 256 (see `CImgSearchHamming.h`).
    package private(set) var planes: [UInt64] = []
    /// Planes per block: 30 for codes of up to 30 bits, else 32.
    let planeCount: Int

    package init(bitCount: Int, realCodeDimension: Int, layout: HammingCodeLayout = .bitSliced) throws(HammingIndexError) {
        guard (1...32).contains(bitCount) else { throw .invalidBitCount(bitCount) }
        guard realCodeDimension >= 0 else {
            throw .invalidArgument("real-valued code dimension \(realCodeDimension) is negative")
        }
        self.bitCount = bitCount
        self.realCodeDimension = realCodeDimension
        self.layout = layout
        planeCount = Int(imgsearch_hamming_plane_count(Int32(bitCount)))
    }

    package var count: Int { codes.count }

    /// The ids by position.
    package var ids: [Int64] { idsArePositions ? Array(0..<Int64(codes.count)) : storedIDs }

    /// The id of the code at `position`.
    @inline(__always)
    func id(at position: Int) -> Int64 { idsArePositions ? Int64(position) : storedIDs[position] }

    /// Gives positional ids an array, before codes move or arrive with ids of their own.
    private mutating func storeIDs() {
        guard idsArePositions else { return }
        storedIDs = ids
        idsArePositions = false
    }

    // MARK: - Adding and removing

    package mutating func add(_ newCodes: [UInt32], ids newIds: [Int64], realCodes newRealCodes: [Float]?) throws(HammingIndexError) {
        guard newIds.count == newCodes.count else {
            throw .countMismatch(what: "ids for \(newCodes.count) codes", expected: newCodes.count, found: newIds.count)
        }
        try checkCodes(newCodes)
        let realCount = newRealCodes?.count ?? 0
        guard realCount == newCodes.count * realCodeDimension else {
            throw .countMismatch(
                what: "real-valued codes (\(newCodes.count) codes of \(realCodeDimension) values)",
                expected: newCodes.count * realCodeDimension, found: realCount)
        }
        guard codes.count + newCodes.count <= Int(UInt32.max) else {
            throw .invalidArgument("an index holds at most \(UInt32.max) codes")
        }
        let firstChangedBlock = codes.count / Int(IMGSEARCH_HAMMING_BLOCK_CODES)
        storeIDs()
        codes += newCodes
        storedIDs += newIds
        if let newRealCodes { realCodes += newRealCodes }
        slice(fromBlock: firstChangedBlock)
    }

    /// Removes every code whose id is in `idsToRemove`, keeping the others in
    /// order; returns how many were removed.
    package mutating func remove(ids idsToRemove: Set<Int64>) -> Int {
        guard !idsToRemove.isEmpty, let first = codes.indices.first(where: { idsToRemove.contains(id(at: $0)) }) else { return 0 }
        storeIDs()
        var kept = first
        for position in first..<codes.count where !idsToRemove.contains(storedIDs[position]) {
            codes[kept] = codes[position]
            storedIDs[kept] = storedIDs[position]
            let dimension = realCodeDimension
            for value in 0..<dimension {
                realCodes[kept * dimension + value] = realCodes[position * dimension + value]
            }
            kept += 1
        }
        let removed = codes.count - kept
        codes.removeLast(removed)
        storedIDs.removeLast(removed)
        realCodes.removeLast(removed * realCodeDimension)
        slice(fromBlock: first / Int(IMGSEARCH_HAMMING_BLOCK_CODES))
        return removed
    }

    /// A store holding these arrays as they are (loading a serialized index:
    /// no copy beyond the one that read them), after the checks `add` makes.
    package init(bitCount: Int, realCodeDimension: Int, codes: [UInt32], ids: [Int64], realCodes: [Float],
                 layout: HammingCodeLayout = .bitSliced) throws(HammingIndexError) {
        try self.init(bitCount: bitCount, realCodeDimension: realCodeDimension, layout: layout)
        try checkCodes(codes)
        guard ids.count == codes.count, realCodes.count == codes.count * realCodeDimension else {
            throw .corrupt("\(codes.count) codes, \(ids.count) ids and \(realCodes.count) real-code values do not match")
        }
        self.codes = codes
        storedIDs = ids
        self.realCodes = realCodes
        slice(fromBlock: 0)
    }

    /// A store of `codes` as they are, each code's id its position: what a
    /// one-shot search over hashes read from disk needs, without an eight-byte
    /// id per code to fill.
    package init(bitCount: Int, positionalCodes codes: [UInt32], layout: HammingCodeLayout) throws(HammingIndexError) {
        try self.init(bitCount: bitCount, realCodeDimension: 0, layout: layout)
        try checkCodes(codes)
        self.codes = codes
        idsArePositions = true
        slice(fromBlock: 0)
    }

    /// Rewrites the bit-sliced blocks from `firstBlock` on.
    private mutating func slice(fromBlock firstBlock: Int) {
        guard layout == .bitSliced else { return }
        let blocks = (codes.count + Int(IMGSEARCH_HAMMING_BLOCK_CODES) - 1) / Int(IMGSEARCH_HAMMING_BLOCK_CODES)
        let words = blocks * planeCount * 4
        if planes.count > words {
            planes.removeLast(planes.count - words)
        } else if planes.isEmpty {
            // A new store (a query loading an index): sized once, on huge pages.
            planes = [UInt64](unsafeUninitializedCapacity: words) { buffer, initialized in
                HugePageAdvice.advise(UnsafeMutableRawBufferPointer(buffer))
                buffer.initialize(repeating: 0)
                initialized = words
            }
        } else if planes.count < words {
            planes.append(contentsOf: repeatElement(0, count: words - planes.count))
        }
        guard firstBlock < blocks else { return }
        let level = kernel.level
        let planeCount = Int32(self.planeCount)
        codes.withUnsafeBufferPointer { codes in
            planes.withUnsafeMutableBufferPointer { planes in
                imgsearch_hamming_slice(codes.baseAddress, codes.count, firstBlock, planeCount, planes.baseAddress, level)
            }
        }
    }

    // MARK: - Checks

    func checkCodes(_ candidates: [UInt32]) throws(HammingIndexError) {
        guard bitCount < 32 else { return }
        var high: UInt32 = 0
        for code in candidates { high |= code }  // one vectorized pass; find the culprit only on failure
        guard high >> UInt32(bitCount) != 0 else { return }
        let culprit = candidates.first { $0 >> UInt32(bitCount) != 0 } ?? high
        throw .codeOutOfRange(code: culprit, bitCount: bitCount)
    }

    func checkQuery(_ query: UInt32, realCode: [Float]?) throws(HammingIndexError) {
        if bitCount < 32, query >> UInt32(bitCount) != 0 { throw .codeOutOfRange(code: query, bitCount: bitCount) }
        if let realCode, realCode.count != realCodeDimension {
            throw .realCodeDimensionMismatch(expected: realCodeDimension, found: realCode.count)
        }
    }
}
