/// A semantic hash: the binarized code, bit `i` from code unit `i`, in the
/// low bits.
///
/// One type from the binarizer to the disk and back: the Hamming indexes,
/// the packed hash blocks of the index and every search take it as it is.
/// Hashes have at most 32 bits (30 in the reference architecture), so a
/// billion of them fit in 4 GB and one popcount compares two.
public typealias SemanticHash = UInt32

/// The most bits a ``SemanticHash`` holds.
public let semanticHashMaximumBits = 32
