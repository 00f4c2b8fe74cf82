internal import CImgSearchHamming
import Foundation

/// Hash tables on disjoint substrings of the codes, for bucket probing (one
/// table on the whole code) and multi-index hashing (several).
///
/// Each table lists every code sorted by its substring (the key), then by
/// position, with a directory on the key's top bits: a key's posting list is a
/// contiguous run. Long keys (the bucket index's 30 bits) get a directory of
/// about `count / 2` slots and a binary search within the slot, so memory
/// stays near 8 bytes per code and table whatever the key length.
struct HammingTables: Sendable {
    /// Where one table lies in `storage`.
    struct Layout: Sendable {
        var shift: Int
        var width: Int
        var directoryBits: Int
        var offsets: Int
        var codes: Int
        var positions: Int
    }

    /// The tables, lowest substring first.
    let layouts: [Layout]
    /// All tables' offsets, codes and positions, in one allocation.
    let storage: [UInt32]

    /// Builds `substringCount` tables over the low `bitCount` bits of `codes`,
    /// splitting the bits as evenly as possible.
    ///
    /// Counting sorts: one pass per table when the directory covers the whole
    /// key, two (low bits, then directory bits) otherwise; O(count) each.
    init(codes: [UInt32], bitCount: Int, substringCount: Int) {
        let count = codes.count
        var layouts: [Layout] = []
        var size = 0
        var shift = 0
        for table in 0..<substringCount {
            let width = bitCount / substringCount + (table < bitCount % substringCount ? 1 : 0)
            let directoryBits = Self.directoryBits(width: width, count: count)
            let offsets = size
            size += (1 << directoryBits) + 1
            layouts.append(Layout(shift: shift, width: width, directoryBits: directoryBits,
                                  offsets: offsets, codes: size, positions: size + count))
            size += 2 * count
            shift += width
        }
        self.layouts = layouts
        self.storage = [UInt32](unsafeUninitializedCapacity: size) { storage, initialized in
            codes.withUnsafeBufferPointer { codes in
                for layout in layouts { Self.build(layout, from: codes, into: storage) }
            }
            initialized = size
        }
    }

    /// Directory bits for a key of `width` bits over `count` codes: the whole
    /// key up to 16 bits; beyond, about log2(count) - 1, leaving at most 16
    /// bits to the within-slot sort (so its counting sort stays small).
    static func directoryBits(width: Int, count: Int) -> Int {
        guard width > 16 else { return width }
        let log2Count = count > 1 ? Int.bitWidth - 1 - count.leadingZeroBitCount : 0
        return min(width, max(width - 16, min(24, log2Count - 1)))
    }

    /// The number of substrings Norouzi, Punjani & Fleet recommend for
    /// `count` codes of `bitCount` bits: about bitCount / log2(count), so that
    /// each table has about one code per key; at least 2 (1 is bucket probing).
    static func automaticSubstringCount(bitCount: Int, count: Int) -> Int {
        guard bitCount >= 2 else { return 1 }
        let log2Count = log2(Double(max(count, 2)))
        let m = Int((Double(bitCount) / log2Count).rounded())
        return min(max(m, 2), min(bitCount, 8))
    }

    private static func build(_ layout: Layout, from codes: UnsafeBufferPointer<UInt32>,
                              into storage: UnsafeMutableBufferPointer<UInt32>) {
        let count = codes.count
        let lowBits = layout.width - layout.directoryBits
        let keyShift = layout.shift
        let sortedCodes = UnsafeMutableBufferPointer(rebasing: storage[layout.codes..<(layout.codes + count)])
        let sortedPositions = UnsafeMutableBufferPointer(rebasing: storage[layout.positions..<(layout.positions + count)])
        let directory = UnsafeMutableBufferPointer(
            rebasing: storage[layout.offsets..<(layout.offsets + (1 << layout.directoryBits) + 1)])
        if lowBits == 0 {
            countingSort(codes, positions: nil, shift: keyShift, bits: layout.directoryBits,
                         sortedCodes: sortedCodes, sortedPositions: sortedPositions, offsets: directory)
            return
        }
        // LSD: by the low bits of the key first, then (stably) by the directory bits.
        let scratchCodes = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: count)
        let scratchPositions = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: count)
        let lowOffsets = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: (1 << lowBits) + 1)
        defer {
            scratchCodes.deallocate()
            scratchPositions.deallocate()
            lowOffsets.deallocate()
        }
        countingSort(codes, positions: nil, shift: keyShift, bits: lowBits,
                     sortedCodes: scratchCodes, sortedPositions: scratchPositions, offsets: lowOffsets)
        countingSort(UnsafeBufferPointer(scratchCodes), positions: UnsafeBufferPointer(scratchPositions),
                     shift: keyShift + lowBits, bits: layout.directoryBits,
                     sortedCodes: sortedCodes, sortedPositions: sortedPositions, offsets: directory)
    }

    /// Stable counting sort of codes (and their positions; nil means 0, 1, 2 ...)
    /// by `(code >> shift) & (2^bits - 1)`; `offsets` (2^bits + 1) gets each key's start.
    private static func countingSort(
        _ codes: UnsafeBufferPointer<UInt32>, positions: UnsafeBufferPointer<UInt32>?, shift: Int, bits: Int,
        sortedCodes: UnsafeMutableBufferPointer<UInt32>, sortedPositions: UnsafeMutableBufferPointer<UInt32>,
        offsets: UnsafeMutableBufferPointer<UInt32>
    ) {
        let keyShift = UInt32(shift)
        let keyMask = UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(bits)) &- 1)
        let buckets = 1 << bits
        _ = offsets.initialize(from: repeatElement(0, count: buckets + 1))
        for code in codes { offsets[Int((code >> keyShift) & keyMask) &+ 1] &+= 1 }
        for bucket in 0..<buckets { offsets[bucket &+ 1] &+= offsets[bucket] }
        let cursor = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: buckets)
        defer { cursor.deallocate() }
        _ = cursor.initialize(from: offsets[0..<buckets])
        for index in 0..<codes.count {
            let code = codes[index]
            let key = Int((code >> keyShift) & keyMask)
            let destination = Int(cursor[key])
            cursor[key] = cursor[key] &+ 1
            sortedCodes[destination] = code
            sortedPositions[destination] = positions?[index] ?? UInt32(truncatingIfNeeded: index)
        }
    }

    /// Runs the C probe search over these tables; false means it stopped
    /// because scanning had become cheaper (`maxCost`, in codes scanned).
    func probe(_ query: UInt32, maxCost: Int, kernel: HammingKernel, into result: inout imgsearch_hamming_result) -> Bool {
        storage.withUnsafeBufferPointer { storage in
            guard let base = storage.baseAddress else { return false }
            return withUnsafeTemporaryAllocation(of: imgsearch_hamming_table.self, capacity: layouts.count) { tables in
                for (index, layout) in layouts.enumerated() {
                    tables.initializeElement(at: index, to: imgsearch_hamming_table(
                        offsets: base + layout.offsets, codes: base + layout.codes,
                        positions: base + layout.positions, shift: UInt32(layout.shift),
                        width: UInt32(layout.width), directory_bits: UInt32(layout.directoryBits)))
                }
                return imgsearch_hamming_probe(
                    tables.baseAddress, UInt32(layouts.count), query, UInt64(maxCost), &result, kernel.level) == 0
            }
        }
    }
}
