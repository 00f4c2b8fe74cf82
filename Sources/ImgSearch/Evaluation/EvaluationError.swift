/// Why a retrieval evaluation could not run, in words that name the folder
/// or the sizes at fault.
public struct EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
