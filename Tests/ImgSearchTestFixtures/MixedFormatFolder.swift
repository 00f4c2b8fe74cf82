import Foundation
import ImgSearchImaging

/// A folder holding one synthetic picture in each format the test writers
/// make (JPEG, PNG, WebP, GIF, TIFF), and files that must be skipped, each
/// for a different reason: what the per-format and per-reason counts of
/// `index` and `info` are checked against, without ../shared.
public enum MixedFormatFolder {
    /// The good files by name, with the format each must be counted as.
    public static let formats: [String: ImageFormat] = [
        "photo.jpg": .jpeg, "drawing.png": .png, "web.webp": .webp, "old.gif": .gif, "scan.tif": .tiff,
    ]
    /// The files to skip by name, with the reason (an
    /// `IndexingFailure.Kind` raw value) each must be counted under.
    public static let skipped: [String: String] = [
        "notes.jpg": "unsupported_format", "readme.txt": "unsupported_format", "cut.webp": "corrupt",
    ]

    /// Writes the files into `folder`, which must exist.
    public static func write(into folder: URL) throws {
        func save(_ bytes: [UInt8], _ name: String) throws {
            try Data(bytes).write(to: folder.appendingPathComponent(name))
        }
        let picture = { (number: Int) in SyntheticPhotos.image(number) }
        try save(JPEGEncoder.encode(picture(1), quality: 90), "photo.jpg")
        try save(PNGEncoder.encode(picture(2)), "drawing.png")
        try save(FormatWriters.webpLossy(picture(3)), "web.webp")
        try save(FormatWriters.quantizedGIF(picture(4)), "old.gif")
        try save(FormatWriters.tiff([.init(picture(5), compression: .lzw)]), "scan.tif")
        // A WebP cut in half: recognized by its header, refused as damaged.
        let whole = try FormatWriters.webpLossy(picture(6))
        try save(Array(whole.prefix(whole.count / 2)), "cut.webp")
        try save(Array("not an image".utf8), "notes.jpg")
        try save(Array("a text file among the photos".utf8), "readme.txt")
    }
}
