/// The 64-bit FNV-1a hash of a file's bytes, used with the file's size to
/// recognize a file that moved: a new path whose size and content hash equal
/// those of an indexed path that is gone keeps that image's code and is not
/// decoded again.
///
/// Not cryptographic: it guards against accidents, not adversaries. Two
/// different files of the same size collide with probability about 2^-64,
/// and only a file that disappeared in the same run is compared, so a
/// collision is practically impossible (Fowler, Noll and Vo; the constants
/// are FNV's published 64-bit offset basis and prime). Hashing costs about
/// a millisecond per megabyte, far less than decoding the same bytes.
public enum ContentHash {
    static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// The hash of `bytes`.
    public static func of(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBufferPointer { buffer in
            var hash = offsetBasis
            for byte in buffer {
                hash = (hash ^ UInt64(byte)) &* prime
            }
            return hash
        }
    }
}
