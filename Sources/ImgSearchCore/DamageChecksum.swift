/// A 64-bit checksum of stored bytes, to tell damaged data from sound data
/// where SQLite's own checks cannot: random bytes written into a page's
/// payload leave the b-tree valid, so `PRAGMA integrity_check` passes while
/// the hashes or codes read from it are wrong (issue 19).
///
/// Not a cryptographic hash: it guards against accidents (a bad sector, a
/// stray write, a truncated copy), not against someone forging data. It is
/// a Fletcher-style pair of sums over 64-bit words in four lanes, which the
/// compiler vectorizes (a query checks every hash block it loads, 6 MB at a
/// million images), mixed with the length at the end. Any change of one
/// word changes its lane's first sum, and the final mix spreads that over
/// every bit, so a damaged value is missed with probability about 2^-64.
package enum DamageChecksum {
    /// The checksum of `bytes`, as a signed integer because SQLite stores those.
    /// `continuing` chains values: the checksum of a row's parts is each
    /// part's checksum continuing the one before.
    package static func of(_ bytes: UnsafeRawBufferPointer, continuing previous: Int64 = 0) -> Int64 {
        var sum0: UInt64 = 0, sum1: UInt64 = 0, sum2: UInt64 = 0, sum3: UInt64 = 0
        var run0: UInt64 = 0, run1: UInt64 = 0, run2: UInt64 = 0, run3: UInt64 = 0
        let wholeChunks = bytes.count / 32
        if let base = bytes.baseAddress {
            for chunk in 0..<wholeChunks {
                let offset = chunk &* 32
                sum0 &+= UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                sum1 &+= UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset &+ 8, as: UInt64.self))
                sum2 &+= UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset &+ 16, as: UInt64.self))
                sum3 &+= UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset &+ 24, as: UInt64.self))
                run0 &+= sum0
                run1 &+= sum1
                run2 &+= sum2
                run3 &+= sum3
            }
        }
        // The last 0-31 bytes, one at a time into a fifth word: a short
        // value (a row's code) is mostly this part, and it must count too.
        var tail: UInt64 = 0
        for index in (wholeChunks &* 32)..<bytes.count {
            tail = (tail &<< 8 | tail &>> 56) ^ UInt64(bytes[index])
            tail &*= 0x100_0000_01B3
        }
        var mixed = fold(fold(UInt64(bitPattern: previous), UInt64(bytes.count)), sum0)
        mixed = fold(fold(fold(mixed, sum1), sum2), sum3)
        mixed = fold(fold(fold(fold(mixed, run0), run1), run2), run3)
        return Int64(bitPattern: fold(mixed, tail))
    }

    /// One word into the running mix; SplitMix64's finalizer spreads each
    /// input bit over all 64.
    private static func fold(_ mixed: UInt64, _ word: UInt64) -> UInt64 {
        SplitMix64.mix((mixed ^ word) &+ SplitMix64.increment)
    }

    /// The checksum of an array's bytes.
    package static func of(_ bytes: [UInt8], continuing previous: Int64 = 0) -> Int64 {
        bytes.withUnsafeBytes { of($0, continuing: previous) }
    }
}
