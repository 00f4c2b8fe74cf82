import Synchronization
import ImgSearchLearning

/// What queries share between calls: the active model's encoder (loaded
/// once per model) and the loaded hashes (loaded again after any commit).
///
/// The mutex is held only to read or replace an entry, never while a model
/// or the hashes load, so a query never waits for another's loading; two
/// that miss at once both load, and the later one's copy stays.
final class QueryCache: Sendable {
    private struct Entries {
        var encoder: (modelID: Int64, encoder: any SemanticEncoder)?
        var search: (changeToken: Int64, search: HashSearch)?
    }

    private let entries = Mutex(Entries())

    /// The encoder of model `modelID`, made by `load` unless it is the one kept.
    func encoder(modelID: Int64, load: () throws -> any SemanticEncoder) rethrows -> any SemanticEncoder {
        if let kept = entries.withLock({ $0.encoder }), kept.modelID == modelID { return kept.encoder }
        let loaded = try load()
        entries.withLock { $0.encoder = (modelID, loaded) }
        return loaded
    }

    /// The search over the hashes as of `changeToken`, made by `load` unless
    /// the one kept was loaded under the same token. The token must be read
    /// before `load` reads the hashes: then a commit between the two only
    /// makes the next query load again, and never keeps old hashes under a
    /// new token.
    func search(changeToken: Int64, load: () throws -> HashSearch) rethrows -> HashSearch {
        if let kept = entries.withLock({ $0.search }), kept.changeToken == changeToken { return kept.search }
        let loaded = try load()
        entries.withLock { $0.search = (changeToken, loaded) }
        return loaded
    }
}
