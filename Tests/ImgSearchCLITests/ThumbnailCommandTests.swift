import Foundation
import ImgSearch
import ImgSearchTestFixtures
import Testing

@Suite struct ThumbnailCommandTests {
    /// `../shared/data`, found from this file's place in the repository.
    static let data = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/data").standardizedFileURL
    static let hasData = FileManager.default.fileExists(atPath: data.path)

    /// The pictures the thumbnail command is tried on: a synthetic one
    /// everywhere, and where ../shared/data is there a photo that EXIF
    /// turns upright (orientation 6) and a truncated file from the corrupt corpus.
    enum Source: String, CaseIterable, CustomTestStringConvertible {
        case synthetic, shared

        static var available: [Source] { hasData ? [.synthetic, .shared] : [.synthetic] }

        var testDescription: String { rawValue }

        /// A photo to make a thumbnail of, written into `folder` if need be.
        func photo(in folder: URL) throws -> String {
            switch self {
            case .synthetic:
                // Larger than the thumbnail and not square: the DCT scaling and the squash both act.
                let file = folder.appendingPathComponent("synthetic.jpg")
                try Data(try SyntheticPhotos.jpeg(3, width: 160, height: 120)).write(to: file)
                return file.path
            case .shared:
                return data.appendingPathComponent("exif-orientation/recurser/Portrait_6.jpg").path
            }
        }

        /// A JPEG cut short, written into `folder` if need be.
        func truncatedJPEG(in folder: URL) throws -> String {
            switch self {
            case .synthetic:
                let bytes = try SyntheticPhotos.jpeg(3, width: 160, height: 120)
                let file = folder.appendingPathComponent("truncated.jpg")
                try Data(bytes.prefix(bytes.count / 2)).write(to: file)
                return file.path
            case .shared:
                return data.appendingPathComponent("corrupt/pillow/truncated_jpeg.jpg").path
            }
        }
    }

    @Test(arguments: Source.available, [32, 16])
    func writesTheThumbnailTheModelSees(source: Source, size: Int) throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = try source.photo(in: folder)
        let output = folder.appendingPathComponent("thumb.png").path

        let result = try CommandRunner.run(["thumbnail", photo, "-o", output, "--size", String(size)])
        #expect(result.status == 0)
        #expect(result.standardOutput.isEmpty && result.standardError.isEmpty)

        let written = try ImageDecoder.decode(contentsOf: output)
        #expect(written.format == .png)
        #expect(written.image.width == size && written.image.height == size)
        let expected = try ImageDecoder.thumbnail(contentsOf: photo, side: size).rgbImage
        #expect(written.image == expected)
    }

    @Test(arguments: Source.available)
    func aCorruptFileIsNamedOnStandardErrorWithExitStatusOne(source: Source) throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = try source.truncatedJPEG(in: folder)
        let output = folder.appendingPathComponent("thumb.png").path

        let result = try CommandRunner.run(["thumbnail", broken, "-o", output])
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError == "Error: \(broken): corrupt image: Premature end of JPEG file\n")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func aMissingOrNonImageFileFailsWithItsReason() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = folder.appendingPathComponent("notes.jpg")
        try Data("not a picture".utf8).write(to: text)
        let output = folder.appendingPathComponent("thumb.png").path

        let missing = try CommandRunner.run(["thumbnail", folder.appendingPathComponent("gone.jpg").path, "-o", output])
        #expect(missing.status == 1)
        #expect(missing.standardError.hasSuffix("gone.jpg: cannot read file: No such file or directory\n"))

        let notAnImage = try CommandRunner.run(["thumbnail", text.path, "-o", output])
        #expect(notAnImage.status == 1)
        #expect(notAnImage.standardError == "Error: \(text.path): unsupported format (not a JPEG, PNG, WebP, GIF, TIFF, BMP, HEIC or AVIF file)\n")

        let directory = try CommandRunner.run(["thumbnail", folder.path, "-o", output])
        #expect(directory.status == 1)
        #expect(directory.standardError == "Error: \(folder.path): cannot read file: is a directory\n")
    }

    @Test func badArgumentsExitWithUsageStatus() throws {
        let noOutput = try CommandRunner.run(["thumbnail", "photo.jpg"])
        #expect(noOutput.status == 64)
        #expect(noOutput.standardError.contains("Missing expected argument '--output <output>'"))

        let badSize = try CommandRunner.run(["thumbnail", "photo.jpg", "-o", "t.png", "--size", "0"])
        #expect(badSize.status == 64)
        #expect(badSize.standardError.contains("--size must be between 1 and 4096"))
    }
}
