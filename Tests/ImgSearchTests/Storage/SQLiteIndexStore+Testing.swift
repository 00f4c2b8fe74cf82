@testable import ImgSearch

extension SQLiteIndexStore {
    /// Stores a model in a batch of its own, as tests set indexes up.
    func addModel(_ model: StoredModel) throws -> Int64 {
        try write { try $0.addModel(model) }
    }
}

extension ImageIndex {
    /// The facade's writer connection, for tests that look into (or damage)
    /// the database under it.
    var sqliteWriter: SQLiteIndexStore {
        get throws {
            try connections.writing { storage in
                guard let sqlite = storage as? SQLiteIndexStore else { throw SQLiteError(code: 1, message: "not SQLite", sql: nil, path: path) }
                return sqlite
            }
        }
    }
}
