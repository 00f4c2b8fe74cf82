import ArgumentParser
import Foundation
import ImgSearch

/// `imgsearch query IMAGE...`: the indexed images most similar to each image.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Find the indexed images most similar to one or more images.",
        discussion: """
            Results are sorted by Hamming distance between semantic hashes,
            ties by the distance between real-valued codes. An image that is
            already indexed (and unchanged) uses its stored code. With
            --flip each image is also queried mirrored, with --rotations
            also turned by 90, 180 and 270 degrees, and every result keeps
            the nearest of its distances.
            Exit status: 0 answered, 1 failed (the image or the index could
            not be read), 64 bad arguments.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "Query images (JPEG, PNG, WebP, GIF, TIFF, BMP, HEIC or AVIF, recognized by content).")
    var images: [String]

    @Option(name: .shortAndLong, help: "Number of results per query.")
    var k = 10

    @Option(help: "Only results within this Hamming distance (inclusive).")
    var radius: Int?

    @Flag(help: "One JSON object per query on stdout.")
    var json = false

    @Flag(help: "Only the result paths, one per line.")
    var paths = false

    @Option(help: "Also write a self-contained HTML page with the thumbnails.")
    var html: String?

    @Flag(help: "Also query with the image mirrored left to right and merge the results.")
    var flip = false

    @Flag(help: "Also query with the image turned by 90, 180 and 270 degrees and merge the results (finds sideways and upside-down copies).")
    var rotations = false

    @Option(help: "Order the first N results by real-code distance alone (0: by Hamming distance, ties by real-code distance). 300 finds recompressed or resized copies first.")
    var rerank = 0

    func validate() throws {
        guard k >= 1 else { throw ValidationError("-k must be at least 1") }
        guard (0...100_000).contains(rerank) else { throw ValidationError("--rerank must be 0 ... 100000") }
        if let radius, radius < 0 { throw ValidationError("--radius must not be negative") }
        guard !(json && paths) else { throw ValidationError("--json and --paths exclude each other") }
    }

    func run() throws {
        // One image's products are too small to share: a second OpenBLAS
        // thread only adds its wake-up and spinning to the latency.
        BLAS.threadCount = 1
        let index = try database.openForReading()
        let options = QueryOptions(k: k, radius: radius, flip: flip, rotations: rotations, rerank: rerank)
        var results: [QueryResult] = []
        for image in images {
            let result = try index.query(imageAt: image, options: options)
            results.append(result)
            if json {
                try printJSON(result)
            } else if paths {
                for match in result.matches { print(match.path) }
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
        if images.count > 1 { print("\(result.query):") }
        print("rank  hamming  distance  path")
        for match in result.matches {
            print(String(format: "%4d  %7d  %8.3f  ", match.rank, match.hamming, match.distance) + match.path)
        }
        if result.matches.isEmpty { print("(no results)") }
    }
}
