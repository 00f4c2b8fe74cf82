/// A file the indexer could not read or decode, with the reason.
public struct IndexingFailure: Sendable, Equatable, CustomStringConvertible {
    /// Why a file was skipped, as the summaries count it: the reason's
    /// words carry the details, the kind groups them.
    ///
    /// The raw values are the keys of `imgsearch index --json`'s `skipped`
    /// object and of the last run's record in the index.
    public enum Kind: String, Sendable, Codable, CaseIterable, Comparable {
        /// The file or folder could not be opened or read.
        case unreadable
        /// Not an image in a format imgsearch decodes (recognized by content).
        case unsupportedFormat = "unsupported_format"
        /// A supported format in a variant the decoder cannot handle.
        case unsupportedVariant = "unsupported_variant"
        /// More pixels than the limit, refused before allocating.
        case tooLarge = "too_large"
        /// Damaged or truncated.
        case corrupt
        /// The machine had no memory for it; a later run may succeed.
        case outOfMemory = "out_of_memory"

        /// The kind in words, for tables on a terminal.
        public var label: String {
            switch self {
            case .unreadable: return "unreadable"
            case .unsupportedFormat: return "unsupported format"
            case .unsupportedVariant: return "unsupported variant"
            case .tooLarge: return "too large"
            case .corrupt: return "corrupt"
            case .outOfMemory: return "out of memory"
            }
        }

        /// In declaration order, so tables list the kinds the same way each time.
        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            lhs.rank < rhs.rank
        }

        private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    }

    public var path: String
    public var reason: String
    /// The group `reason` belongs to. Failures of the folder walk (a folder
    /// or file that would not open) are `.unreadable`, the default.
    public var kind: Kind
    public var description: String { "\(path): \(reason)" }

    public init(path: String, reason: String, kind: Kind = .unreadable) {
        self.path = path
        self.reason = reason
        self.kind = kind
    }
}
