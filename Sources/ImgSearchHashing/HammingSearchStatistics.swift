/// Deterministic counters of the work searches did, summed over searches.
///
/// The counterpart of FAISS's `IndexBinaryHashStats`: unlike times, these
/// are the same on every run and every machine, so benchmarks print them
/// beside the times and tests can check which path a search took.
public struct HammingSearchStatistics: Sendable, Hashable {
    /// Searches answered.
    public var queries = 0
    /// Codes whose distance was computed: every code of a scan, and every
    /// posting-list entry a probe read.
    public var codesCompared = 0
    /// Hash-table addresses (buckets) looked up by bucket or multi-index probes.
    public var bucketsProbed = 0
    /// Probe searches that stopped because scanning had become cheaper, and scanned.
    public var scanFallbacks = 0
    /// Searches run a second time because more codes tied at the boundary
    /// distance than the first result buffers held.
    public var retries = 0

    /// No work yet.
    public init() {}

    /// Adds the counters of `other`.
    public mutating func formSum(_ other: HammingSearchStatistics) {
        queries += other.queries
        codesCompared += other.codesCompared
        bucketsProbed += other.bucketsProbed
        scanFallbacks += other.scanFallbacks
        retries += other.retries
    }
}
