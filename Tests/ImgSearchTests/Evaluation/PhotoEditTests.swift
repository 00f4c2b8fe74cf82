import Testing
@testable import ImgSearch

/// Each edit of the edited-copies test does what its name says.
@Suite struct PhotoEditTests {
    let image = ClassicDescriptorTests.scene(width: 100, height: 60)

    @Test func cropsKeepTheCentreOrTheCorner() throws {
        let centre = try PhotoEdit.crop70.apply(to: image)
        #expect((centre.width, centre.height) == (70, 42))
        #expect(centre[x: 0, y: 0] == image[x: 15, y: 9])
        let corner = try PhotoEdit.crop70Corner.apply(to: image)
        #expect(corner[x: 69, y: 41] == image[x: 69, y: 41])
        let ninety = try PhotoEdit.crop90.apply(to: image)
        #expect((ninety.width, ninety.height) == (90, 54))
    }

    @Test func scalesRotationsAndShapesHaveTheirSizes() throws {
        #expect(try PhotoEdit.scale25.apply(to: image).width == 25)
        #expect(try PhotoEdit.scale5.apply(to: image).height == 3)
        let turned = try PhotoEdit.rotate90.apply(to: image)
        #expect((turned.width, turned.height) == (60, 100))
        // Anticlockwise: the top-right corner comes to the top-left.
        #expect(turned[x: 0, y: 0] == image[x: 99, y: 0])
        #expect(try PhotoEdit.mirror.apply(to: image)[x: 0, y: 5] == image[x: 99, y: 5])
        let boxed = try PhotoEdit.letterbox.apply(to: image)
        #expect((boxed.width, boxed.height) == (100, 100))
        #expect(boxed[x: 50, y: 0] == (0, 0, 0) && boxed[x: 37, y: 20 + 30] == image[x: 37, y: 30])
        #expect(try PhotoEdit.squash16x9.apply(to: image).height == 56)
    }

    @Test func aSmallRotationKeepsTheCanvasAndBlackensTheCorners() throws {
        let turned = try PhotoEdit.rotate5.apply(to: image)
        #expect((turned.width, turned.height) == (100, 60))
        #expect(turned[x: 0, y: 0] == (0, 0, 0))
        let centre = image[x: 50, y: 30], turnedCentre = turned[x: 50, y: 30]
        #expect(abs(Int(centre.red) - Int(turnedCentre.red)) <= 12)
    }

    @Test func toneEditsChangeValuesAsNamed() throws {
        let grey = try PhotoEdit.greyscale.apply(to: image)
        #expect(grey.pixels.indices.filter { $0 % 3 == 0 }.allSatisfy { grey.pixels[$0] == grey.pixels[$0 + 1] && grey.pixels[$0] == grey.pixels[$0 + 2] })
        let bright = try PhotoEdit.brightness140.apply(to: image)
        #expect(bright.pixels[3 * 10] == UInt8(min(255, (Float(image.pixels[3 * 10]) * 1.4).rounded())))
        let flat = try PhotoEdit.contrast60.apply(to: image)
        let spread = { (picture: RGBImage) in Int(picture.pixels.max()!) - Int(picture.pixels.min()!) }
        #expect(spread(flat) < spread(image))
        let captioned = try PhotoEdit.captionBand.apply(to: image)
        #expect(captioned[x: 10, y: 59] == (24, 24, 24) && captioned[x: 10, y: 50] == image[x: 10, y: 50])
        let recompressed = try PhotoEdit.jpegQuality20.apply(to: image)
        #expect((recompressed.width, recompressed.height) == (100, 60) && recompressed != image)
    }
}
