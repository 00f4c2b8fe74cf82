import Foundation
import Testing
@testable import ImgSearch
import ImgSearchBenchIndexes

/// Save and reload give identical results; damaged bytes are refused with a
/// reason, never loaded as an index.
@Suite struct HammingIndexSerializationTests {
    static func filled<Index: HammingIndex>(_ index: Index) throws -> Index {
        var index = index
        let (codes, _) = HammingTestData.clustered.make(count: 3_000, queryCount: 1, seed: 21)
        try index.add(codes, ids: codes.indices.map { Int64($0) * 7 - 100 },
                      realCodes: HammingTestData.realCodes(for: codes, bits: 30))
        index.remove(ids: [-100, 600])
        return index
    }

    static func expectSameResults(_ original: some HammingIndex, _ reloaded: some HammingIndex) throws {
        let (_, queries) = HammingTestData.clustered.make(count: 3_000, queryCount: 10, seed: 21)
        let realQueries = HammingTestData.realCodes(for: queries, bits: 30, seed: 22)
        #expect(reloaded.count == original.count)
        #expect(reloaded.realCodeDimension == 30)
        for (number, query) in queries.enumerated() {
            let realQuery = Array(realQueries[(number * 30)..<((number + 1) * 30)])
            #expect(try reloaded.search(query, k: 20, realCode: realQuery) == original.search(query, k: 20, realCode: realQuery))
            #expect(try reloaded.search(query, radius: 3) == original.search(query, radius: 3))
        }
    }

    @Test func flatRoundTrip() throws {
        let index = try Self.filled(FlatHammingIndex(realCodeDimension: 30))
        let reloaded = try FlatHammingIndex(serializedBytes: index.serializedBytes())
        #expect(reloaded.ids == index.ids && reloaded.codes == index.codes)
        try Self.expectSameResults(index, reloaded)
        #expect(reloaded.serializedBytes() == index.serializedBytes())
    }

    @Test func bucketRoundTripFromData() throws {
        let index = try Self.filled(BucketHammingIndex(realCodeDimension: 30))
        try Self.expectSameResults(index, try BucketHammingIndex(serializedBytes: Data(index.serializedBytes())))
    }

    @Test func multiIndexRoundTripKeepsItsSubstringCount() throws {
        let index = try Self.filled(MultiIndexHammingIndex(realCodeDimension: 30, substringCount: 4))
        let reloaded = try MultiIndexHammingIndex(serializedBytes: index.serializedBytes())
        #expect(reloaded.substringCount == 4)
        try Self.expectSameResults(index, reloaded)
    }

    @Test func emptyIndexRoundTrip() throws {
        let index = try FlatHammingIndex(bitCount: 12)
        let reloaded = try FlatHammingIndex(serializedBytes: index.serializedBytes())
        #expect(reloaded.count == 0 && reloaded.bitCount == 12)
    }

    @Test func refusesDamagedBytes() throws {
        var index = try FlatHammingIndex(bitCount: 20)
        try index.add([1, 2, 3], ids: [1, 2, 3])
        let bytes = index.serializedBytes()

        #expect(throws: HammingIndexError.notAnIndex) { try FlatHammingIndex(serializedBytes: [UInt8]()) }
        #expect(throws: HammingIndexError.notAnIndex) { try FlatHammingIndex(serializedBytes: Array("GIF89a".utf8) + bytes) }
        #expect(throws: HammingIndexError.self) { try FlatHammingIndex(serializedBytes: Array(bytes.dropLast())) }
        #expect(throws: HammingIndexError.self) { try FlatHammingIndex(serializedBytes: bytes + [0]) }

        var newer = bytes
        newer[8] = 2
        #expect(throws: HammingIndexError.unsupportedVersion(found: 2, supported: 1)) { try FlatHammingIndex(serializedBytes: newer) }

        #expect(throws: HammingIndexError.wrongKind(expected: "bucket", found: "flat")) {
            try BucketHammingIndex(serializedBytes: bytes)
        }

        var wide = bytes  // the first code (after the 40-byte header and 3 ids) gets bit 25 set
        wide[40 + 24 + 3] = 0x02
        #expect(throws: HammingIndexError.codeOutOfRange(code: 0x0200_0001, bitCount: 20)) {
            try FlatHammingIndex(serializedBytes: wide)
        }

        var huge = bytes  // a count whose size overflows
        huge.replaceSubrange(32..<40, with: [UInt8](repeating: 0xFF, count: 8))
        #expect(throws: HammingIndexError.self) { try FlatHammingIndex(serializedBytes: huge) }

        var badBits = bytes
        badBits[16] = 40
        #expect(throws: HammingIndexError.invalidBitCount(40)) { try FlatHammingIndex(serializedBytes: badBits) }
    }

    @Test func refusesHashTablesThatWouldReadOutOfBounds() throws {
        var index = try MultiIndexHammingIndex(bitCount: 16, substringCount: 2)
        try index.add([1, 2, 3, 0xFFFF], ids: [1, 2, 3, 4])
        let bytes = index.serializedBytes()
        // Layout after the 40-byte header and 4 * 12 bytes of ids and codes: the
        // table count, then table 0's directory (2^8 + 1 words), codes, positions.
        let tables = 40 + 48 + 4
        let lastPosition = bytes.count - 4
        #expect(try MultiIndexHammingIndex(serializedBytes: bytes).count == 4)

        var position = bytes
        position[lastPosition] = 4  // position 4 of 4 codes
        #expect(throws: HammingIndexError.corrupt("hash table directory or positions out of range")) {
            try MultiIndexHammingIndex(serializedBytes: position)
        }
        var directory = bytes
        directory[tables + 4] = 9  // offsets[1] = 9 > count
        #expect(throws: HammingIndexError.self) { try MultiIndexHammingIndex(serializedBytes: directory) }
        var tableCount = bytes
        tableCount[tables - 4] = 3
        #expect(throws: HammingIndexError.self) { try MultiIndexHammingIndex(serializedBytes: tableCount) }
        #expect(throws: HammingIndexError.self) { try MultiIndexHammingIndex(serializedBytes: Array(bytes.dropLast(4))) }
    }

    @Test func errorsDescribeThemselves() {
        #expect(HammingIndexError.unsupportedVersion(found: 2, supported: 1).description.contains("HINT"))
        #expect(HammingIndexError.codeOutOfRange(code: 0x4000_0000, bitCount: 30).description.contains("0x40000000"))
    }
}
