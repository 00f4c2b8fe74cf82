#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ImgSearch

/// Shows ``WorkProgress`` on stderr: a bar redrawn in place with count, rate
/// and time left when stderr is a terminal; otherwise a plain line every
/// tenth of the work (and at most every 10 seconds), so logs stay short.
final class ProgressPrinter: @unchecked Sendable {
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()
    private var phaseStart = Date()
    private var phase = ""
    private var lastDraw = Date.distantPast
    private var lastLoggedTenth = -1
    private var drewBar = false

    func report(_ progress: WorkProgress) {
        if progress.total == 0 { return }  // nothing to do: say nothing
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        if progress.phase != phase {
            finishLine()
            phase = progress.phase
            phaseStart = now
            lastLoggedTenth = -1
        }
        let elapsed = max(now.timeIntervalSince(phaseStart), 1e-3)
        let rate = Double(progress.completed) / elapsed
        if isTerminal {
            let isLast = progress.total.map { progress.completed >= $0 } ?? false
            guard isLast || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = now
            write("\r\u{1B}[K" + line(progress, rate: rate, elapsed: elapsed, bar: true))
            drewBar = true
        } else {
            let tenth = progress.total.map { $0 > 0 ? progress.completed * 10 / $0 : 10 } ?? -1
            let due = tenth > lastLoggedTenth || now.timeIntervalSince(lastDraw) >= 10
            guard due else { return }
            lastLoggedTenth = max(lastLoggedTenth, tenth)
            lastDraw = now
            write(line(progress, rate: rate, elapsed: elapsed, bar: false) + "\n")
        }
    }

    /// Ends a bar left on the terminal, before other output.
    func finishLine() {
        if drewBar {
            write("\n")
            drewBar = false
        }
    }

    private func line(_ progress: WorkProgress, rate: Double, elapsed: Double, bar: Bool) -> String {
        var text = "\(progress.phase): \(progress.completed)"
        if let total = progress.total {
            text += "/\(total) \(progress.unit)"
            if bar, total > 0 {
                let width = 24
                let filled = min(width, progress.completed * width / total)
                text = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] " + text
            }
            if rate > 0, progress.completed < total {
                text += ", \(Self.format(rate)) \(progress.unit)/s, \(Self.duration(Double(total - progress.completed) / rate)) left"
            } else {
                text += ", \(Self.format(rate)) \(progress.unit)/s, \(Self.duration(elapsed))"
            }
        } else {
            text += " \(progress.unit), \(Self.format(rate)) \(progress.unit)/s"
        }
        return text
    }

    private static func format(_ rate: Double) -> String {
        rate >= 100 ? String(Int(rate.rounded())) : String(format: "%.1f", rate)
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return "\(whole / 60)m\(String(format: "%02d", whole % 60))s" }
        return "\(whole / 3600)h\(String(format: "%02d", whole % 3600 / 60))m"
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
