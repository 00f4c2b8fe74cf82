import ImgSearch

/// The per-format and per-reason counts of `index` and `info`, in words for
/// a terminal, in a fixed order so that two runs read alike.
enum CountLists {
    /// `jpeg 12, png 3, unknown 40`: formats in ``ImageFormat``'s order,
    /// then any other key (the unknown ones) by name.
    static func formats(_ counts: [String: Int]) -> String {
        let order = ImageFormat.allCases.map(\.rawValue)
        let keys = counts.keys.sorted { lhs, rhs in
            switch (order.firstIndex(of: lhs), order.firstIndex(of: rhs)) {
            case let (left?, right?): return left < right
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return lhs < rhs
            }
        }
        return keys.map { "\($0) \(counts[$0] ?? 0)" }.joined(separator: ", ")
    }

    /// `corrupt 2, unsupported format 1`: reasons in
    /// ``IndexingFailure/Kind``'s order, in words.
    static func skipped(_ counts: [String: Int]) -> String {
        counts.keys.sorted { lhs, rhs in
            switch (IndexingFailure.Kind(rawValue: lhs), IndexingFailure.Kind(rawValue: rhs)) {
            case let (left?, right?): return left < right
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return lhs < rhs
            }
        }.map { key in "\(IndexingFailure.Kind(rawValue: key)?.label ?? key) \(counts[key] ?? 0)" }
        .joined(separator: ", ")
    }
}
