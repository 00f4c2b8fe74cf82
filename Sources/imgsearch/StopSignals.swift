import Dispatch
import Foundation

/// Calls `stop` at the first SIGINT or SIGTERM, for a command that runs
/// until interrupted (`index --watch`) and must end between database
/// batches rather than die in one; a second signal ends the process at once.
final class StopSignals {
    private var sources: [DispatchSourceSignal] = []

    init(stop: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                printError("stopping (interrupt again to stop at once)")
                signal(SIGINT, SIG_DFL)
                signal(SIGTERM, SIG_DFL)
                stop()
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
