/// How often one method finds the original of an edited copy.
public struct EditRecall: Sendable, Equatable {
    /// The method: "semantic-hash", "semantic-hash/rerank-N", "real-code",
    /// with flipping "semantic-hash+flip" and "real-code+flip", and the
    /// classic "pHash", "dHash", "HSV-histogram".
    public var method: String
    /// Share of copies whose first result is their original.
    public var atOne: Double
    /// Share of copies that have their original among the first 10 results.
    public var atTen: Double

    /// A recall pair with these values.
    public init(method: String, atOne: Double, atTen: Double) {
        self.method = method
        self.atOne = atOne
        self.atTen = atTen
    }
}

/// The edited-copies test for one edit (``PhotoEdit``), or for all edits
/// together: every picture of a folder edited, each copy queried against
/// the folder's originals and the database.
public struct EditedCopyResult: Sendable, Equatable {
    /// The name of all edits together, the last row.
    public static let allEdits = "all edits"

    /// The edit (``PhotoEdit``'s raw value), or ``allEdits``.
    public var edit: String
    /// Copies queried.
    public var count: Int
    /// One entry per method, in the same order in every row.
    public var recall: [EditRecall]

    /// A row with these values.
    public init(edit: String, count: Int, recall: [EditRecall]) {
        self.edit = edit
        self.count = count
        self.recall = recall
    }

    /// The recall of the method named `method`, if it was measured.
    public func recall(of method: String) -> EditRecall? {
        recall.first { $0.method == method }
    }
}
