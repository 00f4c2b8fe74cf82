import ImgSearchImaging

/// The colour term added to the real-code distance when the shortlist is
/// re-ranked (``QueryOptions/colourWeight``): the L1 distance between the
/// thumbnails' HSV histograms (0 ... 2), times the weight.
///
/// Why: the code is made from contrast-normalized gradients and colour
/// layout, so it ranks the shape of a scene well and which colours it has
/// poorly; the histogram is the opposite, and it does not change when a
/// picture is mirrored, turned or cropped (docs/quality.md, "Colour in the
/// re-ranking").
enum ColourDistance {
    /// A query counts as grey, and its colour term as 0, when at least this
    /// share of its pixels is in the lowest saturation bin: a greyscale copy
    /// of a photo says nothing about the photo's colours.
    static let greyShareLimit: Float = 0.95

    /// `weight` times the smallest L1 distance between `candidate` and one of
    /// the query's histograms (the image's and, with black bars cut, the
    /// trimmed copy's), or 0 when the first of them is grey.
    static func term<Bins: RandomAccessCollection<Float>>(weight: Float, candidate: Bins, query: [Bins]) -> Float {
        guard weight > 0, let image = query.first, greyShare(image) < greyShareLimit else { return 0 }
        var nearest = Float.infinity
        for histogram in query {
            var sum: Float = 0
            for (a, b) in zip(candidate, histogram) { sum += abs(a - b) }
            nearest = min(nearest, sum)
        }
        return weight * nearest
    }

    /// The grey share of 8 x 4 x 4 shares (``ColourHistogram/greyShare``),
    /// summed in place: `term` runs once per shortlisted candidate, and
    /// wrapping the shares in a histogram copied them each time.
    static func greyShare<Bins: RandomAccessCollection<Float>>(_ shares: Bins) -> Float {
        // Bin (hue x 4 + saturation) x 4 + value: saturation 0 is every bin whose (index / 4) % 4 is 0.
        var sum: Float = 0
        for (index, share) in shares.enumerated() where (index / 4) % 4 == 0 { sum += share }
        return sum
    }
}
