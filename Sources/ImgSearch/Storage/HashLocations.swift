/// Where each loaded hash's image is: its block and its offset in the
/// block, from which the image id follows (block * block size + offset).
///
/// Two bytes a hash instead of an eight-byte id: a query needs the ids of
/// its few candidates only, and a million offsets are a quarter of the
/// memory to fill.
package struct HashLocations: Sendable {
    /// Image ids per block.
    package let blockSize: Int64
    /// One offset per loaded hash.
    package let offsets: [UInt16]
    /// The first row of each block in the loaded arrays, and the block's number, in row order.
    package let blocks: [(firstRow: Int, block: Int64)]

    package init(blockSize: Int64, offsets: [UInt16], blocks: [(firstRow: Int, block: Int64)]) {
        self.blockSize = blockSize
        self.offsets = offsets
        self.blocks = blocks
    }

    /// The id of the image whose hash is at `row`.
    package func id(at row: Int) -> Int64 {
        // The last block starting at or before `row`.
        var low = 0, high = blocks.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if blocks[middle].firstRow <= row { low = middle } else { high = middle - 1 }
        }
        return blocks[low].block &* blockSize &+ Int64(offsets[row])
    }

    /// Every row's id, in row order, in one pass.
    package func allIDs() -> [Int64] {
        var ids = [Int64](repeating: 0, count: offsets.count)
        for (index, start) in blocks.enumerated() {
            let end = index + 1 < blocks.count ? blocks[index + 1].firstRow : offsets.count
            let base = start.block &* blockSize
            for row in start.firstRow..<end { ids[row] = base &+ Int64(offsets[row]) }
        }
        return ids
    }
}
