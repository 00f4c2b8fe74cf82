import Foundation
import ImgSearch
import Testing

@Suite struct ThumbnailCommandTests {
    /// `../shared/data`, found from this file's place in the repository.
    static let data = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/data").standardizedFileURL
    static let hasData = FileManager.default.fileExists(atPath: data.path)

    @Test(.enabled(if: hasData, "needs ../shared/data"), arguments: [32, 16])
    func writesTheThumbnailTheModelSees(size: Int) throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = Self.data.appendingPathComponent("exif-orientation/recurser/Portrait_6.jpg").path
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

    @Test(.enabled(if: hasData, "needs ../shared/data"))
    func aCorruptFileIsNamedOnStandardErrorWithExitStatusOne() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = Self.data.appendingPathComponent("corrupt/pillow/truncated_jpeg.jpg").path
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
        #expect(notAnImage.standardError == "Error: \(text.path): unsupported format (not a JPEG or PNG file)\n")

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
