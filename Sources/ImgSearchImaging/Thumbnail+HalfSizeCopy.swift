extension Thumbnail {
    /// The thumbnail a half-size copy of this picture gives: the 8-bit
    /// picture shrunk to half its side (area average) and thumbnailed again,
    /// through the same resampling the indexer uses (which enlarges by
    /// repeating pixels).
    ///
    /// What the trainer feeds the encoder in place of some images, so that
    /// a scaled-down copy gets its original's code (see
    /// ``ThumbnailModelSettings/halfSizeCopyShare``), and what the
    /// near-duplicate test's half-size copy of a picture of the thumbnail's
    /// size comes to (``ImageDistortion/halfSize``).
    public var halfSizeCopy: Thumbnail {
        let shrunk = rgbImage.resized(width: max(1, side / 2), height: max(1, side / 2))
        return Thumbnail(of: shrunk, side: side)
    }
}
