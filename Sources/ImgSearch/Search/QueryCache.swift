import Synchronization
import ImgSearchLearning

/// What queries share between calls: the active model's encoder (loaded
/// once per model) and the loaded hashes (loaded again after any commit).
///
/// The mutex is held only to read or replace an entry, never while a model
/// or the hashes load, so a query never waits for another's loading: two
/// that miss the encoder at once both load it, and while one loads newer
/// hashes the others use the ones kept.
final class QueryCache: Sendable {
    private struct Entries {
        var encoder: (modelID: Int64, encoder: any SemanticEncoder)?
        var search: (changeToken: Int64, search: HashSearch)?
        /// Whether a query is loading newer hashes than `search`'s.
        var isLoadingSearch = false
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
    ///
    /// While one query loads newer hashes, the others answer from the ones
    /// kept instead of each loading their own copy: a server under load that
    /// sees a commit (an index run commits every batch) then loads once,
    /// not once per query in flight, and no query waits for the load.
    func search(changeToken: Int64, load: () throws -> HashSearch) rethrows -> HashSearch {
        let kept = entries.withLock { entries -> HashSearch? in
            if let kept = entries.search, kept.changeToken == changeToken { return kept.search }
            if entries.isLoadingSearch, let kept = entries.search { return kept.search }
            entries.isLoadingSearch = true
            return nil
        }
        if let kept { return kept }
        defer { entries.withLock { $0.isLoadingSearch = false } }
        let loaded = try load()
        entries.withLock { $0.search = (changeToken, loaded) }
        return loaded
    }
}
