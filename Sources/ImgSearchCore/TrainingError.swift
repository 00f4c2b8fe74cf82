/// Why training stopped or could not start.
public enum TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The progress handler answered `.cancel`. Nothing was written.
    case cancelled
    /// The training data cannot be used as it is.
    case invalidData(String)
    /// A hyperparameter is out of range.
    case invalidConfiguration(String)

    /// In words, with what to do.
    public var description: String {
        switch self {
        case .cancelled:
            return "training cancelled"
        case .invalidData(let reason):
            return "invalid training data: \(reason)"
        case .invalidConfiguration(let reason):
            return "invalid training configuration: \(reason)"
        }
    }
}
