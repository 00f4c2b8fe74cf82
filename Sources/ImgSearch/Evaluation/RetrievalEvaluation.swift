import Foundation
import ImgSearchCore
import ImgSearchLinearAlgebra
import ImgSearchHashing
import ImgSearchLearning

/// Settings of a retrieval evaluation.
public struct RetrievalEvaluationOptions: Sendable {
    /// Seeds the database order (which breaks the baselines' Hamming ties at
    /// random), LSH's directions, ITQ's starting rotation, the noise of the
    /// near-duplicate test and where the edited-copies test's originals go
    /// among the database images.
    public var seed: UInt64 = 1
    /// ITQ iterations (the paper's 50).
    public var iterations = IterativeQuantization.defaultIterations
    /// Results mAP looks at.
    public var depth = 1000
    /// Threads for ranking.
    public var threads = 2
    /// Also measure the semantic hash and the real code queried with each
    /// image and its mirror, merged (`imgsearch query --flip`).
    public var flip = false
    /// Also measure them queried with each image and its three other
    /// quarter turns, merged (`imgsearch query --rotations`; with ``flip``
    /// the mirror too, as `query --flip --rotations`).
    public var rotations = false
    /// Bits added to the Hamming distances of the transformed copies
    /// (mirror, turns) before each image takes its nearest variant
    /// (`imgsearch query --variant-penalty`, ``QueryOptions/variantPenalty``).
    public var variantPenalty = QueryOptions().variantPenalty
    /// How many database images the near-duplicate test distorts (0: none).
    public var nearDuplicateCount = 0
    /// How many of the first results by Hamming distance the near-duplicate
    /// test and the "semantic-hash/rerank-N" ablation re-rank by the real
    /// code alone (`imgsearch query --rerank N`). 300: on the CIFAR-10
    /// validation split deep enough that the re-rank finds what the real
    /// code alone finds, where 100 fell short for half-size copies
    /// (docs/quality.md, "Near duplicates").
    public var rerankDepth = 300
    /// Also measure what two choices of the product are worth: the semantic
    /// hash with 0.5 thresholds instead of the model's (medians), and
    /// without breaking Hamming ties by the real code, and with the first
    /// ``rerankDepth`` by Hamming distance re-ranked by the real code; and PCA and ITQ on the
    /// thumbnails preprocessed as the model preprocesses its input, to see
    /// what that preprocessing alone does for a linear code.
    public var ablations = false
    /// Also measure the classic global descriptors on the same files
    /// (``ClassicBaselines``: "HSV-histogram", "pHash", "dHash" when the
    /// image sets carry ``LabelledImageSet/descriptors``, and "pixels-32").
    public var classicBaselines = true
    /// The most database x query pairs "pixels-32" ranks (3,072 values a
    /// pair, one running sum): 25 million, a leave-one-out on 5,000 images
    /// in about half a minute on two cores; above it the method is left
    /// out and the report says so.
    public var pixelComparisonLimit = 25_000_000
    /// Colour weights to measure `query` with besides its default
    /// (``QueryOptions/colourWeight``): one row "query/colour-W" each, in the
    /// group table and the edited-copies table.
    public var colourWeights: [Float] = []
    /// How many of the first results the "query/colour-W" rows re-rank
    /// (``QueryOptions/rerank`` of those rows; default the query's).
    public var colourRerankDepth = QueryOptions().rerank

    /// The name of the row measuring colour weight `weight`.
    func colourRowName(_ weight: Float) -> String {
        RetrievalEvaluation.queryMethod + "/colour-\(weight)"
            + (colourRerankDepth == QueryOptions().rerank ? "" : "/rerank-\(colourRerankDepth)")
    }

    /// The defaults: seed 1, 50 ITQ iterations, mAP@1000, 2 threads, no
    /// flipping, no ablations, no near-duplicate test.
    public init() {}
}

