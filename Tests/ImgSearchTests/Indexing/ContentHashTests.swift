import Testing
@testable import ImgSearch

@Suite struct ContentHashTests {
    // Reference values of 64-bit FNV-1a from the FNV authors' test suite.
    @Test(arguments: [
        ("", 0xCBF2_9CE4_8422_2325 as UInt64),
        ("a", 0xAF63_DC4C_8601_EC8C),
        ("foobar", 0x8594_4171_F739_67E8),
    ])
    func matchesTheReferenceValues(text: String, expected: UInt64) {
        #expect(ContentHash.of(Array(text.utf8)) == expected)
    }

    @Test func anyChangedByteChangesTheHash() {
        var random = SplitMix64(seed: 3)
        let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) }
        let original = ContentHash.of(bytes)
        for position in stride(from: 0, to: bytes.count, by: 97) {
            var changed = bytes
            changed[position] ^= 1
            #expect(ContentHash.of(changed) != original)
        }
    }
}
