/// An indexed image as the index knows it: enough to tell whether the row
/// changed while a new model was being trained.
package struct IndexedFile: Sendable, Equatable {
    package let id: Int64
    package let path: String
    package let size: Int64
    package let contentHash: UInt64

    package init(id: Int64, path: String, size: Int64, contentHash: UInt64) {
        self.id = id
        self.path = path
        self.size = size
        self.contentHash = contentHash
    }
}

/// An indexed file as the incremental indexer compares it with the disk.
package struct StoredFileState: Sendable, Equatable {
    package let id: Int64
    package let size: Int64
    package let modificationTime: Int64
    package let contentHash: UInt64
    /// Whether the row has its colour histogram; a row written before
    /// indexes stored it is decoded again, even when the file is unchanged.
    package let hasColour: Bool

    package init(id: Int64, size: Int64, modificationTime: Int64, contentHash: UInt64, hasColour: Bool = true) {
        self.id = id
        self.size = size
        self.modificationTime = modificationTime
        self.contentHash = contentHash
        self.hasColour = hasColour
    }
}
