/// A thumbnail's code and semantic hash.
public struct SemanticCode: Sendable, Equatable {
    /// The real-valued code (30 values for the default model).
    public var code: [Float]
    /// The binarized code, bit `i` from `code[i]`, in the low bits.
    public var hash: SemanticHash

    public init(code: [Float], hash: SemanticHash) {
        self.code = code
        self.hash = hash
    }
}
