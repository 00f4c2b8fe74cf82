/// An indexed image as the index knows it: enough to tell whether the row
/// changed while a new model was being trained.
struct IndexedFile: Sendable, Equatable {
    let id: Int64
    let path: String
    let size: Int64
    let contentHash: UInt64
}
