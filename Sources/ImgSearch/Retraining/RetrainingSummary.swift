/// What ``ImageIndex/train(settings:jobs:maximumTrainingImages:progress:trainingProgress:onFailure:)`` did.
public struct RetrainingSummary: Sendable, Codable, Equatable {
    /// Images the new model was trained on (a seeded sample when the index is larger).
    public var trainedOn = 0
    /// Images re-encoded with the new model.
    public var reencoded = 0
    /// Indexed images whose file could no longer be read or decoded: they
    /// cannot get a code from the new model, so they left the index (the
    /// next `index` run adds them back if they become readable again).
    public var removed = 0
    /// Wall-clock seconds, training included.
    public var seconds: Double = 0

    public init() {}
}
