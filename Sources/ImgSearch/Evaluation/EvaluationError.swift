/// Why a retrieval evaluation could not run, in words that name the folder
/// or the sizes at fault.
public struct EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, naming the folder or sizes at fault.
    public let description: String

    /// An error that says `description`.
    public init(_ description: String) {
        self.description = description
    }
}
