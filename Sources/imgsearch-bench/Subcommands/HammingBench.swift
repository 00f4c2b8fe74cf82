import ArgumentParser
import Dispatch
import Foundation
import ImgSearch
import ImgSearchBenchIndexes

/// Times one Hamming index on a codes file and a queries file, the way
/// `../shared/bench/faiss_binary.py` times FAISS on the same files.
struct HammingBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hamming", abstract: "Time k-nearest Hamming search on raw UInt32 code files.")

    enum IndexKind: String, ExpressibleByArgument, CaseIterable { case flat, scan, bucket, mih }

    @Option(help: "Codes to index: raw little-endian UInt32.") var codes: String
    @Option(help: "Queries: raw little-endian UInt32.") var queries: String
    @Option(help: "Neighbours per query.") var k = 10
    @Option(help: "Search threads.") var threads = 1
    @Option(help: "flat, scan, bucket or mih.") var index: IndexKind = .flat
    @Option(help: "Bits per code.") var bits = 30
    @Option(help: "Substrings for mih (default: chosen from the size).") var substrings: Int?
    @Option(help: "Write one line per query: id:distance pairs, nearest first.") var out: String?

    func validate() throws {
        guard k > 0 else { throw ValidationError("--k must be positive") }
        guard threads > 0 else { throw ValidationError("--threads must be positive") }
    }

    func run() throws {
        let codes = try CodeFile.read(self.codes)
        let queries = try CodeFile.read(self.queries)
        let ids = (0..<codes.count).map(Int64.init)
        let clock = ContinuousClock()
        var built: any HammingIndex = try FlatHammingIndex(bitCount: bits)
        let buildTime = try clock.measure {
            switch index {
            case .flat: built = try FlatHammingIndex(bitCount: bits)
            case .scan: built = try ScanHammingIndex(bitCount: bits)
            case .bucket: built = try BucketHammingIndex(bitCount: bits)
            case .mih: built = try MultiIndexHammingIndex(bitCount: bits, substringCount: substrings)
            }
            try built.add(codes, ids: ids)
        }
        let (saveTime, loadTime) = try timeSerialization(built, clock: clock)
        let searched = built
        _ = try searched.search(queries[0], k: k)  // warm caches and page in the tables

        // Latency: each query alone, `threads` queries in flight at a time.
        var latencies = [Double](repeating: 0, count: queries.count)
        let k = self.k
        try latencies.withUnsafeMutableBufferPointer { latencies in
            let slots = LatencySlots(base: latencies.baseAddress)
            let workers = threads
            let failed = FailureFlag()
            let work: @Sendable (Int) -> Void = { worker in
                for query in stride(from: worker, to: queries.count, by: workers) {
                    let start = clock.now
                    do { _ = try searched.search(queries[query], k: k) } catch { failed.set(); return }
                    slots.base?[query] = milliseconds(clock.now - start)
                }
            }
            // One thread runs here: Dispatch's idle workers spin in sched_yield
            // for a while after concurrentPerform and would steal the core from
            // the batch timing that follows.
            if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
            if failed.isSet { throw BenchError("a query was refused (codes wider than --bits \(bits)?)") }
        }
        // Throughput: the batch API, as FAISS is timed (median of 3 runs).
        var statistics = HammingSearchStatistics()
        var results: [[HammingNeighbor]] = []
        var batchTimes: [Double] = []
        for run in 0..<3 {
            var runStatistics = HammingSearchStatistics()
            let time = try clock.measure {
                results = try searched.search(queries, k: k, threads: threads, statistics: &runStatistics)
            }
            batchTimes.append(milliseconds(time) / Double(queries.count))
            if run == 0 { statistics = runStatistics }
        }
        let latency = median(latencies)
        let batch = median(batchTimes)
        let perQuery = { (value: Int) in String(format: "%.0f", Double(value) / Double(queries.count)) }
        var description = "imgsearch \(index.rawValue)"
        if let mih = searched as? MultiIndexHammingIndex { description += " m=\(mih.substringCount)" }
        print(String(format: "%@ kernel=%@ threads=%d N=%d queries=%d k=%d ms/query %.4f  batch-ms/query %.4f  qps %.0f  build-ms %.1f  save-ms %.1f  load-ms %.1f",
                     description, HammingKernel.best.description, threads, codes.count, queries.count, k,
                     latency, batch, 1000 / batch, milliseconds(buildTime), saveTime, loadTime)
            + "  compared/query \(perQuery(statistics.codesCompared))  probed/query \(perQuery(statistics.bucketsProbed))"
            + "  scan-fallbacks \(statistics.scanFallbacks)  retries \(statistics.retries)")
        if let out {
            let text = results.map { $0.map(\.description).joined(separator: " ") }.joined(separator: "\n") + "\n"
            guard FileManager.default.createFile(atPath: out, contents: Data(text.utf8)) else {
                throw BenchError("\(out): cannot write file")
            }
        }
    }

    /// Milliseconds to serialize and to load the index again (checked equal in size).
    private func timeSerialization(_ index: any HammingIndex, clock: ContinuousClock) throws -> (Double, Double) {
        var bytes: [UInt8] = []
        let save = clock.measure { bytes = index.serializedBytes() }
        var loadedCount = 0
        let load = try clock.measure {
            switch index {
            case is ScanHammingIndex: loadedCount = try ScanHammingIndex(serializedBytes: bytes).count
            case is BucketHammingIndex: loadedCount = try BucketHammingIndex(serializedBytes: bytes).count
            case is MultiIndexHammingIndex: loadedCount = try MultiIndexHammingIndex(serializedBytes: bytes).count
            default: loadedCount = try FlatHammingIndex(serializedBytes: bytes).count
            }
        }
        guard loadedCount == index.count else { throw BenchError("reloaded index has \(loadedCount) codes, not \(index.count)") }
        return (milliseconds(save), milliseconds(load))
    }
}

private func milliseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1e3 + Double(attoseconds) * 1e-15
}

private func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// Each worker writes the latencies of its own queries.
private struct LatencySlots: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>?
}

/// Set by a worker whose query was refused.
private final class FailureFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
