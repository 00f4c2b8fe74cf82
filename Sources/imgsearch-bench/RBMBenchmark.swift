import ArgumentParser
import Foundation
import ImgSearch

/// CD-1 training throughput of one RBM, beside the sgemm bound measured in
/// the same run at the same shapes.
struct RBMBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rbm",
        abstract: "Measure CD-1 samples/s for one RBM and the fraction of the sgemm bound it reaches.",
        discussion: """
            One CD-1 step costs five products of 2 * batch * visible * hidden FLOPs each (hidden \
            probabilities, reconstruction, hidden probabilities again, positive and negative \
            statistics): 10 * visible * hidden FLOPs per sample. The bound is the rate at which \
            OpenBLAS runs exactly those five sgemm calls alone, on the same threads.
            """
    )

    @Option(help: "Visible units.")
    var visible = 784

    @Option(help: "Hidden units.")
    var hidden = 1000

    @Option(help: "Mini-batch size.")
    var batch = 100

    @Option(help: "OpenBLAS threads.")
    var threads = 1

    @Option(help: "Samples per epoch (uniform random values in [0, 1), as the peer script uses).")
    var samples = 10000

    @Option(help: "Timed epochs; the median is reported.")
    var passes = 3

    func validate() throws {
        guard visible > 0, hidden > 0, batch > 0, samples >= batch else {
            throw ValidationError("sizes must be positive and --samples at least --batch")
        }
        guard threads >= 1, passes >= 1 else { throw ValidationError("--threads and --passes must be at least 1") }
    }

    func run() throws {
        BLAS.threadCount = threads
        var generator = SplitMix64(seed: 7)
        var data = Matrix(rows: samples, columns: visible)
        data.elements.withUnsafeMutableBufferPointer { generator.fillUniform($0) }
        var rbm = RBM(visible: visible, hidden: hidden, generator: &generator)
        var configuration = RBMTrainingConfiguration()
        configuration.epochs = 1
        configuration.batchSize = batch

        // One untimed epoch warms the caches and OpenBLAS's thread pool. Then
        // training epochs and sgemm-only epochs alternate, so both see the same
        // load from whatever else shares the machine.
        try rbm.train(on: data, configuration: configuration, generator: &generator)
        var rates: [Double] = []
        var boundRates: [Double] = []
        for _ in 0..<passes {
            let start = Date()
            try rbm.train(on: data, configuration: configuration, generator: &generator)
            rates.append(Double(samples) / Date().timeIntervalSince(start))
            boundRates.append(sgemmSamplesPerSecond())
        }
        let ours = median(rates)
        let bound = median(boundRates)
        let flopsPerSample = 10 * Double(visible) * Double(hidden)
        let gigaflops = bound * flopsPerSample / 1e9
        print("imgsearch rbm \(visible)->\(hidden) batch \(batch) float32 threads \(threads): "
            + "\(Int(ours.rounded())) samples/s; sgemm \(String(format: "%.1f", gigaflops)) GFLOP/s "
            + "= bound \(Int(bound.rounded())) samples/s; fraction \(String(format: "%.2f", ours / bound))")
    }

    /// Runs the five products of CD-1 over one epoch's batches and nothing else.
    private func sgemmSamplesPerSecond() -> Double {
        var generator = SplitMix64(seed: 11)
        var visibleBatch = Matrix(rows: batch, columns: visible)
        visibleBatch.elements.withUnsafeMutableBufferPointer { generator.fillUniform($0) }
        var weights = Matrix.gaussian(rows: visible, columns: hidden, scale: 0.1, generator: &generator)
        var hiddenBatch = Matrix(rows: batch, columns: hidden)
        var increment = Matrix(rows: visible, columns: hidden)
        let batches = samples / batch
        let start = Date()
        for _ in 0..<batches {
            Matrix.multiply(visibleBatch, weights, into: &hiddenBatch)
            Matrix.multiply(visibleBatch, transposeA: true, hiddenBatch, into: &increment, alpha: 0.001, beta: 0.9)
            Matrix.multiply(hiddenBatch, weights, transposeB: true, into: &visibleBatch, alpha: 0.001)
            Matrix.multiply(visibleBatch, weights, into: &hiddenBatch, alpha: 0.001)
            Matrix.multiply(visibleBatch, transposeA: true, hiddenBatch, into: &increment, alpha: -0.001, beta: 1)
        }
        let seconds = Date().timeIntervalSince(start)
        weights.elements[0] += increment.elements[0]  // keep the work observable
        return Double(batches * batch) / seconds
    }

    private func median(_ values: [Double]) -> Double {
        values.sorted()[values.count / 2]
    }
}
