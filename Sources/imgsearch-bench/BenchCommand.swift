import ArgumentParser

/// `imgsearch-bench`: timings of imgsearch beside the peers in
/// `../shared/bench`, on the same files. Not a product: a tool for
/// `scripts/bench*.sh`, whose figures go to docs/benchmarks.md.
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imgsearch-bench",
        abstract: "Benchmarks of imgsearch, to run beside the peer scripts in ../shared/bench.",
        subcommands: [DecodeBenchmark.self, HammingBench.self, GenerateCodes.self, MNISTReproduction.self, RBMBenchmark.self, SyntheticIndex.self]
    )
}
