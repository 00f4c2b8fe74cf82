import ArgumentParser
import Foundation
import ImgSearch

/// `imgsearch info`: what the index holds.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show the index's size, formats, model, bit balance, bucket occupancy and last run's skipped files.",
        discussion: "Exit status: 0 shown, 1 the index could not be read."
    )

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print one JSON object on stdout.")
    var json = false

    func run() throws {
        let info = try database.openForReading().info()
        if json {
            try printJSON(info)
            return
        }
        print("database:  \(info.database) (\(ByteCountFormatter.string(fromByteCount: info.databaseBytes, countStyle: .file)))")
        print("images:    \(info.images)")
        if !info.formats.isEmpty {
            print("formats:   \(CountLists.formats(info.formats))")
            if let unknown = info.formats[IndexInfo.unknownFormat] {
                print("           \(unknown) unknown: indexed before the index recorded formats; "
                    + "the next `imgsearch index` of their folder records them")
            }
        }
        print("model:     \(info.modelName ?? "none"), \(info.modelLayers.map(String.init).joined(separator: "-"))")
        if let created = info.modelCreatedAt, !created.isEmpty { print("trained:   \(created), \(info.modelTrainedOn ?? "")") }
        if !info.onesShare.isEmpty {
            let shares = info.onesShare.map { String(format: "%.2f", $0) }.joined(separator: " ")
            print("bits:      \(info.bits); share of ones per bit: \(shares)")
            print("           largest correlation between two bits: \(String(format: "%.3f", info.largestBitCorrelation))")
            print("buckets:   \(info.occupiedBuckets) distinct hashes, the largest holds \(info.largestBucket) images")
        }
        if let run = info.lastIndexRun {
            let skipped = run.summary.skipped.isEmpty ? "" : ": \(CountLists.skipped(run.summary.skipped))"
            print("last run:  \(run.finishedAt), \(run.folders.joined(separator: " ")): added \(run.summary.added), "
                + "updated \(run.summary.updated), skipped \(run.summary.failed)\(skipped)")
        }
    }
}
