import ArgumentParser
import Foundation
import ImgSearch

/// Thumbnails per second over a folder of images, on a chosen number of threads.
struct DecodeBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Measure thumbnails per second (decode + orientation + 32x32 area average)."
    )

    @Option(help: "Folder of images, walked recursively.")
    var folder: String

    @Option(help: "Worker threads.")
    var threads: Int = 1

    @Option(help: "Use at most this many files (sorted by path).")
    var limit: Int?

    @Option(help: "Timed passes; the median is reported.")
    var passes: Int = 3

    @Flag(help: "Decode progressive JPEGs in full instead of DC scans only.")
    var fullProgressive = false

    @Flag(help: ArgumentHelp(
        "Time each file on its own, one thread, whatever its name, and print the slowest.",
        discussion: "For hostile input (fuzzing corpora, decompression bombs): every file must decode or fail, and quickly."))
    var eachFile = false

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard passes >= 1 else { throw ValidationError("--passes must be at least 1") }
    }

    func run() throws {
        if eachFile { return try timeEachFile() }
        var files = imageFiles(in: folder)
        if let limit { files = Array(files.prefix(limit)) }
        guard !files.isEmpty else { throw ValidationError("no image files (by extension) in \(folder)") }
        let options = ImageDecodingOptions(decodesProgressiveDCOnly: !fullProgressive)

        // Warm the page cache and count failures once, untimed.
        let failures = files.parallelMap(threads: threads) { path in
            (try? ImageDecoder.thumbnail(contentsOf: path, options: options)) == nil ? 1 : 0
        }.reduce(0, +)
        var rates: [Double] = []
        for _ in 0..<passes {
            let start = Date()
            _ = files.parallelMap(threads: threads) { path in
                (try? ImageDecoder.thumbnail(contentsOf: path, options: options)) == nil ? 1 : 0
            }
            rates.append(Double(files.count) / Date().timeIntervalSince(start))
        }
        let median = rates.sorted()[rates.count / 2]
        print("imgsearch thumbnail dc-only=\(!fullProgressive) threads=\(threads) files=\(files.count) failed=\(failures): "
            + String(format: "%.1f", median) + " images/s")
    }

    /// Every file below `folder`, each decoded to a thumbnail on its own,
    /// timed (the slowest of `passes`: for hostile input the bound is what
    /// matters, so nothing is flattered); prints the five slowest with what
    /// each gave, then the counts.
    private func timeEachFile() throws {
        var files = FolderWalker.files(under: [folder]) { _ in }.map(\.path).sorted()
        if let limit { files = Array(files.prefix(limit)) }
        guard !files.isEmpty else { throw ValidationError("no files in \(folder)") }
        var timings: [(path: String, seconds: Double, outcome: String)] = []
        for path in files {
            var slowest = 0.0, outcome = ""
            for _ in 0..<passes {
                let start = Date()
                do {
                    let thumbnail = try ImageDecoder.thumbnail(contentsOf: path)
                    outcome = "decoded (\(thumbnail.side)x\(thumbnail.side))"
                } catch {
                    outcome = "failed: \(error.reasonDescription)"
                }
                slowest = max(slowest, Date().timeIntervalSince(start))
            }
            timings.append((path, slowest, outcome))
        }
        let decoded = timings.filter { $0.outcome.hasPrefix("decoded") }.count
        for timing in timings.sorted(by: { $0.seconds > $1.seconds }).prefix(5) {
            print(String(format: "%8.4f s  ", timing.seconds) + "\(timing.path): \(timing.outcome)")
        }
        print("files=\(files.count) decoded=\(decoded) failed=\(files.count - decoded) slowest="
            + String(format: "%.4f", timings.map(\.seconds).max() ?? 0) + " s")
    }

    /// The .jpg, .jpeg and .png files below `folder`, by path, found the way
    /// the indexer finds them (symbolic links followed).
    private func imageFiles(in folder: String) -> [String] {
        FolderWalker.files(under: [folder]) { _ in }.map(\.path)
            .filter { ["jpg", "jpeg", "png", "webp", "gif", "tif", "tiff", "bmp", "heic", "heif", "avif"].contains(($0 as NSString).pathExtension.lowercased()) }
            .sorted()
    }
}
