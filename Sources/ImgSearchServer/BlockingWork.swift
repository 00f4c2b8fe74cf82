import Dispatch

/// Runs the blocking calls of a request (decoding an upload or a file,
/// finding duplicates) on threads of their own, at most `width` at once,
/// so that they neither hold up the Swift concurrency threads that every
/// other request runs on nor take more memory than `width` large decodes.
///
/// The quick calls (a search by id, a listing) run where the request runs:
/// a hop to another thread would cost more than they do.
final class BlockingWork: Sendable {
    private let queue = DispatchQueue(label: "imgsearch.serve.blocking", attributes: .concurrent)
    private let slots: DispatchSemaphore

    init(width: Int) {
        slots = DispatchSemaphore(value: max(1, width))
    }

    func run<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [slots] in
                slots.wait()
                defer { slots.signal() }
                continuation.resume(with: Swift.Result { try body() })
            }
        }
    }
}
