import ArgumentParser
import Foundation
import ImgSearch

/// `imgsearch query IMAGE...`: the indexed images most similar to each image.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Find the indexed images most similar to one or more images.",
        discussion: """
            Results are found by Hamming distance between semantic hashes,
            ties by the distance between real-valued codes, and the first
            --rerank (300) of them are then ordered by the real-code
            distance plus --colour-weight (16) times the L1 distance
            between the two thumbnails' colour histograms (left out for a
            greyscale query). An image that is already indexed (and
            unchanged) uses its stored code. Each image is also queried
            mirrored, turned by 90, 180 and 270 degrees and, when it has
            black bars, with them cut off (--no-flip, --no-rotations,
            --no-trim-bars to leave them out), and every result keeps the
            nearest of its distances, a variant's counted --variant-penalty
            bits (4) further, so that it wins only where it is clearly
            nearer: a copy saved mirrored, sideways or letterboxed is found
            without pulling in look-alikes.
            Exit status: 0 answered, 1 failed (the image or the index could
            not be read), 64 bad arguments.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "Query images (JPEG, PNG, WebP, GIF, TIFF, BMP, HEIC or AVIF, recognized by content).")
    var images: [String]

    @Option(name: .shortAndLong, parsing: .unconditional, help: "Number of results per query.")
    var k = 10

    @Option(parsing: .unconditional, help: "Only results within this Hamming distance (inclusive).")
    var radius: Int?

    @Flag(help: "One JSON object per query on stdout.")
    var json = false

    @Flag(help: "Only the result paths, one per line (control characters and backslashes escaped: \\n, \\\\).")
    var paths = false

    @Flag(name: .customShort("0"), help: "Only the result paths, unescaped, each ended by a NUL byte (for xargs -0).")
    var nullSeparated = false

    @Option(help: "Also write a self-contained HTML page with the thumbnails.")
    var html: String?

    @Flag(inversion: .prefixedNo, help: "Also query with the image mirrored left to right and merge the results.")
    var flip = QueryOptions().flip

    @Flag(inversion: .prefixedNo, help: "Also query with the image turned by 90, 180 and 270 degrees and merge the results (finds sideways and upside-down copies).")
    var rotations = QueryOptions().rotations

    @Flag(inversion: .prefixedNo, help: "Also query with the image's black bars cut off, when it has any (finds letterboxed copies).")
    var trimBars = QueryOptions().trimBars

    @Option(parsing: .unconditional, help: "Bits added to the Hamming distances of the mirrored and turned copies before merging: they then win only where clearly nearer.")
    var variantPenalty = QueryOptions().variantPenalty

    @Option(parsing: .unconditional, help: "Order the first N results by real-code distance plus the colour term (0: by Hamming distance, ties by real-code distance).")
    var rerank = QueryOptions().rerank

    @Option(parsing: .unconditional, help: ArgumentHelp("Weight of the colour histograms' distance added to the real-code distance when re-ranking (0: the real code alone).", valueName: "w"))
    var colourWeight = QueryOptions().colourWeight

    func validate() throws {
        guard colourWeight >= 0 && colourWeight <= 1000 else { throw ValidationError("--colour-weight must be 0 ... 1000") }
        guard k >= 1 else { throw ValidationError("-k must be at least 1, not \(k)") }
        guard (0...32).contains(variantPenalty) else { throw ValidationError("--variant-penalty must be 0 ... 32") }
        guard (0...100_000).contains(rerank) else { throw ValidationError("--rerank must be 0 ... 100000, not \(rerank)") }
        if let radius, radius < 0 { throw ValidationError("--radius must not be negative, not \(radius)") }
        guard [json, paths, nullSeparated].filter({ $0 }).count <= 1 else { throw ValidationError("--json, --paths and -0 exclude each other") }
    }

    func run() throws {
        // One image's products are too small to share: a second OpenBLAS
        // thread only adds its wake-up and spinning to the latency, and its
        // idle workers, started when the library loaded, would spin on the
        // other core meanwhile.
        BLAS.useOneThreadAndStopWorkers()
        let index = try database.openForReading()
        let options = QueryOptions(k: k, radius: radius, flip: flip, rotations: rotations, variantPenalty: variantPenalty, trimBars: trimBars, rerank: rerank,
                                   colourWeight: colourWeight)
        var results: [QueryResult] = []
        for image in images {
            let result = try index.query(imageAt: image, options: options)
            results.append(result)
            if json {
                try printJSON(result)
            } else if paths {
                for match in result.matches { print(PathEscaping.escaped(match.path)) }
            } else if nullSeparated {
                for match in result.matches { print(match.path, terminator: "\0") }
            } else {
                printTable(result)
            }
        }
        if let html {
            do {
                try Data(HTMLReport.render(results).utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
            } catch {
                throw CommandFailure("\(html): cannot write: \(error.localizedDescription)")
            }
        }
    }

    private func printTable(_ result: QueryResult) {
        if images.count > 1 { print("\(PathEscaping.escaped(result.query)):") }
        print("rank  hamming  distance  variant     path")
        for match in result.matches {
            let variant = (match.variant ?? .image).rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
            print(String(format: "%4d  %7d  %8.3f  ", match.rank, match.hamming, match.distance) + variant + "  " + PathEscaping.escaped(match.path))
        }
        if result.matches.isEmpty { print("(no results)") }
    }
}
