import Foundation
import ImgSearchTestFixtures
import Testing
@testable import ImgSearch

/// The colour term of the re-ranking (`ColourDistance`) and the thumbnail
/// histogram it compares.
@Suite struct ColourDistanceTests {
    @Test func aThumbnailsHistogramIsItsPicturesHistogram() {
        // A 32 x 32 picture is its own thumbnail: both histograms count the same pixels.
        let picture = SyntheticPhotos.image(4, width: 32, height: 32)
        let thumbnail = Thumbnail(of: picture, side: 32)
        #expect(ColourHistogram(of: thumbnail) == ColourHistogram(of: picture))
    }

    @Test func aMirroredOrTurnedThumbnailHasTheSameHistogram() {
        let thumbnail = Thumbnail(of: SyntheticPhotos.image(5, width: 90, height: 60), side: 32)
        let histogram = ColourHistogram(of: thumbnail)
        #expect(ColourHistogram(of: thumbnail.mirrored) == histogram)
        for turns in 1...3 { #expect(ColourHistogram(of: thumbnail.rotated(quarterTurns: turns)) == histogram) }
    }

    @Test func theTermIsTheWeightTimesTheNearerQueryHistogramsDistance() {
        let a = ColourHistogram(of: Thumbnail(of: SyntheticPhotos.image(1, label: 0), side: 32))
        let b = ColourHistogram(of: Thumbnail(of: SyntheticPhotos.image(2, label: 2), side: 32))
        let c = ColourHistogram(of: Thumbnail(of: SyntheticPhotos.image(3, label: 2), side: 32))
        #expect(a.greyShare < ColourDistance.greyShareLimit)
        let term = ColourDistance.term(weight: 3, candidate: c.shares, query: [a.shares, b.shares])
        #expect(abs(term - 3 * min(a.distance(to: c), b.distance(to: c))) < 1e-5)
        #expect(b.distance(to: c) < a.distance(to: c))  // the trimmed copy, say, is the nearer one
        #expect(ColourDistance.term(weight: 0, candidate: c.shares, query: [a.shares]) == 0)
    }

    @Test func aGreyQueryHasNoColourTerm() {
        // A greyscale copy of a colour photo: every pixel in the lowest saturation bin.
        let photo = SyntheticPhotos.image(6, width: 48, height: 32)
        let grey = RGBImage(width: photo.width, height: photo.height, pixels: stride(from: 0, to: photo.pixels.count, by: 3).flatMap { i -> [UInt8] in
            let level = UInt8((Int(photo.pixels[i]) + Int(photo.pixels[i + 1]) + Int(photo.pixels[i + 2])) / 3)
            return [level, level, level]
        })
        let greyHistogram = ColourHistogram(of: Thumbnail(of: grey, side: 32))
        let colourHistogram = ColourHistogram(of: Thumbnail(of: photo, side: 32))
        #expect(greyHistogram.greyShare == 1)
        #expect(greyHistogram.distance(to: colourHistogram) > 1)
        #expect(ColourDistance.term(weight: 16, candidate: colourHistogram.shares, query: [greyHistogram.shares]) == 0)
        // The other way round, a colour query against a grey image, the term counts.
        #expect(ColourDistance.term(weight: 16, candidate: greyHistogram.shares, query: [colourHistogram.shares]) > 16)
    }
}
