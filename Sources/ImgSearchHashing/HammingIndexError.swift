/// Why a Hamming index refused an argument or a serialized index.
///
/// The description names the value at fault and, for files, what to do.
public enum HammingIndexError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The code length is not in 1 ... 32 (the indexes store codes in a `UInt32`).
    case invalidBitCount(Int)
    /// A code or query has bits set at or above `bitCount`.
    case codeOutOfRange(code: UInt32, bitCount: Int)
    /// Two arrays that must agree in length do not (`what` names them).
    case countMismatch(what: String, expected: Int, found: Int)
    /// A real-valued code has the wrong number of values for this index.
    case realCodeDimensionMismatch(expected: Int, found: Int)
    /// A negative `k` or radius, or a similar argument out of its range.
    case invalidArgument(String)
    /// The bytes do not start with the index file magic number.
    case notAnIndex
    /// The index was written by a newer version of imgsearch.
    case unsupportedVersion(found: UInt32, supported: UInt32)
    /// The bytes hold another kind of index than the one being loaded.
    case wrongKind(expected: String, found: String)
    /// The bytes are shorter or longer than their header says, or inconsistent.
    case corrupt(String)

    /// What went wrong, in words.
    public var description: String {
        switch self {
        case .invalidBitCount(let bits):
            return "invalid code length \(bits) bits: Hamming indexes hold codes of 1 to 32 bits"
        case .codeOutOfRange(let code, let bits):
            return "code \(code) (0x\(String(code, radix: 16))) has bits set above the index's \(bits) bits"
        case .countMismatch(let what, let expected, let found):
            return "\(what): expected \(expected) values, found \(found)"
        case .realCodeDimensionMismatch(let expected, let found):
            return "real-valued code of \(found) values, but the index holds codes of \(expected)"
        case .invalidArgument(let message):
            return "invalid argument: \(message)"
        case .notAnIndex:
            return "not an imgsearch Hamming index (bad magic number)"
        case .unsupportedVersion(let found, let supported):
            return "Hamming index format version \(found), but this build reads version \(supported) --> HINT: update imgsearch, or rebuild the index"
        case .wrongKind(let expected, let found):
            return "expected a \(expected) index, found a \(found) index"
        case .corrupt(let message):
            return "corrupt Hamming index: \(message)"
        }
    }
}