/// One method's result.
public struct MethodEvaluation: Sendable {
    /// "query" (``RetrievalEvaluation/queryMethod``: `imgsearch query`'s
    /// default order), "semantic-hash", "real-code", "LSH", "PCAH", "ITQ", "PCA"; with
    /// flipping "semantic-hash+flip", "real-code+flip"; with rotations
    /// "semantic-hash+turns", "real-code+turns", "semantic-hash+turns/rerank-N"
    /// ("+flip+turns" with both); with ablations
    /// "semantic-hash/0.5-thresholds", "semantic-hash/no-tie-break",
    /// "semantic-hash/rerank-N" (N the ``RetrievalEvaluationOptions/rerankDepth``),
    /// "ITQ/model-input", "PCA/model-input"; the classic baselines
    /// "HSV-histogram", "pHash", "dHash", "pixels-32".
    public var name: String
    /// Its metrics over the queries.
    public var scores: RetrievalScores
    /// Binary methods: bit balance and correlation over the database's hashes.
    public var bitStatistics: HashBitStatistics?
}

/// Everything an evaluation measured.
public struct RetrievalReport: Sendable {
    /// Bits per hash (and dimensions of the real codes): the model's code size.
    public var bits: Int
    /// Database images ranked by every query.
    public var databaseCount: Int
    /// Queries measured.
    public var queryCount: Int
    /// Results mAP looks at (1000).
    public var depth: Int
    /// The seed of the database order, LSH, ITQ and the noise.
    public var seed: UInt64
    /// The model's name, for the report.
    public var model: String
    /// In a fixed order: the model's methods first, then the baselines.
    public var methods: [MethodEvaluation]
    /// The near-duplicate test, when it ran.
    public var nearDuplicates: [NearDuplicateResult]
    /// ITQ's quantization loss per iteration (per image), to see it converge.
    public var quantizationLoss: [Double]
    /// Whether the queries were the database's own images, each left out
    /// of its own ranking.
    public var leaveOneOut = false
    /// Methods left out and why (pixels-32 on a large database).
    public var notes: [String] = []
    /// The edited-copies test, when it ran: one row per ``PhotoEdit``, then
    /// ``EditedCopyResult/allEdits``.
    public var editedCopies: [EditedCopyResult] = []
    /// Photos of the edited-copies test, originals and database images
    /// the copies were ranked against, when it ran.
    public var editedPhotoCount = 0
}

/// Measures how well a model's semantic hashes retrieve images of the same
/// label, beside the classic unsupervised binary codes fitted on the same
/// thumbnails with the same number of bits.
///
/// The database is encoded in memory with the model, exactly as
/// `imgsearch index` encodes (``AutoencoderEncoder``: the same thumbnails,
/// standardization, network and thresholds), rather than written to a
/// temporary SQLite index: the hashes are the same, and ranking needs every
/// database image's distance, which an index query does not give. The
/// baselines (LSH, PCA hashing, ITQ, PCA) are fitted on the database's
/// thumbnails, unsupervised, as in Gong & Lazebnik's protocol.
public enum RetrievalEvaluation {
    /// The method that ranks as `imgsearch query` does with its default
    /// options (``QueryOptions/init(k:radius:flip:rotations:variantPenalty:rerank:)``'s
    /// defaults: the image and its transformed copies merged with the
    /// penalty, the first ``QueryOptions/rerank`` re-ranked by real code),
    /// whatever the evaluation's own flags: the first row of every report.
    public static let queryMethod = "query"

