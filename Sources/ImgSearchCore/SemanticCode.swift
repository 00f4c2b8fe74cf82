/// A thumbnail's code and semantic hash.
public struct SemanticCode: Sendable, Equatable {
    /// The real-valued code (30 values for the default model).
    public var code: [Float]
    /// The binarized code, bit `i` from `code[i]`, in the low bits.
    public var hash: UInt64

    public init(code: [Float], hash: UInt64) {
        self.code = code
        self.hash = hash
    }
}
