import ImgSearchLinearAlgebra

extension RankingKeys {
    /// L1 keys: the distance's Float bit pattern in the distance bits, as
    /// the Euclidean keys hold theirs, so the ranking is exact (ties by
    /// position). The sum runs in index order, one running total, as
    /// ``ColourHistogram/distance(to:)`` sums: the same numbers, bit for bit.
    static func fillL1(_ keys: inout [UInt64], database: Matrix, queries: Matrix, query: Int, merge: Bool) {
        let width = database.columns
        database.elements.withUnsafeBufferPointer { codes in
            queries.elements.withUnsafeBufferPointer { queryCodes in
                let y = queryCodes.baseAddress! + query * width
                for position in 0..<database.rows {
                    let x = codes.baseAddress! + position * width
                    var sum: Float = 0
                    for index in 0..<width { sum += abs(x[index] - y[index]) }
                    let bits = UInt64((sum.isNaN ? Float.infinity : sum).bitPattern)
                    store(bits << 27 | UInt64(position), at: position, in: &keys, merge: merge)
                }
            }
        }
    }

    /// 64-bit Hamming keys: 0 ... 64 does not fit the 6 Hamming bits of a
    /// 30-bit hash's key, so the distance goes in the distance bits
    /// (exact, ties by position) and the Hamming bits stay 0.
    static func fillHamming64(_ keys: inout [UInt64], database: [UInt64], query: UInt64, merge: Bool) {
        for position in database.indices {
            let distance = UInt64((database[position] ^ query).nonzeroBitCount)
            store(distance << 27 | UInt64(position), at: position, in: &keys, merge: merge)
        }
    }
}

extension RetrievalCodes {
    /// The HSV histograms of `descriptors` as L1-ranked rows, `(count, 128)`.
    static func colourHistograms(_ descriptors: [ImageDescriptors]) -> RetrievalCodes {
        let width = descriptors.first?.colourHistogram.shares.count ?? 0
        return .l1(Matrix(rows: descriptors.count, columns: width, elements: descriptors.flatMap(\.colourHistogram.shares)))
    }
}
