import ImgSearchCore

/// Why a file could not be turned into pixels, with the file it concerns.
///
/// The description is `<path>: <reason>`, the form the command-line tool
/// prints on stderr and the indexer logs for every file it skips.
public struct ImageDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Equatable {
        /// The file could not be opened or read.
        case unreadable(String)
        /// The bytes are not a JPEG, PNG, WebP, GIF, TIFF, BMP, HEIC or AVIF file
        /// (recognized by content, not name).
        case unsupportedFormat
        /// A variant of a supported format that this build of the native library
        /// (or imgsearch's BMP reader) cannot decode: for example 12-bit or
        /// lossless JPEG with libjpeg-turbo 2.x, 32-bit float TIFF, or a BMP
        /// with OS/2 Huffman compression.
        case unsupportedVariant(String)
        /// The header declares more pixels than the configured limit; nothing
        /// was allocated for the image.
        case tooLarge(width: Int, height: Int, limit: Int)
        /// The file is damaged: the library's own message (libjpeg, libpng,
        /// libwebp, giflib, libtiff, or the BMP reader's), including
        /// warnings such as "Premature end of JPEG file" that are treated as errors.
        case corrupt(String)
        /// The machine could not supply the memory for an image within the
        /// pixel limit; not the file's fault, so a later attempt may succeed.
        case outOfMemory(String)
    }

    /// The file at fault, as the caller named it.
    public let path: String
    /// What went wrong.
    public let reason: Reason

    /// Creates an error for `path`.
    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// `<path>: <reason>`.
    public var description: String { "\(path): \(reasonDescription)" }

    /// The reason alone, in words.
    public var reasonDescription: String {
        switch reason {
        case .unreadable(let message): return "cannot read file: \(message)"
        case .unsupportedFormat: return "unsupported format (not a \(ImageFormat.supportedNames) file)"
        case .unsupportedVariant(let message): return "unsupported image variant: \(message)"
        case .tooLarge(let width, let height, let limit):
            return "image too large: \(width)x\(height) is \(width * height) pixels, over the limit of \(limit)"
        case .corrupt(let message): return "corrupt image: \(message)"
        case .outOfMemory(let message): return "out of memory: \(message)"
        }
    }
}

extension ImageDecodingError.Reason {
    /// The group the indexer's summaries count this reason under.
    public var failureKind: IndexingFailure.Kind {
        switch self {
        case .unreadable: return .unreadable
        case .unsupportedFormat: return .unsupportedFormat
        case .unsupportedVariant: return .unsupportedVariant
        case .tooLarge: return .tooLarge
        case .corrupt: return .corrupt
        case .outOfMemory: return .outOfMemory
        }
    }
}
