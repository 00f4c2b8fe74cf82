import Foundation

/// One piece of work running on its own thread, whose result (or error)
/// is collected with ``wait()``: the second stage of a two-stage pipeline.
final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    // Written once by the worker before `finished` is signalled, read by
    // the waiter after: the semaphore orders the two.
    private var result: Result<Value, any Error>?
    private let finished = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            result = Result { try work() }
            finished.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Blocks until the work is done; its value, or its error rethrown.
    func wait() throws -> Value {
        finished.wait()
        finished.signal()  // a second wait returns at once
        return try result!.get()
    }
}

/// A value handed to another thread whose use the caller serializes by
/// other means (here: the pipeline waits for the commit thread before it
/// touches the store again), which the compiler cannot see.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
