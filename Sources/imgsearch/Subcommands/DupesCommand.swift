import ArgumentParser
import Foundation
import ImgSearch

/// `imgsearch dupes`: groups of near-duplicate images in the index.
struct DupesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dupes",
        abstract: "List groups of near-duplicate images in the index.",
        discussion: """
            Two images are near-duplicates when their semantic hashes differ
            in at most --radius bits, their real-valued codes are within
            --max-distance, and their 16x16 thumbnails (decoded again from
            the files) differ by at most --max-thumbnail-difference; groups
            join images linked directly or through others. Largest first.
            Exit status: 0 listed (also when there are none), 1 the index
            could not be read, 64 bad arguments.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(parsing: .unconditional, help: "Largest Hamming distance between two duplicates' hashes: 0, 1 or 2.")
    var radius = 2

    @Option(parsing: .unconditional, help: "Largest distance between two duplicates' real-valued codes (default: \(DuplicateGroup.defaultMaximumLogitDistance) for a model whose codes are logits, \(DuplicateGroup.defaultMaximumDistance) for activations).")
    var maxDistance: Float?

    @Option(help: "Largest mean absolute difference between two duplicates' 16x16 thumbnails (0-1).")
    var maxThumbnailDifference = DuplicateGroup.defaultMaximumThumbnailDifference

    @Option(parsing: .unconditional, help: "Threads for decoding the candidates' thumbnails.")
    var jobs = 2

    @Flag(help: "Print one JSON object on stdout.")
    var json = false

    func validate() throws {
        guard (0...2).contains(radius) else { throw ValidationError("--radius must be 0, 1 or 2") }
        if let maxDistance, maxDistance < 0 { throw ValidationError("--max-distance must not be negative") }
        guard (0...1).contains(maxThumbnailDifference) else { throw ValidationError("--max-thumbnail-difference must be 0 ... 1") }
        try NumberLimits.checkJobs(jobs)
    }

    private struct Report: Encodable {
        var radius: Int
        var maximumDistance: Float
        var maximumThumbnailDifference: Float
        var groups: [DuplicateGroup]
    }

    func run() throws {
        let printer = ProgressPrinter()
        let index = try database.openForReading()
        let maximumDistance = try maxDistance ?? index.defaultDuplicateDistance()
        let groups = try index.duplicates(
            radius: radius, maximumDistance: maximumDistance, maximumThumbnailDifference: maxThumbnailDifference,
            jobs: jobs, progress: printer.report)
        printer.finishLine()
        if json {
            try printJSON(Report(radius: radius, maximumDistance: maximumDistance,
                                 maximumThumbnailDifference: maxThumbnailDifference, groups: groups))
            return
        }
        for group in groups {
            print("\(group.paths.count) images, hamming <= \(group.hamming), distance <= \(String(format: "%.3f", group.distance)), "
                  + "thumbnail difference <= \(String(format: "%.3f", group.thumbnailDifference)):")
            for path in group.paths { print("  " + PathEscaping.escaped(path)) }
            print()
        }
        let images = groups.reduce(0) { $0 + $1.paths.count }
        print("\(groups.count) groups of near-duplicates, \(images) images")
    }
}
