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
package struct HammingTables: Sendable {
    /// Where one table lies in `storage`.
    package struct Layout: Sendable {
        package var shift: Int
        package var width: Int
        var directoryBits: Int
        package var offsets: Int
        package var codes: Int
        package var positions: Int
    }

    /// The tables, lowest substring first.
    let layouts: [Layout]
    /// All tables' offsets, codes and positions, in one allocation.
    package let storage: [UInt32]

    /// Builds `substringCount` tables over the low `bitCount` bits of `codes`,
    /// splitting the bits as evenly as possible. O(count) per table: a radix
    /// sort of two or three passes, then one pass for the directory.
    package init(codes: [UInt32], bitCount: Int, substringCount: Int) {
        let (layouts, size) = Self.layouts(count: codes.count, bitCount: bitCount, substringCount: substringCount)
        self.layouts = layouts
        self.storage = [UInt32](unsafeUninitializedCapacity: size) { storage, initialized in
            codes.withUnsafeBufferPointer { codes in
                for layout in layouts { Self.build(layout, from: codes, into: storage) }
            }
            initialized = size
        }
    }

    /// Adopts tables read from a file for `count` codes, after the checks that
    /// keep every search within bounds: each directory starts at 0, never
    /// decreases and ends at `count`, and every position is below `count`.
    /// (Whether the entries match the codes is not checked: like the codes
    /// themselves, the file is trusted to be what was written.)
    package init(storage: [UInt32], count: Int, bitCount: Int, substringCount: Int) throws(HammingIndexError) {
        guard (1...max(1, bitCount)).contains(substringCount) else {
            throw .corrupt("\(substringCount) hash tables for \(bitCount)-bit codes")
        }
        let (layouts, size) = Self.layouts(count: count, bitCount: bitCount, substringCount: substringCount)
        guard storage.count == size else {
            throw .corrupt("hash tables of \(storage.count) words, expected \(size)")
        }
        let limit = UInt32(truncatingIfNeeded: count)
        let valid = storage.withUnsafeBufferPointer { storage in
            layouts.allSatisfy { layout in
                let slots = 1 << layout.directoryBits
                guard storage[layout.offsets] == 0, storage[layout.offsets + slots] == limit else { return false }
                var sorted = true
                for slot in 0..<slots where storage[layout.offsets + slot] > storage[layout.offsets + slot + 1] {
                    sorted = false
                }
                var largest: UInt32 = 0
                for index in 0..<count { largest = max(largest, storage[layout.positions + index]) }
                return sorted && (count == 0 || largest < limit)
            }
        }
        guard valid else { throw .corrupt("hash table directory or positions out of range") }
        self.layouts = layouts
        self.storage = storage
    }

    /// Where each table lies in the storage, and the storage's size in words.
    private static func layouts(count: Int, bitCount: Int, substringCount: Int) -> ([Layout], Int) {
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
        return (layouts, size)
    }

    /// Directory bits for a key of `width` bits over `count` codes: the whole
    /// key up to 16 bits; beyond, about log2(count) - 1 (a few codes per
    /// slot), at least width - 16 (short binary searches) and at most 24.
    static func directoryBits(width: Int, count: Int) -> Int {
        guard width > 16 else { return width }
        let log2Count = count > 1 ? Int.bitWidth - 1 - count.leadingZeroBitCount : 0
        return min(width, max(width - 16, min(24, log2Count - 1)))
    }

    /// The number of substrings Norouzi, Punjani & Fleet recommend for
    /// `count` codes of `bitCount` bits: about bitCount / log2(count), so that
    /// each table has about one code per key; at least 2 (1 is bucket probing).
    package static func automaticSubstringCount(bitCount: Int, count: Int) -> Int {
        guard bitCount >= 2 else { return 1 }
        let log2Count = log2(Double(max(count, 2)))
        let m = Int((Double(bitCount) / log2Count).rounded())
        return min(max(m, 2), min(bitCount, 8))
    }

    private static func build(_ layout: Layout, from codes: UnsafeBufferPointer<UInt32>,
                              into storage: UnsafeMutableBufferPointer<UInt32>) {
        let count = codes.count
        let sorted = sortedByKey(codes, shift: layout.shift, width: layout.width)
        defer { sorted.deallocate() }
        // Entries in key order; the directory from one sequential pass over the keys.
        let keyMask = UInt64(truncatingIfNeeded: (UInt64(1) << UInt64(layout.width)) &- 1)
        let lowBits = UInt64(layout.width - layout.directoryBits)
        let slots = 1 << layout.directoryBits
        var slot = 0
        for index in 0..<count {
            let item = sorted[index]
            let code = UInt32(truncatingIfNeeded: item >> 32)
            storage[layout.codes &+ index] = code
            storage[layout.positions &+ index] = UInt32(truncatingIfNeeded: item)
            let itemSlot = Int(((UInt64(code) >> UInt64(layout.shift)) & keyMask) >> lowBits)
            while slot <= itemSlot {
                storage[layout.offsets &+ slot] = UInt32(truncatingIfNeeded: index)
                slot &+= 1
            }
        }
        while slot <= slots {
            storage[layout.offsets &+ slot] = UInt32(truncatingIfNeeded: count)
            slot &+= 1
        }
    }

    /// Items `code << 32 | position`, sorted by the key `(code >> shift) &
    /// (2^width - 1)` and then by position: an LSD radix sort of the key's
    /// bits in digits of at most 11 bits, so that each pass scatters into at
    /// most 2,048 places (cache-friendly, unlike one pass over millions of
    /// buckets). The caller deallocates the result.
    private static func sortedByKey(_ codes: UnsafeBufferPointer<UInt32>, shift: Int, width: Int)
        -> UnsafeMutableBufferPointer<UInt64>
    {
        let count = codes.count
        var items = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: count)
        for index in 0..<count { items[index] = UInt64(codes[index]) << 32 | UInt64(index) }
        let passes = (width + 10) / 11
        guard passes > 0, count > 1 else { return items }
        var other = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: count)
        let digitBits = (width + passes - 1) / passes
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 1 << digitBits)
        defer {
            other.deallocate()
            counts.deallocate()
        }
        for pass in 0..<passes {
            let low = 32 + shift + pass * digitBits
            let bits = min(digitBits, width - pass * digitBits)
            let digitShift = UInt64(low), digitMask = UInt64((1 << bits) - 1)
            _ = counts.initialize(from: repeatElement(0, count: 1 << bits))
            for item in items { counts[Int((item >> digitShift) & digitMask)] &+= 1 }
            var start = 0
            for digit in 0..<(1 << bits) {
                let size = counts[digit]
                counts[digit] = start
                start &+= size
            }
            for item in items {
                let digit = Int((item >> digitShift) & digitMask)
                other[counts[digit]] = item
                counts[digit] &+= 1
            }
            swap(&items, &other)
        }
        return items
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
