import ArgumentParser
import Foundation
import ImgSearch

/// `imgsearch eval --database DIR [--queries DIR]`: retrieval quality on
/// labelled folders, the model beside LSH, PCA hashing, ITQ and PCA.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure retrieval quality on labelled folders (DIR/<label>/...), beside LSH, PCA hashing and ITQ.",
        discussion: """
            Every image below --database is encoded with the model (as
            `imgsearch index` would) and every image below --queries ranks
            them all; without --queries, every database image is a query
            that ranks all the others, itself left out. An image is relevant
            when its folder has the query's folder name. Reports mAP@1000,
            precision@1/10/100, the N-S score (how many of the first 4 share
            the query's folder, the query counted, as UKBench scores), precision
            within Hamming radius 2, bit balance and precision-recall, for
            the semantic hash (ties by the real code), the real code, and
            LSH, PCA hashing, ITQ and PCA fitted on the database's thumbnails
            with as many bits. With --edits DIR, every picture of DIR (any
            folder of photos, not labelled) is edited 15 ways (crops, scales,
            JPEG quality 20, rotations, mirror, greyscale, brightness,
            contrast, a caption band, letterbox, squash) and each copy is
            queried against DIR's originals plus the database: recall@1 and
            recall@10 per edit for the semantic hash, re-ranked, the real
            code (with --flip merged with the mirror too) and pHash, dHash
            and the HSV histogram. Exit status: 0 measured, 1 failed, 64 bad
            arguments.
            """
    )

    @Option(help: "Labelled folder of database images.")
    var database: String

    @Option(help: "Labelled folder of query images (default: every database image, itself left out).")
    var queries: String?

    @Option(help: "Model file (default: $IMGSEARCH_MODEL, else the shipped default model).")
    var model: String?

    @Flag(help: "Print one JSON object on stdout.")
    var json = false

    @Option(help: "Also write an HTML page with the table and the precision-recall curves.")
    var html: String?

    @Flag(help: "Also measure queries merged with their mirrored image (query --flip).")
    var flip = false

    @Flag(help: "Also measure queries merged with their three other quarter turns (query --rotations; with --flip, the mirror too).")
    var rotations = false

    @Option(parsing: .unconditional, help: "Bits added to the Hamming distances of the mirrored and turned queries before merging (query --variant-penalty).")
    var variantPenalty = QueryOptions().variantPenalty

    @Option(parsing: .unconditional, help: "Distort this many database images (JPEG quality 50, half size, noise) and check each finds its original.")
    var nearDuplicates = 0

    @Option(help: ArgumentHelp(
        "Also edit every picture of this folder 15 ways and query each copy against its originals plus the database (recall@1 and @10 per edit).",
        valueName: "dir"))
    var edits: String?

    @Option(help: "Re-rank this many of the first results by real code in the near-duplicate and edited-copies tests and the rerank ablation (query --rerank).")
    var rerank = RetrievalEvaluationOptions().rerankDepth

    @Option(name: .customLong("colour-weight"),
            help: ArgumentHelp("Also measure the query order with this colour weight (query --colour-weight); repeatable.", valueName: "w"))
    var colourWeights: [Float] = []

    @Option(name: .customLong("colour-rerank"),
            help: ArgumentHelp("How many of the first results the --colour-weight rows re-rank.", valueName: "n"))
    var colourRerank = QueryOptions().rerank

    @Flag(help: "Also measure the semantic hash with 0.5 thresholds, without real-code tie-breaking and re-ranked (--rerank), and PCA and ITQ on the model's input.")
    var ablations = false

    @Flag(inversion: .prefixedNo,
          help: "Also measure the classic global descriptors on the same files: HSV-histogram, pHash, dHash, and pixels-32 (up to 25 million database x query pairs).")
    var classicBaselines = true

    @Option(help: "Seed of the database order, LSH, ITQ and the noise.")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "Threads for decoding, ranking and OpenBLAS.")
    var jobs = 2

    func validate() throws {
        try NumberLimits.checkJobs(jobs)
        guard nearDuplicates >= 0 else { throw ValidationError("--near-duplicates must not be negative") }
        guard (1...100_000).contains(rerank) else { throw ValidationError("--rerank must be 1 ... 100000") }
        guard (0...32).contains(variantPenalty) else { throw ValidationError("--variant-penalty must be 0 ... 32") }
    }

    func run() throws {
        guard let modelPath = model ?? DefaultModel.locate() else {
            throw CommandFailure("no model: the default model (index/\(DefaultModel.fileName)) was not found. HINT: pass --model or set IMGSEARCH_MODEL.")
        }
        BLAS.threadCount = jobs
        let encoder = try AutoencoderEncoder(model: ModelFile.read(from: URL(fileURLWithPath: modelPath)))
        let printer = ProgressPrinter()
        let report: (WorkProgress) -> Void = printer.report
        let failure: (IndexingFailure) -> Void = { printer.finishLine(); printError("\($0)") }
        let databaseSet = try LabelledImageSet.load(
            folder: database, side: encoder.thumbnailSide, jobs: jobs, describes: classicBaselines,
            progress: report, onFailure: failure)
        let querySet = try queries.map {
            try LabelledImageSet.load(folder: $0, side: encoder.thumbnailSide, jobs: jobs, describes: classicBaselines,
                                      progress: report, onFailure: failure)
        }
        let editedPhotos = try edits.map {
            try LabelledImageSet.load(folder: $0, side: encoder.thumbnailSide, jobs: jobs, describes: classicBaselines,
                                      progress: report, onFailure: failure)
        }
        var options = RetrievalEvaluationOptions()
        options.seed = seed
        options.threads = jobs
        options.flip = flip
        options.rotations = rotations
        options.variantPenalty = variantPenalty
        options.nearDuplicateCount = nearDuplicates
        options.ablations = ablations
        options.rerankDepth = rerank
        options.colourWeights = colourWeights
        options.colourRerankDepth = colourRerank
        options.classicBaselines = classicBaselines
        let result = try RetrievalEvaluation.run(
            database: databaseSet, queries: querySet, encoder: encoder,
            modelName: (modelPath as NSString).lastPathComponent, options: options, editedPhotos: editedPhotos,
            progress: report, onFailure: failure)
        printer.finishLine()
        print(json ? result.json : result.table)
        if let html {
            do {
                try Data(result.html.utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
            } catch {
                throw CommandFailure("\(html): cannot write: \(error.localizedDescription)")
            }
        }
    }
}
