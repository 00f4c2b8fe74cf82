import Foundation

extension Array where Element: Sendable {
    /// `transform` applied to every element on `threads` threads, results
    /// in the elements' order.
    ///
    /// Each thread takes the next unclaimed index, so slow elements (a
    /// 12 MP progressive photo among thumbnails) do not hold up the others.
    /// Dedicated threads rather than Dispatch's pool: the caller chooses the
    /// number (`--jobs`), and the work blocks on file reads.
    public func parallelMap<Result: Sendable>(
        threads: Int, _ transform: @escaping @Sendable (Element) -> Result
    ) -> [Result] {
        let count = self.count
        guard threads > 1, count > 1 else { return map(transform) }
        let results = ResultSlots<Result>(count: count)
        let elements = self
        let group = DispatchGroup()
        for _ in 0..<Swift.min(threads, count) {
            group.enter()
            let thread = Thread {
                while let index = results.claimNextIndex() {
                    results.store(transform(elements[index]), at: index)
                }
                group.leave()
            }
            // Decoding a large image uses deep C stacks (libjpeg, libpng).
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return results.collect()
    }
}

/// Result storage shared by the worker threads of `parallelMap`; each slot
/// is written by exactly one thread, the counter is taken under a lock.
private final class ResultSlots<Result>: @unchecked Sendable {
    private var slots: [Result?]
    private var next = 0
    private let lock = NSLock()

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func claimNextIndex() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < slots.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ result: Result, at index: Int) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }

    func collect() -> [Result] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { slot in
            guard let slot else { preconditionFailure("every index is claimed and stored before the workers finish") }
            return slot
        }
    }
}
