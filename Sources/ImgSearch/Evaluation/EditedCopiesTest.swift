import ImgSearchCore
import ImgSearchImaging
import ImgSearchLearning

/// The edited-copies test (`imgsearch eval --edits DIR`, issue 14): each
/// picture of a folder of real photos goes through every ``PhotoEdit``, and
/// each copy is queried against the folder's originals plus the database,
/// counting how often its original comes first and among the first 10
/// (docs/quality.md, "Edited copies").
///
/// The originals are indexed as `imgsearch index` indexes a file (their
/// thumbnails from ``ThumbnailLoader``, through ``LabelledImageSet/load``)
/// and shuffled in among the database images, so that no tie falls to
/// them by position. A copy is made as it would reach the product: the
/// edit applied to the decoded picture, then the thumbnail made from it
/// (the JPEG edit re-encodes). Before the edits each photo is decoded
/// DCT-scaled to at least ``decodedSide`` and area-averaged to
/// ``longSide`` on its long side: a copy found on the web is rarely full
/// size, and editing multi-megapixel pictures fifteen ways would take most
/// of the test's time.
///
/// The methods, in this order: "query" (``RetrievalEvaluation/queryMethod``,
/// `imgsearch query` with its default options), "semantic-hash" (Hamming
/// distance, ties by the real code: the image alone, not re-ranked), "semantic-hash/rerank-N"
/// (the first N by Hamming distance re-ranked by the real code, `query
/// --rerank N`), "real-code"; with flipping "semantic-hash+flip" and
/// "real-code+flip" (each copy and its mirror, merged, as `query --flip`);
/// with rotations "semantic-hash+turns" and "real-code+turns" ("+flip+turns"
/// with both: each copy and its other quarter turns, as `query --rotations`)
/// and "semantic-hash+turns/rerank-N" (the same re-ranked, `query --rerank N`);
/// and with the classic baselines "pHash", "dHash", "HSV-histogram", the
/// copies' descriptors computed on the edited picture.
enum EditedCopiesTest {
    /// Both sides at least this long in the DCT-scaled decode.
    static let decodedSide = 384
    /// The long side of the picture the edits are applied to.
    static let longSide = 512

    /// One way of editing a picture.
    struct Edit: Sendable {
        /// The row's name.
        var name: String
        /// The edited copy.
        var apply: @Sendable (RGBImage) throws -> RGBImage

        /// Every ``PhotoEdit`` of the product, in its order.
        static let product: [Edit] = PhotoEdit.allCases.map { edit in
            Edit(name: edit.rawValue, apply: { try edit.apply(to: $0) })
        }
    }

