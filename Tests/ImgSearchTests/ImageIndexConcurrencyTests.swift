import Foundation
import Testing
@testable import ImgSearch

/// Queries in one process go on while an index run of the same process
/// holds the writer and the write lock: they read on connections of their
/// own and decode outside any lock.
@Suite struct ImageIndexConcurrencyTests {
    /// `count` distinct JPEG files (colour gradients of different slopes)
    /// in a new folder.
    static func gradientFolder(count: Int) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-concurrency-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for number in 0..<count {
            var pixels: [UInt8] = []
            for y in 0..<48 {
                for x in 0..<48 {
                    pixels += [UInt8((x * (number + 1) * 5) & 0xFF), UInt8((y * (number + 3) * 3) & 0xFF), UInt8(((x + y) * number) & 0xFF)]
                }
            }
            let bytes = try JPEGEncoder.encode(RGBImage(width: 48, height: 48, pixels: pixels), quality: 90)
            try Data(bytes).write(to: folder.appendingPathComponent("\(number).jpg"))
        }
        return folder
    }

    /// Signalled by one thread, waited for by another, with a bound so that
    /// a test that deadlocks fails instead of hanging.
    final class Gate: @unchecked Sendable {  // a semaphore, thread-safe itself
        private let semaphore = DispatchSemaphore(value: 0)
        func open() { semaphore.signal() }
        func wait() -> Bool { semaphore.wait(timeout: .now() + 120) == .success }
    }

    /// Query results written by several threads.
    final class Results: @unchecked Sendable {  // every access under `lock`
        private let lock = NSLock()
        private var results: [Int: QueryResult] = [:]
        func set(_ which: Int, _ result: QueryResult?) { lock.withLock { results[which] = result } }
        func get(_ which: Int) -> QueryResult? { lock.withLock { results[which] } }
    }

    @Test func aQueryIsAnsweredWhileAnIndexRunHoldsTheWriteLock() throws {
        let first = try Self.gradientFolder(count: 20)
        let second = try Self.gradientFolder(count: 40)
        let database = SQLiteConnectionTests.temporaryDatabase()
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
            SQLiteConnectionTests.remove(database)
        }
        let index = try ImageIndexTests.open(database)
        _ = try index.index(folders: [first.path])
        let query = first.appendingPathComponent("3.jpg").path
        let unindexed = second.appendingPathComponent("7.jpg").path

        // The second run stops in its progress report, between two chunk
        // commits, holding the writer and the write lock, until the queries
        // below are done.
        let paused = Gate(), resume = Gate(), finished = Gate()
        let run = Thread { [index, second] in
            var pausedOnce = false
            _ = try? index.index(folders: [second.path], progress: { progress in
                guard !pausedOnce, progress.completed > 0 else { return }
                pausedOnce = true
                paused.open()
                _ = resume.wait()
            })
            finished.open()
        }
        run.start()
        #expect(paused.wait(), "the index run never reported progress")

        // Another process cannot take the write lock now: the run holds it.
        #expect(try Self.writeLockIsHeld(database))
        // Queries from two threads, one by a stored code and one decoding
        // and encoding a file, while the run is paused.
        let answered = Gate()
        let results = Results()
        let queries = Thread { [index] in
            DispatchQueue.concurrentPerform(iterations: 2) { which in
                let result = try? index.query(imageAt: which == 0 ? query : unindexed, options: QueryOptions(k: 3))
                results.set(which, result)
            }
            answered.open()
        }
        queries.start()
        let queriesFinished = answered.wait()
        let lockStillHeld = try Self.writeLockIsHeld(database)
        resume.open()
        #expect(queriesFinished, "the queries waited for the index run")
        #expect(lockStillHeld, "the queries were answered only after the run let go of the lock")
        #expect(results.get(0)?.matches.first?.path == URL(fileURLWithPath: query).resolvingSymlinksInPath().path)
        #expect(results.get(1)?.matches.count == 3)
        #expect(finished.wait(), "the index run did not finish")
        #expect(try index.count() == 60)
    }

    /// Whether a writer of another process would have to wait now.
    static func writeLockIsHeld(_ database: String) throws -> Bool {
        let descriptor = open(IndexWriteLock.lockPath(for: database), O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return true
    }
}
