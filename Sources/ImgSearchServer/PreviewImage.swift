import Foundation
import ImgSearch

/// The thumbnails the web page shows (`GET /api/images/{id}/thumbnail`):
/// the indexed file decoded (JPEG at the smallest DCT scale that covers the
/// size), turned upright, scaled to fit a `side` x `side` square with its
/// aspect ratio kept, as JPEG.
enum PreviewImage {
    static let sides = 16...1024
    static let defaultSide = 256
    static let quality = 82

    static func jpeg(ofFileAt path: String, side: Int) throws -> [UInt8] {
        let decoded = try ImageDecoder.decode(contentsOf: path, options: ImageDecodingOptions(minimumDecodedSide: side))
        let image = decoded.image
        let scale = min(1, Double(side) / Double(max(image.width, image.height)))
        let width = max(1, Int((Double(image.width) * scale).rounded()))
        let height = max(1, Int((Double(image.height) * scale).rounded()))
        let fitted = (width, height) == (image.width, image.height) ? image : image.resized(width: width, height: height)
        return try JPEGEncoder.encode(fitted, quality: quality)
    }

    /// Changes when the file does, so a browser's copy is asked for again
    /// (`If-None-Match`) only then: the id, the side, the file's size and
    /// modification time.
    static func entityTag(id: Int64, side: Int, path: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let modified = attributes[.modificationDate] as? Date,
              let size = attributes[.size] as? NSNumber else { return nil }
        return "\"\(id)-\(side)-\(size.int64Value)-\(Int64(modified.timeIntervalSince1970 * 1000))\""
    }
}
