import Foundation
import Testing
@testable import ImgSearch

/// The retrieval metrics on rankings worked out by hand, and the ranking
/// against the product's Hamming search.
@Suite struct RetrievalMetricsTests {
    @Test func averagePrecisionFollowsTheIssuesDefinition() {
        // Relevant at ranks 1, 3 and 6 of 6; 4 relevant in the database.
        let relevance = [true, false, true, false, false, true]
        let all = QueryScores.measure(isRelevant: relevance, relevantTotal: 4, depth: 1000, cutoffs: [1, 2, 6], hammingAtRank: nil)
        #expect(abs(all.averagePrecision - (1.0 + 2.0 / 3 + 3.0 / 6) / 3) < 1e-12)
        #expect(all.precisionAt1 == 1)
        #expect(abs(all.precisionAt10 - 0.5) < 1e-12)  // the database holds only 6
        #expect(all.relevantAtCutoffs == [1, 1, 3])
        // At depth 3 only ranks 1 and 3 count: (1 + 2/3) / 2.
        let shallow = QueryScores.measure(isRelevant: relevance, relevantTotal: 4, depth: 3, cutoffs: [], hammingAtRank: nil)
        #expect(abs(shallow.averagePrecision - (1.0 + 2.0 / 3) / 2) < 1e-12)
        // No relevant image within the depth: 0, not NaN.
        let none = QueryScores.measure(isRelevant: [false, false, true], relevantTotal: 1, depth: 2, cutoffs: [], hammingAtRank: nil)
        #expect(none.averagePrecision == 0)
        #expect(none.precisionAt1 == 0)
    }

    @Test func scoresAverageOverQueriesAndCountTheRadius() throws {
        // Query 0 (label 0) at hash 000: database at distances 0, 3, 1, 2.
        let database = RetrievalCodes.binary(hashes: [0b000, 0b111, 0b001, 0b011], realCodes: nil)
        let queries = RetrievalCodes.binary(hashes: [0b000, 0b111], realCodes: nil)
        let scores = try RetrievalRanking.scores(
            database: database, databaseLabels: [0, 1, 0, 1], queries: [queries], queryLabels: [0, 1], depth: 1000, threads: 1)
        // Query 0 ranks relevant, relevant, -, -: AP 1. Query 1 (label 1, hash 111)
        // ranks position 1 (0), 3 (1), 2 (2), 0 (3): relevant, relevant: AP 1.
        #expect(scores.meanAveragePrecision == 1)
        #expect(scores.precisionAt1 == 1)
        // Within radius 2: query 0 finds positions 0, 2, 3 (2 relevant); query 1 finds 1, 3, 2 (2 relevant).
        #expect(abs((scores.precisionWithinRadius2 ?? 0) - 2.0 / 3) < 1e-12)
        #expect(scores.queriesWithResultsWithinRadius2 == 1)
        #expect(scores.precisionRecall.last?.recall == 1)
        #expect(scores.precisionRecall.last?.precision == 0.5)
        let real = try RetrievalRanking.scores(
            database: .real(Matrix(rows: 4, columns: 1, elements: [0, 3, 1, 2])), databaseLabels: [0, 1, 0, 1],
            queries: [.real(Matrix(rows: 1, columns: 1, elements: [0.1]))], queryLabels: [0], threads: 1)
        #expect(real.meanAveragePrecision == 1)
        #expect(real.precisionWithinRadius2 == nil && real.queriesWithResultsWithinRadius2 == nil)
    }

    @Test func tiesGoByTheRealCodeAndVariantsMerge() throws {
        // Equal hashes: the real codes order them, nearest first.
        let codes = Matrix(rows: 3, columns: 2, elements: [5, 5, 1, 1, 3, 3])
        let database = RetrievalCodes.binary(hashes: [7, 7, 7], realCodes: codes)
        let query = RetrievalCodes.binary(hashes: [7], realCodes: Matrix(rows: 1, columns: 2, elements: [0, 0]))
        #expect(try RetrievalRanking.nearest(3, database: database, queries: [query], query: 0) == [1, 2, 0])
        // A second variant at the far image's code brings it first.
        let mirrored = RetrievalCodes.binary(hashes: [7], realCodes: Matrix(rows: 1, columns: 2, elements: [5, 5]))
        #expect(try RetrievalRanking.nearest(3, database: database, queries: [query, mirrored], query: 0) == [0, 1, 2])
        // A smaller Hamming distance wins over any real distance.
        let apart = RetrievalCodes.binary(hashes: [7, 6, 7], realCodes: codes)
        #expect(try RetrievalRanking.nearest(3, database: apart, queries: [query], query: 0) == [2, 0, 1])
        // Re-ranking the first 3 by real code alone lets the far hash first.
        #expect(try RetrievalRanking.nearest(3, database: apart, queries: [query], query: 0, rerank: 3) == [1, 2, 0])
        #expect(try RetrievalRanking.nearest(3, database: apart, queries: [query], query: 0, rerank: 2) == [2, 0, 1])
    }

