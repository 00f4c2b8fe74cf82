import ArgumentParser
import ImgSearch

/// Writes seeded synthetic code files for the Hamming benchmark.
///
/// random: uniform codes; queries are indexed codes with each bit flipped
/// with probability 1/8 (as faiss_binary.py makes its own queries).
/// clustered: like real semantic hashes, many near-duplicates: count / 1000
/// uniform centres, each code a random centre with each bit flipped with
/// probability 1/16; queries are drawn the same way.
struct GenerateCodes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Write synthetic codes and queries (raw little-endian UInt32).")

    enum Kind: String, ExpressibleByArgument, CaseIterable { case random, clustered }

    @Option(help: "random or clustered.") var kind: Kind
    @Option(help: "Codes to write.") var count: Int
    @Option(help: "Queries to write.") var queryCount = 1000
    @Option(help: "Bits per code.") var bits = 30
    @Option(help: "Seed of the generator.") var seed: UInt64 = 12345
    @Option(help: "Output file for the codes.") var codesOut: String
    @Option(help: "Output file for the queries.") var queriesOut: String

    func validate() throws {
        guard (1...32).contains(bits) else { throw ValidationError("--bits must be 1 ... 32") }
        guard count > 0, queryCount > 0 else { throw ValidationError("--count and --query-count must be positive") }
    }

    func run() throws {
        var generator = SplitMix64(seed: seed)
        let mask = bits == 32 ? UInt32.max : (UInt32(1) << UInt32(bits)) - 1
        func word() -> UInt32 { UInt32(truncatingIfNeeded: generator.next()) & mask }
        var codes: [UInt32] = []
        var queries: [UInt32] = []
        codes.reserveCapacity(count)
        switch kind {
        case .random:
            for _ in 0..<count { codes.append(word()) }
            for _ in 0..<queryCount {
                let base = codes[Int(generator.next() % UInt64(count))]
                queries.append(base ^ (word() & word() & word()))
            }
        case .clustered:
            let centres = (0..<max(1, count / 1000)).map { _ in word() }
            func member() -> UInt32 {
                centres[Int(generator.next() % UInt64(centres.count))] ^ (word() & word() & word() & word())
            }
            for _ in 0..<count { codes.append(member()) }
            for _ in 0..<queryCount { queries.append(member()) }
        }
        try CodeFile.write(codes, to: codesOut)
        try CodeFile.write(queries, to: queriesOut)
        print("wrote \(count) \(kind.rawValue) codes to \(codesOut), \(queryCount) queries to \(queriesOut)")
    }
}
