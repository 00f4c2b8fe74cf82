import Synchronization

/// The last duplicate groups found, kept until the index changes: finding
/// them decodes every candidate pair's files, seconds on a large index.
final class DuplicateCache: Sendable {
    private struct Kept {
        var changeToken: Int64
        var answer: DuplicateAnswer
    }

    private let kept = Mutex<Kept?>(nil)

    func groups(radius: Int, changeToken: Int64) -> DuplicateAnswer? {
        kept.withLock { kept in
            guard let kept, kept.changeToken == changeToken, kept.answer.radius == radius else { return nil }
            return kept.answer
        }
    }

    func keep(_ answer: DuplicateAnswer, changeToken: Int64) {
        kept.withLock { $0 = Kept(changeToken: changeToken, answer: answer) }
    }
}