    /// - Parameters:
    ///   - photos: the originals, with descriptors when `classic` is true
    ///   - database: the other images the copies are ranked against, with
    ///     descriptors when `classic` is true
    ///   - edits: the edits to make (tests add an unedited copy)
    ///   - rerankDepth: N of "semantic-hash/rerank-N"
    ///   - flip: also rank each copy merged with its mirror
    ///   - rotations: also rank each copy merged with its three other
    ///     quarter turns (and its mirror with `flip`), as `query --rotations`
    ///   - variantPenalty: bits added to the transformed copies' Hamming
    ///     distances (``QueryOptions/variantPenalty``)
    ///   - classic: also rank by pHash, dHash and the HSV histogram
    ///   - onFailure: a photo that cannot be decoded again for editing: it
    ///     stays among the originals, and has no copies
    /// - Returns: one row per edit, in the order of `edits`, then the
    ///   ``EditedCopyResult/allEdits`` row.
    static func run(
        photos: LabelledImageSet, database: LabelledImageSet, encoder: AutoencoderEncoder,
        edits: [Edit] = Edit.product, rerankDepth: Int, flip: Bool = false, rotations: Bool = false, variantPenalty: Int = 0, classic: Bool = true,
        colourWeights: [Float] = [], colourRows: RetrievalEvaluationOptions = .init(), seed: UInt64, threads: Int, onFailure: (IndexingFailure) -> Void = { _ in }
    ) throws -> [EditedCopyResult] {
        let classic = classic && photos.descriptors != nil && database.descriptors != nil
        // The originals shuffled in among the database images, so that no
        // tie falls to them by position.
        let combinedCount = photos.count + database.count
        var generator = SplitMix64(seed: seed ^ 0xED17)
        let order = Array(0..<combinedCount).shuffled(using: &generator)
        let combined = LabelledImageSet(
            paths: photos.paths + database.paths, labels: photos.labels + database.labels,
            thumbnails: photos.thumbnails + database.thumbnails,
            descriptors: classic ? photos.descriptors.flatMap { own in database.descriptors.map { own + $0 } } : nil
        ).reordered(order)
        var originalPosition = [Int](repeating: 0, count: photos.count)
        for (position, index) in order.enumerated() where index < photos.count { originalPosition[index] = position }

        let side = encoder.thumbnailSide
        let made = Array(0..<photos.count).parallelMap(threads: threads) { index in
            Result { () throws -> [(Thumbnail, ImageDescriptors?)] in
                let picture = try Self.picture(at: photos.paths[index])
                return try edits.map { edit in
                    let copy = try edit.apply(picture)
                    return (Thumbnail(of: copy, side: side), classic ? ImageDescriptors(of: copy) : nil)
                }
            }
        }
        // The photos that were edited, and their copies, every photo's in the edits' order.
        var edited: [Int] = []
        var copies: [(Thumbnail, ImageDescriptors?)] = []
        for (index, result) in made.enumerated() {
            switch result {
            case .success(let photoCopies):
                edited.append(index)
                copies += photoCopies
            case .failure(let error as ImageDecodingError):
                onFailure(IndexingFailure(path: error.path, reason: error.reasonDescription))
            case .failure(let error):
                onFailure(IndexingFailure(path: photos.paths[index], reason: "\(error)"))
            }
        }
        // Query q is the copy of photo edited[q / edits.count] by edit q % edits.count.
        let queryThumbnails = copies.map(\.0)
        let width = encoder.model.codeSize
        let databaseCodes = try ModelCodes(encoder.encode(combined.thumbnails), width: width)
        let queryCodes = try ModelCodes(encoder.encode(queryThumbnails), width: width)
        // `imgsearch query` with its default options first.
        let queryDefaults = QueryOptions()
        let defaultVariantCodes = try ModelCodes.variants(of: queryThumbnails, as: queryDefaults, encoder: encoder)
        let databaseHistograms = ColourRerank.histograms(combined.thumbnails)
        let queryHistograms = ColourRerank.queryHistograms(queryThumbnails, as: queryDefaults)
        func colour(_ weight: Float) -> ColourRerank? {
            weight > 0 ? ColourRerank(database: databaseHistograms, queries: queryHistograms, weight: weight) : nil
        }
        let defaultVariants = [queryCodes.binary] + defaultVariantCodes.map(\.binary)
        var methods: [(name: String, database: RetrievalCodes, queries: [RetrievalCodes], rerank: Int, penalty: Int, colour: ColourRerank?)] = [
            (RetrievalEvaluation.queryMethod, databaseCodes.binary, defaultVariants,
             queryDefaults.rerank, queryDefaults.variantPenalty, colour(queryDefaults.colourWeight)),
        ]
        for weight in colourWeights {
            methods.append((colourRows.colourRowName(weight), databaseCodes.binary, defaultVariants,
                            colourRows.colourRerankDepth, queryDefaults.variantPenalty, colour(weight)))
        }
        methods += [
            ("semantic-hash", databaseCodes.binary, [queryCodes.binary], 0, 0, nil),
            ("semantic-hash/rerank-\(rerankDepth)", databaseCodes.binary, [queryCodes.binary], rerankDepth, 0, nil),
            ("real-code", databaseCodes.real, [queryCodes.real], 0, 0, nil),
        ]
        if flip {
            let mirrored = try ModelCodes(encoder.encode(queryThumbnails.map(\.mirrored)), width: width)
            methods.append(("semantic-hash+flip", databaseCodes.binary, [queryCodes.binary, mirrored.binary], 0, variantPenalty, nil))
            methods.append(("real-code+flip", databaseCodes.real, [queryCodes.real, mirrored.real], 0, variantPenalty, nil))
        }
        if rotations {
            let turned = try ModelCodes.variants(
                of: queryThumbnails, as: QueryOptions(flip: flip, rotations: true, trimBars: false), encoder: encoder)
            let suffix = flip ? "+flip+turns" : "+turns"
            methods.append(("semantic-hash" + suffix, databaseCodes.binary, [queryCodes.binary] + turned.map(\.binary), 0,
                            variantPenalty, nil))
            methods.append(("real-code" + suffix, databaseCodes.real, [queryCodes.real] + turned.map(\.real), 0, variantPenalty, nil))
            methods.append(("semantic-hash" + suffix + "/rerank-\(rerankDepth)", databaseCodes.binary,
                            [queryCodes.binary] + turned.map(\.binary), rerankDepth, variantPenalty, nil))
        }
        if classic, let described = combined.descriptors {
            let queryDescriptors = copies.compactMap(\.1)
            methods.append(("pHash", .hashes64(described.map(\.pHash)), [.hashes64(queryDescriptors.map(\.pHash))], 0, 0, nil))
            methods.append(("dHash", .hashes64(described.map(\.dHash)), [.hashes64(queryDescriptors.map(\.dHash))], 0, 0, nil))
            methods.append(("HSV-histogram", .colourHistograms(described), [.colourHistograms(queryDescriptors)], 0, 0, nil))
        }
        let queryCount = queryThumbnails.count
        let editCount = edits.count
        let originals = edited.map { originalPosition[$0] }
        // found[method][query]: (original first, original in the first 10)
        let found = try methods.map { method in
            let ranked = try RetrievalDatabase(method.database)
            let perQuery = Array(0..<queryCount).parallelMap(threads: threads) { query in
                Result { () throws -> (Bool, Bool) in
                    let nearest = try RetrievalRanking.nearest(
                        10, database: ranked, queries: method.queries, query: query, rerank: method.rerank,
                        variantPenalty: method.penalty, colour: method.colour)
                    let original = originals[query / editCount]
                    return (nearest.first == original, nearest.contains(original))
                }
            }
            return try perQuery.map { try $0.get() }
        }
        func row(_ name: String, _ queries: [Int]) -> EditedCopyResult {
            let n = Double(max(1, queries.count))
            return EditedCopyResult(edit: name, count: queries.count, recall: methods.indices.map { method in
                EditRecall(method: methods[method].name,
                           atOne: Double(queries.filter { found[method][$0].0 }.count) / n,
                           atTen: Double(queries.filter { found[method][$0].1 }.count) / n)
            })
        }
        var results = edits.indices.map { edit in
            row(edits[edit].name, Array(stride(from: edit, to: queryCount, by: max(1, editCount))))
        }
        results.append(row(EditedCopyResult.allEdits, Array(0..<queryCount)))
        return results
    }

    /// The photo at `path` as the edits see it: DCT-scaled, upright, then
    /// area-averaged to ``longSide`` when its long side is longer.
    static func picture(at path: String) throws(ImageDecodingError) -> RGBImage {
        let decoded = try ImageDecoder.decode(contentsOf: path, options: ImageDecodingOptions(minimumDecodedSide: decodedSide)).image
        let long = max(decoded.width, decoded.height)
        guard long > longSide else { return decoded }
        return decoded.resized(width: max(1, decoded.width * longSide / long), height: max(1, decoded.height * longSide / long))
    }
}
