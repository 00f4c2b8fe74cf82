import ArgumentParser

/// `imgsearch-bench`: measurements that are compared side by side with the
/// peer tools in ../shared/bench. Not a product; run through scripts/bench.sh.
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imgsearch-bench",
        abstract: "Benchmarks for imgsearch (see docs/benchmarks.md).",
        subcommands: [DecodeBenchmark.self, MNISTReproduction.self, RBMBenchmark.self]
    )
}