    /// Measures `encoder`'s semantic hashes and the baselines, every query
    /// of `queries` ranking all of `database`, or, without queries, every
    /// database image ranking all the others (leave-one-out).
    /// - Parameters:
    ///   - database: the labelled database images (at least bits + 1)
    ///   - queries: the labelled queries; a label absent from the database
    ///     makes a query with nothing relevant (AP 0); nil: leave one out
    ///   - modelName: names the model in the report
    ///   - editedPhotos: photos for the edited-copies test
    ///     (``EditedCopiesTest``): each edited every ``PhotoEdit`` way and
    ///     queried against these photos plus `database`; nil: no such test.
    ///     With ``RetrievalEvaluationOptions/classicBaselines`` it ranks by
    ///     pHash, dHash and the HSV histogram too when both sets carry
    ///     descriptors; with ``RetrievalEvaluationOptions/flip``, with the
    ///     copies' mirrors too.
    ///   - progress: one report per step (encoding, fitting, each method)
    ///   - onFailure: a photo of `editedPhotos` that cannot be decoded
    ///     again for editing (it has no copies; the test goes on)
    /// - Throws: ``EvaluationError`` for a database too small for the
    ///   baselines, `TrainingError` when LAPACK fails.
    public static func run(
        database unshuffled: LabelledImageSet, queries separateQueries: LabelledImageSet?, encoder: AutoencoderEncoder,
        modelName: String, options: RetrievalEvaluationOptions = .init(), editedPhotos: LabelledImageSet? = nil,
        progress: (WorkProgress) -> Void = { _ in }, onFailure: (IndexingFailure) -> Void = { _ in }
    ) throws -> RetrievalReport {
        let bits = encoder.model.codeSize
        guard unshuffled.count > bits else {
            throw EvaluationError("a database of \(unshuffled.count) images is too small for \(bits)-bit baselines")
        }
        var generator = SplitMix64(seed: options.seed)
        var shuffling = generator.split(), lshGenerator = generator.split(), itqGenerator = generator.split()
        // A random database order: the baselines' equal Hamming distances are
        // then ordered at random, not by folder (a sorted folder tree would
        // otherwise put one class first among every tie).
        let database = unshuffled.reordered(Array(0..<unshuffled.count).shuffled(using: &shuffling))
        // Leaving one out, query i is database image i (after the shuffle).
        let leavingOneOut = separateQueries == nil
        let queries = separateQueries ?? database
        var numbers: [String: Int] = [:]
        func number(_ label: String) -> Int {
            if let known = numbers[label] { return known }
            numbers[label] = numbers.count
            return numbers.count - 1
        }
        let databaseLabels = database.labels.map(number)
        let queryLabels = queries.labels.map(number)
        // Leaving one out, the queries are the database: one matrix serves both.
        let databaseMatrix = database.thumbnailMatrix
        let queryMatrix = leavingOneOut ? databaseMatrix : queries.thumbnailMatrix
        let classic = options.classicBaselines
            ? ClassicBaselines.candidates(database: database, queries: queries, databasePixels: databaseMatrix,
                                          queryPixels: queryMatrix, pixelComparisonLimit: options.pixelComparisonLimit)
            : (candidates: [], notes: [])
        let steps = 5 + 6 + classic.candidates.count + (options.flip ? 2 : 0) + (options.rotations ? 3 : 0) + (options.ablations ? 5 : 0) + (options.nearDuplicateCount > 0 ? 1 : 0)
            + (editedPhotos != nil ? 1 : 0)
        var step = 0
        func advance(_ phase: String) {
            progress(WorkProgress(phase: phase, completed: step, total: steps, unit: "steps"))
            step += 1
        }

        advance("encoding with the model")
        let databaseCodes = try ModelCodes(encoder.encode(database.thumbnails), width: bits)
        let queryCodes = try ModelCodes(encoder.encode(queries.thumbnails), width: bits)
        let mirroredCodes: ModelCodes? = try options.flip
            ? ModelCodes(encoder.encode(queries.thumbnails.map(\.mirrored)), width: bits) : nil
        // The variants `query --rotations` (and `--flip`) searches with, in its order.
        let turnedCodes = options.rotations
            ? try ModelCodes.variants(of: queries.thumbnails, as: QueryOptions(flip: options.flip, rotations: true, trimBars: false),
                                      encoder: encoder)
            : []
        // What `imgsearch query` does with its default options, whatever this evaluation's flags.
        let queryDefaults = QueryOptions()
        let defaultVariantCodes = try ModelCodes.variants(of: queries.thumbnails, as: queryDefaults, encoder: encoder)

        advance("fitting PCA")
        let pca = try PCA(fitting: databaseMatrix, componentCount: bits)
        advance("fitting ITQ")
        let itq = try IterativeQuantization(fitting: databaseMatrix, pca: pca, iterations: options.iterations, generator: &itqGenerator)
        advance("fitting LSH and PCA hashing")
        let lsh = try LinearHashFunction.randomProjections(fitting: databaseMatrix, bitCount: bits, generator: &lshGenerator)
        let pcaHashing = try LinearHashFunction.pcaHashing(pca)

        // The re-ranking's colour term: thumbnail histograms of the database
        // and of each query (and its trimmed copy, as `query` compares both).
        let databaseHistograms = ColourRerank.histograms(database.thumbnails)
        let queryHistograms = ColourRerank.queryHistograms(queries.thumbnails, as: queryDefaults)
        var colourByName: [String: ColourRerank] = [:]
        func colour(_ weight: Float) -> ColourRerank? {
            weight > 0 ? ColourRerank(database: databaseHistograms, queries: queryHistograms, weight: weight) : nil
        }
        colourByName[Self.queryMethod] = colour(queryDefaults.colourWeight)
        var candidates: [(String, RetrievalCodes, [RetrievalCodes])] = [
            (Self.queryMethod, databaseCodes.binary, [queryCodes.binary] + defaultVariantCodes.map(\.binary)),
            ("semantic-hash", databaseCodes.binary, [queryCodes.binary]),
            ("real-code", databaseCodes.real, [queryCodes.real]),
        ]
        for weight in options.colourWeights {
            let name = options.colourRowName(weight)
            colourByName[name] = colour(weight)
            candidates.insert((name, databaseCodes.binary, candidates[0].2), at: candidates.count - 2)
        }
        if let mirroredCodes {
            candidates.append(("semantic-hash+flip", databaseCodes.binary, [queryCodes.binary, mirroredCodes.binary]))
            candidates.append(("real-code+flip", databaseCodes.real, [queryCodes.real, mirroredCodes.real]))
        }
        // Methods whose first rerankDepth results by Hamming distance are re-ranked by the real code.
        let rerankedName = "semantic-hash/rerank-\(options.rerankDepth)"
        var reranked: Set = [rerankedName]
        if !turnedCodes.isEmpty {
            let suffix = options.flip ? "+flip+turns" : "+turns"
            let variants = [queryCodes.binary] + turnedCodes.map(\.binary)
            candidates.append(("semantic-hash" + suffix, databaseCodes.binary, variants))
            candidates.append(("real-code" + suffix, databaseCodes.real, [queryCodes.real] + turnedCodes.map(\.real)))
            // `query --rerank N` with its default variants.
            candidates.append(("semantic-hash" + suffix + "/rerank-\(options.rerankDepth)", databaseCodes.binary, variants))
            reranked.insert("semantic-hash" + suffix + "/rerank-\(options.rerankDepth)")
        }
        if options.ablations {
            let half = try HashBinarizer.logistic(bitCount: bits, codeOutput: encoder.model.codeOutput)
            let halfDatabase = try half.hashes(databaseCodes.codes.elements)
            let halfQueries = try half.hashes(queryCodes.codes.elements)
            candidates.append((
                "semantic-hash/0.5-thresholds", .binary(hashes: halfDatabase, realCodes: databaseCodes.codes),
                [.binary(hashes: halfQueries, realCodes: queryCodes.codes)]))
            candidates.append((rerankedName, databaseCodes.binary, [queryCodes.binary]))
            candidates.append((
                "semantic-hash/no-tie-break", .binary(hashes: databaseCodes.hashes, realCodes: nil),
                [.binary(hashes: queryCodes.hashes, realCodes: nil)]))
        }
        for (name, function) in [("LSH", lsh), ("PCAH", pcaHashing), ("ITQ", itq.hashFunction)] {
            candidates.append((name, .binary(hashes: function.hashes(databaseMatrix), realCodes: nil),
                               [.binary(hashes: function.hashes(queryMatrix), realCodes: nil)]))
        }
        candidates.append(("PCA", .real(pca.project(databaseMatrix)), [.real(pca.project(queryMatrix))]))
        if options.ablations {
            // The baselines again, on the thumbnails preprocessed as the model
            // sees them (its features, standardization): what the
            // preprocessing alone is worth, apart from the network.
            advance("fitting PCA and ITQ on the model's input")
            let modelInput = encoder.model.preprocess(databaseMatrix)
            let queryModelInput = encoder.model.preprocess(queryMatrix)
            let inputPCA = try PCA(fitting: modelInput, componentCount: bits)
            var inputITQGenerator = itqGenerator
            let inputITQ = try IterativeQuantization(fitting: modelInput, pca: inputPCA, iterations: options.iterations,
                                                     generator: &inputITQGenerator)
            candidates.append(("ITQ/model-input", .binary(hashes: inputITQ.hashFunction.hashes(modelInput), realCodes: nil),
                               [.binary(hashes: inputITQ.hashFunction.hashes(queryModelInput), realCodes: nil)]))
            candidates.append(("PCA/model-input", .real(inputPCA.project(modelInput)),
                               [.real(inputPCA.project(queryModelInput))]))
        }
        candidates += classic.candidates

        var methods: [MethodEvaluation] = []
        for (name, databaseSide, querySide) in candidates {
            advance("ranking: \(name)")
            let isQuery = name == Self.queryMethod || name.hasPrefix(Self.queryMethod + "/colour-")
            let scores = try RetrievalRanking.scores(
                database: databaseSide, databaseLabels: databaseLabels, queries: querySide, queryLabels: queryLabels,
                depth: options.depth, threads: options.threads,
                rerank: name == Self.queryMethod ? queryDefaults.rerank : isQuery ? options.colourRerankDepth
                    : reranked.contains(name) ? options.rerankDepth : 0,
                variantPenalty: isQuery ? queryDefaults.variantPenalty : options.variantPenalty, leavingOneOut: leavingOneOut,
                colour: colourByName[name])
            var statistics: HashBitStatistics?
            if case .binary(let hashes, _) = databaseSide, !isQuery, !name.hasSuffix("+flip"), !name.hasSuffix("+turns"),
               !reranked.contains(name) {
                statistics = try HashBitStatistics(hashes: hashes, bitCount: bits)
            }
            methods.append(MethodEvaluation(name: name, scores: scores, bitStatistics: statistics))
        }

        var nearDuplicates: [NearDuplicateResult] = []
        if options.nearDuplicateCount > 0 {
            advance("near-duplicate test")
            nearDuplicates = try NearDuplicateTest.run(
                database: database, codes: databaseCodes, encoder: encoder,
                count: min(options.nearDuplicateCount, database.count), rerankDepth: options.rerankDepth,
                seed: options.seed, threads: options.threads)
        }
        var editedCopies: [EditedCopyResult] = []
        if let editedPhotos {
            advance("edited-copies test")
            editedCopies = try EditedCopiesTest.run(
                photos: editedPhotos, database: database, encoder: encoder, rerankDepth: options.rerankDepth,
                flip: options.flip, rotations: options.rotations, variantPenalty: options.variantPenalty,
                classic: options.classicBaselines, colourWeights: options.colourWeights,
                colourRows: options, seed: options.seed, threads: options.threads,
                onFailure: onFailure)
        }
        progress(WorkProgress(phase: "done", completed: steps, total: steps, unit: "steps"))
        return RetrievalReport(
            bits: bits, databaseCount: database.count, queryCount: queries.count, depth: options.depth,
            seed: options.seed, model: modelName, methods: methods, nearDuplicates: nearDuplicates,
            quantizationLoss: itq.quantizationLoss, leaveOneOut: leavingOneOut, notes: classic.notes,
            editedCopies: editedCopies, editedPhotoCount: editedPhotos?.count ?? 0)
    }
}

/// A model's codes for a set of images, in both forms the ranking takes.
struct ModelCodes {
    let hashes: [UInt32]
    let codes: Matrix

    init(_ semantic: [SemanticCode], width: Int) throws {
        hashes = semantic.map(\.hash)
        codes = Matrix(rows: semantic.count, columns: width, elements: semantic.flatMap(\.code))
    }

    /// Hamming distance, ties by the real code: how `imgsearch query` ranks.
    var binary: RetrievalCodes { .binary(hashes: hashes, realCodes: codes) }
    var real: RetrievalCodes { .real(codes) }

    /// The codes of `thumbnails`' variants as `options` makes them
    /// (``QueryOptions/variants(of:)``), one set per variant, in its order.
    static func variants(of thumbnails: [Thumbnail], as options: QueryOptions, encoder: AutoencoderEncoder) throws -> [ModelCodes] {
        let variants = thumbnails.map(options.variants(of:))
        return try (0..<(variants.first?.count ?? 0)).map { variant in
            try ModelCodes(encoder.encode(variants.map { $0[variant] }), width: encoder.model.codeSize)
        }
    }
}
