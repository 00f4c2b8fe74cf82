import Foundation

/// One piece of work running on its own thread, whose result (or error)
/// is collected with ``wait()``: the second stage of a two-stage pipeline.
package final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    // Written once by the worker before `finished` is signalled, read by
    // the waiter after: the semaphore orders the two.
    private var result: Result<Value, any Error>?
    private let finished = DispatchSemaphore(value: 0)
    // Held here, not by the thread's block, and dropped before `finished` is
    // signalled: what the work captured (an index's SQLite connection) must
    // be free once `wait()` returns, or a process that ends right after
    // would exit with its connection open and its write-ahead log unmerged
    // while the finished thread object still lingered.
    private var work: (@Sendable () throws -> Value)?

    package init(_ work: @escaping @Sendable () throws -> Value) {
        self.work = work
        let thread = Thread { [self] in
            do {
                let body = self.work
                self.work = nil
                result = Result { try body!() }
            }
            finished.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Blocks until the work is done; its value, or its error rethrown.
    package func wait() throws -> Value {
        finished.wait()
        finished.signal()  // a second wait returns at once
        return try result!.get()
    }
}

/// A value handed to another thread whose use the caller serializes by
/// other means (here: the pipeline waits for the commit thread before it
/// touches the store again), which the compiler cannot see.
package struct UncheckedSendable<Value>: @unchecked Sendable {
    package let value: Value
    package init(_ value: Value) { self.value = value }
}