    @Test func rankingAgreesWithTheFlatHammingIndex() throws {
        // 8-bit hashes so that ties are everywhere; real codes break them.
        var generator = SplitMix64(seed: 77)
        let count = 2_000, dimension = 6
        let hashes = (0..<count).map { _ in UInt32(generator.next() & 0xFF) }
        let realCodes = Matrix.gaussian(rows: count, columns: dimension, scale: 1, generator: &generator)
        var index = try FlatHammingIndex(bitCount: 8, realCodeDimension: dimension)
        try index.add(hashes, ids: (0..<count).map(Int64.init), realCodes: realCodes.elements)
        let database = RetrievalCodes.binary(hashes: hashes, realCodes: realCodes)
        for query in 0..<20 {
            let queryHash = UInt32(generator.next() & 0xFF)
            let queryCode = (0..<dimension).map { _ in generator.nextGaussian() }
            let queries = RetrievalCodes.binary(hashes: [queryHash], realCodes: Matrix(rows: 1, columns: dimension, elements: queryCode))
            let expected = try index.search(queryHash, k: 50, realCode: queryCode).map { Int($0.id) }
            #expect(try RetrievalRanking.nearest(50, database: database, queries: [queries], query: 0) == expected, "query \(query)")
        }
    }

    @Test func leavingOneOutRanksTheOthersAndScoresGroupsOfFour() throws {
        // Two groups on a line and a singleton between them.
        let values: [Float] = [0, 0.1, 0.2, 10, 10.1, 10.2, 10.3, 5]
        let labels = [0, 0, 0, 1, 1, 1, 1, 2]
        let codes = RetrievalCodes.real(Matrix(rows: values.count, columns: 1, elements: values))
        let left = try RetrievalRanking.scores(database: codes, databaseLabels: labels, queries: [codes], queryLabels: labels,
                                               leavingOneOut: true)
        // Every query but the singleton finds its group first; the singleton
        // has nothing relevant left (AP 0) and its nearest other is wrong.
        #expect(left.meanAveragePrecision == 7.0 / 8)
        #expect(left.precisionAt1 == 7.0 / 8)
        // N-S: itself plus the first 3 others of its label: 3 for the group
        // of three, 4 for the group of four, 1 for the singleton.
        let groupsOfFour: Double = (3 * 3 + 4 * 4 + 1) / 8
        #expect(left.nisterSteweniusScore == groupsOfFour)
        #expect(left.precisionRecall.last?.cutoff == values.count - 1)
        // Without leaving out, each query finds itself first.
        let kept = try RetrievalRanking.scores(database: codes, databaseLabels: labels, queries: [codes], queryLabels: labels)
        #expect(kept.precisionAt1 == 1)
        #expect(kept.nisterSteweniusScore == groupsOfFour)
        #expect(kept.precisionRecall.last?.cutoff == values.count)
        // Leaving one out needs the database's own images as the queries.
        #expect(throws: EvaluationError.self) {
            try RetrievalRanking.scores(database: codes, databaseLabels: labels, queries: [codes],
                                        queryLabels: labels.reversed(), leavingOneOut: true)
        }
    }

    @Test func cutoffsGrowGeometricallyToTheWholeDatabase() {
        let cutoffs = QueryScores.cutoffs(count: 50_000)
        #expect(cutoffs.first == 1 && cutoffs.last == 50_000)
        #expect(zip(cutoffs, cutoffs.dropFirst()).allSatisfy { $0 < $1 })
        #expect((40...80).contains(cutoffs.count))
        #expect(QueryScores.cutoffs(count: 1) == [1])
    }
}
