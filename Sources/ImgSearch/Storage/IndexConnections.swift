import Foundation

/// The connections of one ``ImageIndex``: one writer that index runs,
/// removals and model switches take turns on, and readers that queries
/// check out, so that a query waits neither for an index run nor for
/// another query.
///
/// `@unchecked Sendable` because the connections themselves are not
/// thread-safe: each is handed to one thread at a time, the writer under
/// `writerLock`, a reader by taking it out of `idleReaders`.
package final class IndexConnections: @unchecked Sendable {
    let backend: any IndexBackend
    let isReadOnly: Bool
    private let writer: (any IndexStorage)?
    private let writerLock = NSLock()
    private var idleReaders: [any IndexStorage] = []
    private let idleLock = NSLock()
    /// Asked for the change token only: ``IndexStorage/changeToken()`` is
    /// comparable between calls on one connection, and this one never
    /// writes, so every commit of any other connection moves it.
    private let watcher: any IndexStorage
    private let watcherLock = NSLock()

    /// Opens the first connections; a writable index is created and
    /// migrated by its writer's opening.
    init(backend: any IndexBackend, readOnly: Bool) throws {
        self.backend = backend
        isReadOnly = readOnly
        writer = readOnly ? nil : try backend.openStorage(readOnly: false, migrating: true)
        watcher = try backend.openStorage(readOnly: readOnly, migrating: false)
    }

    /// Runs `body` on the writer. When another call of this process is
    /// writing, `onBusy` is called once and this waits for it.
    package func writing<Result>(onBusy: () -> Void = {}, _ body: (any IndexStorage) throws -> Result) throws -> Result {
        try refuseIfReadOnly()
        guard let writer else { preconditionFailure("a writable index always has a writer") }
        if !writerLock.try() {
            onBusy()
            writerLock.lock()
        }
        defer { writerLock.unlock() }
        return try body(writer)
    }

    /// A read-only index says so before any work, in the words SQLite
    /// would use at the first write.
    func refuseIfReadOnly() throws {
        if isReadOnly {
            throw SQLiteError(code: 8, message: "the index was opened read-only", sql: nil, path: backend.location)
        }
    }

    /// Runs `body` on a reader of its own: an idle one, or a new one when
    /// all are in use.
    package func reading<Result>(_ body: (any IndexStorage) throws -> Result) throws -> Result {
        let reader = try idleLock.withLock { idleReaders.popLast() }
            ?? backend.openStorage(readOnly: isReadOnly, migrating: false)
        defer { idleLock.withLock { idleReaders.append(reader) } }
        return try body(reader)
    }

    /// Changes whenever any connection of any process commits.
    func changeToken() throws -> Int64 {
        try watcherLock.withLock { try watcher.changeToken() }
    }
}
