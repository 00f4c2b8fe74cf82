import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import ImgSearch

/// The indexer when the world around it changes: folders that vanish, a
/// second indexer, another process switching the model, a named pipe.
@Suite struct IndexingFaultTests {
    @Test func aMissingFolderIsAnErrorAndRemovesNothing() throws {
        let (folder, database, index) = try StorageFaultTests.indexedFolder(count: 6)
        let elsewhere = folder.deletingLastPathComponent().appendingPathComponent("moved-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: elsewhere)
            SQLiteConnectionTests.remove(database)
        }
        // An unmounted disk looks like this: the folder is simply not there.
        try FileManager.default.moveItem(at: folder, to: elsewhere)
        do {
            _ = try index.index(folders: [folder.path])
            Issue.record("indexing a missing folder succeeded")
        } catch {
            #expect(error as? IndexingError == .noFolderReadable([IndexingFailure(path: folder.path, reason: "No such file or directory")]))
            #expect("\(error)" == "\(folder.path): No such file or directory (nothing to index)")
        }
        #expect(try index.count() == 6)

        // With another folder that can be read, the run goes on; the missing
        // one is a failure and its images stay.
        let other = try IndexerTests.photoFolder(count: 2)
        defer { try? FileManager.default.removeItem(at: other) }
        var failures: [IndexingFailure] = []
        let summary = try index.index(folders: [folder.path, other.path], onFailure: { failures.append($0) })
        #expect(summary.added == 2 && summary.removed == 0 && summary.failed == 1)
        #expect(failures.map(\.path) == [folder.path])
        #expect(try index.count() == 8)
    }

    @Test func filesBelowAFolderTheWalkCouldNotSeeAreNotTakenForGone() {
        let state = StoredFileState(id: 1, size: 10, modificationTime: 1, contentHash: 7)
        let stored = ["/p/a.jpg": state, "/p/locked/b.jpg": state, "/p/locked2.jpg": state]
        let plan = IndexPlan(found: [], stored: stored, roots: ["/p"], unknown: ["/p/locked"])
        #expect(Set(plan.vanished.keys) == ["/p/a.jpg", "/p/locked2.jpg"])
    }

    @Test func aSecondIndexerWaitsForTheFirst() throws {
        let (folder, database, index) = try StorageFaultTests.indexedFolder(count: 4)
        defer {
            try? FileManager.default.removeItem(at: folder)
            SQLiteConnectionTests.remove(database)
        }
        let second = try ImageIndex(path: database) { _ in SliceMeanEncoder() }
        let waiting = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        let outcome = LockedBox<Result<IndexingSummary, any Error>?>(nil)
        do {
            let first = try IndexWriteLock(database: database) { Issue.record("the first lock had to wait") }
            withExtendedLifetime(first) {
                Thread.detachNewThread {
                    outcome.value = Result { try second.index(folders: [folder.path], onWait: { waiting.signal() }) }
                    finished.signal()
                }
                // The second run says it waits, and writes nothing meanwhile.
                #expect(waiting.wait(timeout: .now() + 30) == .success)
                #expect((try? index.count()) == 4)
            }
        }
        // The first lock is released here; the second run goes on.
        #expect(finished.wait(timeout: .now() + 60) == .success)
        let summary = try #require(try outcome.value?.get())
        #expect(summary.unchanged == 4 && summary.failed == 0)
    }

    /// Stands for another process that switches the index to a new model
    /// while this run is encoding.
    struct ModelSwitchingEncoder: SemanticEncoder {
        let database: String

        var thumbnailSide: Int { 32 }
        var codeOutput: CodeOutput { .activations }
        func hash(_ code: [Float]) throws -> SemanticHash { SliceMeanEncoder.hash(of: code) }

        func encode(_ thumbnails: [Thumbnail]) throws -> [SemanticCode] {
            let other = try SQLiteIndexStore(path: database)
            try other.write { batch in
                try batch.setActiveModel(try batch.addModel(IndexStoreTests.model()))
            }
            return try SliceMeanEncoder().encode(thumbnails)
        }
    }

    @Test func anotherProcessSwitchingTheModelStopsTheRunCleanly() throws {
        let folder = try IndexerTests.photoFolder(count: 5)
        let database = SQLiteConnectionTests.temporaryDatabase()
        defer {
            try? FileManager.default.removeItem(at: folder)
            SQLiteConnectionTests.remove(database)
        }
        let index = try ImageIndex(path: database) { _ in ModelSwitchingEncoder(database: database) }
        try index.installModelIfNone(IndexStoreTests.model())
        #expect(throws: IndexingError.activeModelChanged(path: database)) {
            try index.index(folders: [folder.path])
        }
        #expect(try index.count() == 0)
    }

    @Test func aNamedPipeIsRefusedWithoutWaitingForAWriter() throws {
        let pipe = FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-pipe-\(UUID().uuidString).jpg").path
        #expect(mkfifo(pipe, 0o644) == 0)
        defer { unlink(pipe) }
        let done = DispatchSemaphore(value: 0)
        let result = LockedBox<Result<[UInt8], ImageDecodingError>?>(nil)
        Thread.detachNewThread {
            result.value = Result { () throws(ImageDecodingError) -> [UInt8] in try ImageFile.read(pipe) }
            done.signal()
        }
        if done.wait(timeout: .now() + 20) == .timedOut {
            Issue.record("reading a FIFO blocked")
            // Release the blocked open so the thread can end.
            let writer = open(pipe, O_WRONLY | O_NONBLOCK)
            if writer >= 0 { close(writer) }
            done.wait()
        }
        #expect(result.value == .failure(ImageDecodingError(path: pipe, reason: .unreadable("is not a regular file"))))
    }
}

/// A value shared with another thread, behind a lock.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
