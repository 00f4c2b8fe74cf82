import Foundation
import ImgSearchTestFixtures
import Testing
@testable import ImgSearch

private let needsSharedData = ConditionTrait.enabled(if: SharedData.isAvailable, SharedData.skipMessage)

@Suite struct JPEGDecoderTests {
    /// A baseline JPEG of testorig.jpg's 227 x 149 made here, for the tests
    /// of this library's own size handling, which need no conformance file.
    static func syntheticJPEG() throws -> [UInt8] {
        try JPEGEncoder.encode(SyntheticPhotos.image(0, width: 227, height: 149), quality: 90)
    }

    /// Files the installed libjpeg-turbo (2.1, 8-bit build) cannot decode;
    /// docs/decoding.md lists them.
    static let unsupported: Set<String> = [
        "libjpeg-turbo/testorig12.jpg", "libjpeg-turbo/monkey12.jpg", "libjpeg-turbo/test_optimize_12b.jpg",
    ]

    @Test(needsSharedData)
    func libjpegTurboAndPillowSetsDecodeOrAreUnsupported() throws {
        var decoded = 0, refused = 0
        for folder in ["jpeg-suite/libjpeg-turbo", "jpeg-suite/pillow", "jpeg-suite/jpeg-decoder-afl-seeds"] {
            for url in SharedData.files(in: folder, extensions: ["jpg"]) {
                let name = url.deletingLastPathComponent().lastPathComponent + "/" + url.lastPathComponent
                if Self.unsupported.contains(name) {
                    #expect(throws: ImageDecodingError.self) { try ImageDecoder.decode(contentsOf: url.path) }
                    do {
                        _ = try ImageDecoder.decode(contentsOf: url.path)
                    } catch {
                        guard case .unsupportedVariant = error.reason else {
                            Issue.record("\(name): expected unsupported variant, got \(error)")
                            continue
                        }
                        refused += 1
                    }
                } else {
                    let image = try ImageDecoder.decode(contentsOf: url.path)
                    #expect(image.image.width > 0 && image.image.height > 0)
                    decoded += 1
                }
            }
        }
        #expect(decoded == 33)
        #expect(refused == 3)
    }

    @Test(needsSharedData)
    func losslessJPEGIsReportedAsUnsupported() throws {
        let files = SharedData.filesRecursively(in: "jpeg-suite/jpeg-decoder-reftest/lossless", extensions: ["jpg"])
        #expect(files.count == 11)
        for url in files {
            do {
                _ = try ImageDecoder.decode(contentsOf: url.path)
                Issue.record("\(url.lastPathComponent) decoded, expected unsupported")
            } catch {
                #expect(error.reason == .unsupportedVariant("JPEG: Unsupported JPEG process: SOF type 0xc3"))
                #expect(error.path == url.path)
            }
        }
    }

    @Test(needsSharedData)
    func everyCorruptFileDecodesOrThrows() throws {
        let files = SharedData.filesRecursively(in: "corrupt", extensions: ["jpg", "jpeg"])
        var decoded = 0, failed = 0
        var slowest = (seconds: 0.0, name: "")
        for url in files {
            let start = Date()
            do {
                let thumbnail = try ImageDecoder.thumbnail(contentsOf: url.path)
                #expect(thumbnail.values.allSatisfy { $0 >= 0 && $0 <= 1 })
                decoded += 1
            } catch {
                #expect(error.path == url.path)
                failed += 1
            }
            // Timed for the record, not asserted: timings do not belong in
            // pass/fail tests on shared machines. A hang would stop the run.
            let seconds = Date().timeIntervalSince(start)
            if seconds > slowest.seconds { slowest = (seconds, url.lastPathComponent) }
        }
        print("slowest corrupt file: \(slowest.name), \(Int(slowest.seconds * 1000)) ms")
        #expect(files.count == 154)
        #expect(decoded == 18)
        #expect(failed == 136)
    }

    @Test(needsSharedData)
    func truncatedFilesAreReportedNotHalfGrey() throws {
        for name in ["libjpeg-turbo/testorig.jpg", "libjpeg-turbo/testimgp.jpg", "libjpeg-turbo/testimgari.jpg"] {
            let whole = try JPEGTestFiles.bytes("jpeg-suite/" + name)
            let half = Array(whole.prefix(whole.count / 2))
            do {
                _ = try ImageDecoder.decode(half, path: name)
                Issue.record("\(name) cut in half decoded without error")
            } catch {
                guard case .corrupt(let message) = error.reason else {
                    Issue.record("\(name): \(error)")
                    continue
                }
                #expect(message.contains("Premature end") || message.contains("premature end"))
            }
            // The same bytes decode when warnings are tolerated: the error
            // came from the warning, not from an unreadable header.
            let lenient = ImageDecodingOptions(treatsDataWarningsAsErrors: false, decodesProgressiveDCOnly: false)
            #expect(throws: Never.self) { try ImageDecoder.decode(half, path: name, options: lenient) }
        }
    }

    @Test(needsSharedData)
    func truncatedProgressiveFileIsReportedInDCOnlyMode() throws {
        let photo = try JPEGTestFiles.bytes("photos/lomiri-16.04_Dragonfly_by_Bolly.jpg")
        let cut = Array(photo.prefix(photo.count * 9 / 10))
        #expect(throws: ImageDecodingError.self) { try ImageDecoder.thumbnail(cut, path: "cut.jpg") }
    }

