/// A model as the index keeps it: the model file's bytes and its story.
package struct StoredModel: Sendable, Equatable {
    package var name: String
    /// ISO 8601, UTC.
    package var createdAt: String
    /// What it was trained on, in words ("CIFAR-10 train split, 50,000 images").
    package var trainedOn: String
    /// Training settings, JSON.
    package var settings: String
    /// Training metrics, JSON.
    package var metrics: String
    package var file: [UInt8]

    package init(name: String, createdAt: String, trainedOn: String, settings: String, metrics: String, file: [UInt8]) {
        self.name = name
        self.createdAt = createdAt
        self.trainedOn = trainedOn
        self.settings = settings
        self.metrics = metrics
        self.file = file
    }
}
