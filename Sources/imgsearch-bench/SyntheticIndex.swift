import ArgumentParser
import ImgSearch

/// Grows an index with synthetic images for the query-latency benchmark:
/// noisy copies of the codes of the real images already in it.
struct SyntheticIndex: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthesize",
        abstract: "Add synthetic images (noisy copies of indexed codes) to an index.")

    @Option(help: "The index database; it must already hold some real images.") var db: String
    @Option(help: "Synthetic images to add.") var count: Int
    @Option(help: "Standard deviation of the noise added to each copied code (0.3 spreads hashes like real images).") var noise: Float = 0.3
    @Option(help: "Seed of the generator.") var seed: UInt64 = 1

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must not be negative") }
    }

    func run() throws {
        try SyntheticRows(index: ImageIndex(path: db), noise: noise, seed: seed).add(count: count)
    }
}
