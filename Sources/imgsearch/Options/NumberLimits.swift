import ArgumentParser

/// Bounds shared by several commands' numeric options.
enum NumberLimits {
    /// The most threads `--jobs` may ask for. Each job holds a decoded
    /// picture (up to several hundred MB for a large photo) and a thread,
    /// so a typo such as `--jobs 100000` would exhaust memory or threads
    /// long before it helped; 256 is far above any machine's useful count.
    static let maximumJobs = 256

    /// `--jobs` must be 1 ... ``maximumJobs``.
    static func checkJobs(_ jobs: Int) throws {
        guard (1...maximumJobs).contains(jobs) else {
            throw ValidationError("--jobs must be 1 ... \(maximumJobs), not \(jobs)")
        }
    }
}
