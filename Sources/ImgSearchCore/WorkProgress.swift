/// How far a long piece of work (indexing, training) has come, reported
/// through a callback so that a caller can draw a bar, log, or ignore it.
public struct WorkProgress: Sendable, Equatable {
    /// What is being done, in a word or two ("indexing", "pretraining layer 2").
    public var phase: String
    /// Units done so far (files, epochs).
    public var completed: Int
    /// Units in all, when known.
    public var total: Int?
    /// The unit's name, plural ("files", "epochs").
    public var unit: String

    public init(phase: String, completed: Int, total: Int?, unit: String) {
        self.phase = phase
        self.completed = completed
        self.total = total
        self.unit = unit
    }
}
