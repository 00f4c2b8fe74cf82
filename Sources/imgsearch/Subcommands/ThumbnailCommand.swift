import ArgumentParser
import Foundation
import ImgSearch

/// `imgsearch thumbnail IMAGE -o OUT.png [--size N]`: writes the thumbnail
/// the model sees, so a person can look at it.
struct ThumbnailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thumbnail",
        abstract: "Write the thumbnail the model sees for an image, as a PNG.",
        discussion: """
            The whole picture, turned upright by its EXIF orientation, is
            area-averaged to a square (the aspect ratio is not kept).
            Exit status: 0 written, 1 the image could not be decoded or the
            output not written, 64 bad arguments.
            """
    )

    @Argument(help: "The image file (JPEG, PNG, WebP, GIF, TIFF, BMP, HEIC or AVIF, recognized by content).")
    var image: String

    @Option(name: [.customShort("o"), .customLong("output")], help: "The PNG file to write.")
    var output: String

    @Option(parsing: .unconditional, help: "Side of the square thumbnail in pixels.")
    var size: Int = Thumbnail.defaultSide

    func validate() throws {
        guard (1...4096).contains(size) else {
            throw ValidationError("--size must be between 1 and 4096, not \(size)")
        }
    }

    func run() throws {
        let thumbnail = try ImageDecoder.thumbnail(contentsOf: image, side: size)
        let png = try PNGEncoder.encode(thumbnail.rgbImage)
        do {
            try Data(png).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw CommandFailure("\(output): cannot write: \(error.localizedDescription)")
        }
    }
}
