/// Wall-clock seconds, for the progress reports only (training itself never
/// depends on time, so a seed reproduces it exactly).
package struct Stopwatch {
    private let start = ContinuousClock.now

    package init() {}

    package var elapsedSeconds: Double {
        let duration = ContinuousClock.now - start
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
