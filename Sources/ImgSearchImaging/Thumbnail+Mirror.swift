extension Thumbnail {
    /// The thumbnail mirrored left to right, what a horizontally flipped
    /// picture would give.
    ///
    /// Query augmentation (Krizhevsky & Hinton, ESANN 2011, query with
    /// transformed copies of the image): the autoencoder is not trained to be
    /// invariant to mirroring, so a mirrored scene can land far away in
    /// Hamming space; querying with both and merging finds either.
    public var mirrored: Thumbnail {
        var values = self.values
        let side = self.side
        for plane in 0..<3 {
            for y in 0..<side {
                let row = (plane * side + y) * side
                values[row..<(row + side)].reverse()
            }
        }
        return Thumbnail(side: side, values: values)
    }
}
