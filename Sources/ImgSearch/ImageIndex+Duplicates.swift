extension ImageIndex {
    /// Groups of near-duplicate images: hashes within `radius` bits of each
    /// other, confirmed by real codes within `maximumDistance` (see
    /// ``DuplicateFinder``). Largest groups first, then by first path.
    public func duplicates(
        radius: Int = 2, maximumDistance: Float = DuplicateGroup.defaultMaximumDistance
    ) throws -> [DuplicateGroup] {
        try locked {
            let (ids, hashes) = try store.loadHashes()
            guard let first = ids.first, let bitCount = try store.records(ids: [first]).first?.code.count else { return [] }
            var paths: [Int: String] = [:]
            let finder = DuplicateFinder(bitCount: bitCount, radius: radius, maximumDistance: maximumDistance)
            let found = try finder.groups(hashes: hashes) { indices in
                let indexOfID = Dictionary(uniqueKeysWithValues: indices.map { (ids[$0], $0) })
                var codes: [Int: [Float]] = [:]
                for record in try store.records(ids: indices.map { ids[$0] }) {
                    guard let index = indexOfID[record.id] else { continue }
                    codes[index] = record.code
                    paths[index] = record.path
                }
                return codes
            }
            return found.map { group in
                DuplicateGroup(paths: group.members.compactMap { paths[$0] }.sorted(), hamming: group.hamming, distance: group.distance)
            }.sorted { ($1.paths.count, $0.paths.first ?? "") < ($0.paths.count, $1.paths.first ?? "") }
        }
    }
}