    @Test func headerDeclaringTooManyPixelsIsRefusedBeforeDecoding() throws {
        let original = try Self.syntheticJPEG()
        // 65,535 is over libjpeg's own 65,500 limit per side; 60,000 is
        // within it and stopped by ours.
        for side in [65_535, 60_000] {
            let bomb = try #require(JPEGTestFiles.withDeclaredSize(original, width: side, height: side))
            #expect(throws: ImageDecodingError(path: "bomb.jpg", reason: .tooLarge(width: side, height: side, limit: 100_000_000))) {
                try ImageDecoder.decode(bomb, path: "bomb.jpg")
            }
        }

        let small = ImageDecodingOptions(maximumPixelCount: 227 * 149 - 1)
        #expect(throws: ImageDecodingError(path: "t.jpg", reason: .tooLarge(width: 227, height: 149, limit: 227 * 149 - 1))) {
            try ImageDecoder.decode(original, path: "t.jpg", options: small)
        }
        let exact = ImageDecodingOptions(maximumPixelCount: 227 * 149)
        #expect(throws: Never.self) { try ImageDecoder.decode(original, path: "t.jpg", options: exact) }
    }

    @Test func scalesInTheDCTDomainToTheSmallestSizeCoveringTheThumbnail() throws {
        // 227x149: 2/8 gives 57x38, the smallest M/8 with both sides >= 32.
        let bytes = try Self.syntheticJPEG()
        let decoded = try JPEGDecoder.decode(bytes, path: "t", options: ImageDecodingOptions(minimumDecodedSide: 32))
        #expect(decoded.scaleNumerator == 2)
        #expect(decoded.image.width == 57 && decoded.image.height == 38)
        let full = try JPEGDecoder.decode(bytes, path: "t", options: ImageDecodingOptions(minimumDecodedSide: 0))
        #expect(full.scaleNumerator == 8)
        #expect(full.image.width == 227 && full.image.height == 149)
    }

    @Test(needsSharedData)
    func greyscaleAndCMYKBecomeRGB() throws {
        // Grey: all three channels equal.
        let grey = try ImageDecoder.decode(contentsOf: SharedData.url("jpeg-suite/libjpeg-turbo/testimggray.jpg").path)
        let pixels = grey.image.pixels
        var coloured = 0
        for at in stride(from: 0, to: pixels.count, by: 3) where pixels[at] != pixels[at + 1] || pixels[at] != pixels[at + 2] {
            coloured += 1
        }
        #expect(coloured == 0)
        // YCCK (Adobe transform 2) and the RGB file made from it show the
        // same picture.
        let ycck = try ImageDecoder.decode(contentsOf: SharedData.url("jpeg-suite/jpeg-decoder-reftest/ycck.jpg").path)
        let rgb = try ImageDecoder.decode(contentsOf: SharedData.url("jpeg-suite/jpeg-decoder-reftest/rgb.jpg").path)
        let difference = JPEGTestFiles.difference(Thumbnail(of: ycck.image), Thumbnail(of: rgb.image))
        #expect(difference.mean < 4, "YCCK vs RGB thumbnails differ by \(difference.mean) on average")
    }

    @Test(needsSharedData)
    func progressiveDCOnlyThumbnailMatchesTheFullDecode() throws {
        var worstMean = 0.0, worstMax = 0.0, dcOnlyCount = 0
        for url in SharedData.files(in: "photos", extensions: ["jpg"]) {
            let bytes = [UInt8](try Data(contentsOf: url))
            let dcOnly = try JPEGDecoder.decode(bytes, path: url.path, options: ImageDecodingOptions())
            guard dcOnly.usedDCOnly else { continue }
            dcOnlyCount += 1
            let full = try JPEGDecoder.decode(bytes, path: url.path, options: ImageDecodingOptions(decodesProgressiveDCOnly: false))
            let d = JPEGTestFiles.difference(Thumbnail(of: dcOnly.image), Thumbnail(of: full.image))
            worstMean = max(worstMean, d.mean)
            worstMax = max(worstMax, d.max)
        }
        print("DC-only vs full progressive thumbnails over \(dcOnlyCount) photos: worst mean \(worstMean), worst max \(worstMax) (0-255 units)")
        #expect(dcOnlyCount >= 11)
        #expect(worstMean < 2)
        #expect(worstMax < 12)
    }

    @Test(needsSharedData)
    func everyPhotoDecodesToAThumbnail() throws {
        let photos = SharedData.files(in: "photos", extensions: ["jpg"])
        #expect(photos.count == 23)
        for url in photos {
            let thumbnail = try ImageDecoder.thumbnail(contentsOf: url.path)
            #expect(thumbnail.values.count == 3072)
            // A real photograph is not flat grey.
            let mean = thumbnail.values.reduce(0, +) / 3072
            let spread = thumbnail.values.map { abs($0 - mean) }.reduce(0, +) / 3072
            #expect(spread > 0.02, "\(url.lastPathComponent) thumbnail is nearly flat")
        }
    }
}
