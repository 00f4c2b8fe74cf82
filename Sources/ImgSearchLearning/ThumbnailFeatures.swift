import Foundation
import ImgSearchCore
import ImgSearchImaging
import ImgSearchLinearAlgebra

/// What the network's first layer sees of a thumbnail: histograms of
/// gradient orientations over a grid of cells, followed by the thumbnail's
/// own colour values, contrast-normalized.
///
/// Why: raw pixel distances are dominated by where light and colour fall,
/// not by what a picture shows. Histograms of oriented gradients (Dalal and
/// Triggs, 2005) describe shape and are indifferent to brightness and small
/// shifts. On the CIFAR-10 validation split, PCA-30 retrieval on these
/// features reached mAP@1000 0.30 against 0.23 on the pixels
/// (docs/quality.md, "Choosing the input"); the colour block keeps what
/// gradients lose (sky, grass, water). The block weight is folded into the
/// model's standardization by the trainer (``weighted(_:)``), so encoding
/// needs nothing else.
///
/// Output layout, for a `side` x `side` thumbnail: `(side / cellSize)^2 *
/// orientationBins` histogram values (cells row by row, bins within a cell;
/// the whole block scaled to unit length); with two gradient scales a
/// second such block, of the thumbnail area-averaged to half its side with
/// cells of half the size (the same grid); then `3 * colourSide *
/// colourSide` colour values: the thumbnail area-averaged to `colourSide`
/// x `colourSide`, in the thumbnail's channel-planar order, each image's
/// values minus their mean and divided by their standard deviation plus
/// `contrastEpsilon` (``ContrastNormalization``).
///
/// The colour block is coarse (8 x 8 by default) because colour says where
/// sky, grass and water are, not where edges are (the histograms have
/// those): on the validation split PCA-30 retrieval did as well with 8 x 8
/// colour as with 32 x 32 (docs/quality.md, "Choosing the input"), with a
/// first layer of 768 inputs instead of 3,648, a quarter of the encoder's
/// arithmetic, and a half-size copy of a picture has the same coarse
/// colours as its original.
///
/// The second gradient scale is for the same copies: a picture shrunk to
/// half its side and enlarged back by the thumbnail has the original's
/// half-resolution grey image, so the coarse block is the original's
/// (a test checks it), while the fine block, which carries most of what
/// tells classes apart, changes. With both, linear retrieval loses a little
/// mAP against the fine block alone and a half-size copy's nearest
/// neighbour is its original more often (docs/quality.md, "History").
///
/// The optional colour-histogram block (``histogramWeight`` above 0) comes
/// last: the thumbnail's 8 x 4 x 4 HSV histogram (``ColourHistogram``'s
/// bins), each share square-rooted. The colour block above is contrast
/// normalized, so it keeps where colours lie but not which colours a
/// picture has; the histogram keeps those, whatever the pose or framing,
/// which is what tells one object from another in a folder of photos
/// (docs/quality.md, "Colour"). The square roots make the Euclidean
/// distance the network learns from behave like the Hellinger distance
/// between histograms, a close cousin of the L1 distance the histogram
/// baseline ranks by.
public struct ThumbnailFeatures: Sendable, Equatable, Codable {
    /// The thumbnail's side (32).
    public var side: Int
    /// Cell side of the gradient histograms; 0 for no gradient block.
    public var cellSize: Int
    /// Orientation bins over [0, pi) (unsigned gradients).
    public var orientationBins: Int
    /// 1: histograms of the thumbnail; 2: also of the thumbnail
    /// area-averaged to half its side, over the same cells (a second block).
    public var gradientScales: Int
    /// Per-image contrast normalization of the colour block; 0 keeps the values as they are.
    public var contrastEpsilon: Float
    /// Side of the colour block: the thumbnail area-averaged to this many
    /// pixels a side (a divisor of `side`; `side` keeps every pixel).
    public var colourSide: Int
    /// The colour block's weight against the gradient block after
    /// standardization (each colour value counts this much of a histogram
    /// value); applied by ``weighted(_:)``.
    public var colourWeight: Float
    /// The colour-histogram block's weight after standardization, applied
    /// by ``weighted(_:)``; 0 for no histogram block.
    public var histogramWeight: Float

    /// Bins of the colour-histogram block: hue, saturation, value.
    public static let histogramBins = (hue: 8, saturation: 4, value: 4)

    public init(side: Int = 32, cellSize: Int = 4, orientationBins: Int = 9, gradientScales: Int = 2, contrastEpsilon: Float = 0.05,
                colourSide: Int = 8, colourWeight: Float = 0.8, histogramWeight: Float = 0) {
        self.side = side
        self.cellSize = cellSize
        self.orientationBins = orientationBins
        self.gradientScales = gradientScales
        self.contrastEpsilon = contrastEpsilon
        self.colourSide = colourSide
        self.colourWeight = colourWeight
        self.histogramWeight = histogramWeight
    }

    private enum CodingKeys: String, CodingKey {
        case side, cellSize, orientationBins, gradientScales, contrastEpsilon, colourSide, colourWeight, histogramWeight
    }

    /// Decodes settings saved before the histogram block existed as having none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        side = try container.decode(Int.self, forKey: .side)
        cellSize = try container.decode(Int.self, forKey: .cellSize)
        orientationBins = try container.decode(Int.self, forKey: .orientationBins)
        gradientScales = try container.decode(Int.self, forKey: .gradientScales)
        contrastEpsilon = try container.decode(Float.self, forKey: .contrastEpsilon)
        colourSide = try container.decode(Int.self, forKey: .colourSide)
        colourWeight = try container.decode(Float.self, forKey: .colourWeight)
        histogramWeight = try container.decodeIfPresent(Float.self, forKey: .histogramWeight) ?? 0
    }

    /// These settings for a square RGB thumbnail of `count` values
    /// (`3 * side * side`), or nil when `count` is not one.
    public func sized(toThumbnailValues count: Int) -> ThumbnailFeatures? {
        let side = Int(Double(count / 3).squareRoot().rounded())
        guard side > 0, 3 * side * side == count else { return nil }
        var sized = self
        sized.side = side
        return sized
    }

    /// Why these settings cannot describe features, or nil when they can.
    public var problem: String? {
        guard side > 0, side <= 4096 else { return "thumbnail side \(side) is not in 1...4096" }
        guard cellSize >= 0, cellSize == 0 || side % cellSize == 0 else { return "cell size \(cellSize) does not divide the side \(side)" }
        guard cellSize == 0 || (1...64).contains(orientationBins) else { return "\(orientationBins) orientation bins: need 1...64" }
        guard (1...2).contains(gradientScales) else { return "\(gradientScales) gradient scales: need 1 or 2" }
        guard cellSize == 0 || gradientScales == 1 || cellSize % 2 == 0 else {
            return "cell size \(cellSize) is odd: a second gradient scale halves it"
        }
        guard colourSide > 0, side % colourSide == 0 else { return "colour side \(colourSide) does not divide the side \(side)" }
        guard contrastEpsilon >= 0, contrastEpsilon.isFinite else { return "contrast epsilon \(contrastEpsilon) is negative or not finite" }
        guard colourWeight > 0, colourWeight.isFinite else { return "colour weight \(colourWeight) must be positive" }
        guard histogramWeight >= 0, histogramWeight.isFinite else {
            return "histogram weight \(histogramWeight) must be 0 (no histogram) or positive"
        }
        return nil
    }

    /// Values per thumbnail in: `3 * side * side`.
    public var inputCount: Int { 3 * side * side }
    /// Histogram values per thumbnail out.
    public var gradientCount: Int { cellSize == 0 ? 0 : gradientScales * (side / cellSize) * (side / cellSize) * orientationBins }
    /// Colour values per thumbnail out.
    public var colourCount: Int { 3 * colourSide * colourSide }
    /// Colour-histogram values per thumbnail out (0 without the block).
    public var histogramCount: Int {
        histogramWeight > 0 ? Self.histogramBins.hue * Self.histogramBins.saturation * Self.histogramBins.value : 0
    }
    /// Values per thumbnail out: the gradient histograms, the colour values, the colour histogram.
    public var outputCount: Int { gradientCount + colourCount + histogramCount }

    /// The features of each row of `thumbnails`.
    /// - Parameter thumbnails: `(samples, inputCount)`, values in [0, 1], channel-planar
    /// - Returns: `(samples, outputCount)`
    public func transform(_ thumbnails: Matrix) -> Matrix {
        precondition(thumbnails.columns == inputCount, "\(thumbnails.columns) values per thumbnail, features of side \(side) take \(inputCount)")
        var output = Matrix(rows: thumbnails.rows, columns: outputCount)
        let gradients = gradientCount, colours = colourCount, pixels = inputCount, width = outputCount, rows = thumbnails.rows
        let contrast = contrastEpsilon > 0 ? ContrastNormalization(epsilon: contrastEpsilon) : nil
        // Rows in parallel: the indexer encodes on one thread while others
        // decode, and the features would otherwise leave a core idle.
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, rows / 64))
        thumbnails.elements.withUnsafeBufferPointer { input in
            output.elements.withUnsafeMutableBufferPointer { out in
                // Each part writes its own rows only.
                let shared = UncheckedSendable((input, out))
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let (input, out) = shared.value
                    let workspace = Workspace(features: self)
                    defer { workspace.deallocate() }
                    for row in (rows * part / parts)..<(rows * (part + 1) / parts) {
                        let sample = UnsafeBufferPointer(rebasing: input[(row * pixels)..<((row + 1) * pixels)])
                        let target = UnsafeMutableBufferPointer(rebasing: out[(row * width)..<(row * width + gradients)])
                        if gradients > 0 { gradientBlocks(of: sample, workspace: workspace, into: target) }
                        let colourStart = row * width + gradients
                        let colour = UnsafeMutableBufferPointer(rebasing: out[colourStart..<(colourStart + colours)])
                        let values = colourSide == side ? sample : pool(sample, into: workspace.pooled)
                        if let contrast {
                            contrast.normalize(values, into: colour)
                        } else {
                            _ = colour.initialize(from: values)
                        }
                        if histogramWeight > 0 {
                            colourHistogram(of: sample, into: UnsafeMutableBufferPointer(
                                rebasing: out[(colourStart + colours)..<((row + 1) * width)]))
                        }
                    }
                }
            }
        }
        return output
    }

    /// The square roots of the shares of `sample`'s pixels in each HSV bin.
    private func colourHistogram(of sample: UnsafeBufferPointer<Float>, into target: UnsafeMutableBufferPointer<Float>) {
        let area = side * side, bins = Self.histogramBins
        target.update(repeating: 0)
        for pixel in 0..<area {
            let bin = ColourHistogram.bin(red: sample[pixel], green: sample[area + pixel], blue: sample[2 * area + pixel],
                                          hueBins: bins.hue, saturationBins: bins.saturation, valueBins: bins.value)
            target[bin] += 1
        }
        let share = 1 / Float(area)
        for index in target.indices { target[index] = (target[index] * share).squareRoot() }
    }

    /// `sample` area-averaged to `colourSide` x `colourSide`, channel-planar, in `target`.
    private func pool(_ sample: UnsafeBufferPointer<Float>, into target: UnsafeMutableBufferPointer<Float>) -> UnsafeBufferPointer<Float> {
        let side = self.side, colourSide = self.colourSide, block = side / colourSide
        let scale = 1 / Float(block * block)
        for channel in 0..<3 {
            for y in 0..<colourSide {
                for x in 0..<colourSide {
                    var sum: Float = 0
                    for dy in 0..<block {
                        let row = (channel * side + y * block + dy) * side + x * block
                        for dx in 0..<block { sum += sample[row + dx] }
                    }
                    target[(channel * colourSide + y) * colourSide + x] = sum * scale
                }
            }
        }
        return UnsafeBufferPointer(target)
    }

    /// `statistics` (fitted on ``transform(_:)``'s output) with the colour
    /// block's deviations divided by ``colourWeight``: standardizing with
    /// the result gives the colour values that weight.
    public func weighted(_ statistics: Standardization) -> Standardization {
        var result = statistics
        let colourEnd = gradientCount + colourCount
        for index in gradientCount..<colourEnd { result.standardDeviation[index] /= colourWeight }
        for index in colourEnd..<outputCount { result.standardDeviation[index] /= histogramWeight }
        return result
    }

    /// Scratch memory for one thread's rows, allocated once per
    /// ``transform(_:)`` part rather than per thumbnail, and the sines and
    /// cosines of the orientation bins' boundaries.
    private struct Workspace {
        let grey, coarseGrey, pooled, dx, dy, magnitude, cosines, sines: UnsafeMutableBufferPointer<Float>
        let bin: UnsafeMutableBufferPointer<Int32>

        init(features: ThumbnailFeatures) {
            let side = features.side, boundaries = max(0, features.orientationBins - 1)
            grey = .allocate(capacity: side * side)
            coarseGrey = .allocate(capacity: (side / 2) * (side / 2))
            pooled = .allocate(capacity: features.colourCount)
            dx = .allocate(capacity: side)
            dy = .allocate(capacity: side)
            magnitude = .allocate(capacity: side)
            bin = .allocate(capacity: side)
            cosines = .allocate(capacity: boundaries)
            sines = .allocate(capacity: boundaries)
            for boundary in 0..<boundaries {
                let angle = Float.pi * Float(boundary + 1) / Float(features.orientationBins)
                cosines[boundary] = cos(angle)
                sines[boundary] = sin(angle)
            }
        }

        func deallocate() {
            for buffer in [grey, coarseGrey, pooled, dx, dy, magnitude, cosines, sines] { buffer.deallocate() }
            bin.deallocate()
        }
    }

    /// The gradient histograms of one thumbnail at each scale: of its grey
    /// image (the mean of the channels) and, with two scales, of the grey
    /// image area-averaged to half the side, with cells half the size, so
    /// both blocks cover the same grid of cells. Each block has unit length.
    private func gradientBlocks(of sample: UnsafeBufferPointer<Float>, workspace: Workspace,
                                into target: UnsafeMutableBufferPointer<Float>) {
        let side = self.side, area = side * side, block = (side / cellSize) * (side / cellSize) * orientationBins
        let grey = workspace.grey
        for index in 0..<area {
            grey[index] = (sample[index] + sample[area + index] + sample[2 * area + index]) / 3
        }
        histograms(ofGrey: UnsafeBufferPointer(grey), side: side, cellSize: cellSize, workspace: workspace,
                   into: UnsafeMutableBufferPointer(rebasing: target[0..<block]))
        guard gradientScales == 2 else { return }
        let half = side / 2, coarse = workspace.coarseGrey
        for y in 0..<half {
            for x in 0..<half {
                let at = 2 * y * side + 2 * x
                coarse[y * half + x] = (grey[at] + grey[at + 1] + grey[at + side] + grey[at + side + 1]) / 4
            }
        }
        histograms(ofGrey: UnsafeBufferPointer(coarse), side: half, cellSize: cellSize / 2, workspace: workspace,
                   into: UnsafeMutableBufferPointer(rebasing: target[block..<(2 * block)]))
    }

    /// Orientation histograms of one grey image: central differences inside
    /// the border (0 on it), each pixel's gradient magnitude added to its
    /// cell's bin of the unsigned angle, the whole block scaled to unit
    /// length.
    ///
    /// The bin comes from sign tests against the bin boundaries instead of
    /// `atan2`: with the gradient turned into the upper half-plane, its angle
    /// is at or past boundary theta exactly when cos(theta) dy - sin(theta)
    /// dx >= 0. Same bins (up to rounding exactly on a boundary), and
    /// `atan2` was a large share of the indexer's time.
    private func histograms(ofGrey grey: UnsafeBufferPointer<Float>, side: Int, cellSize: Int, workspace: Workspace,
                            into target: UnsafeMutableBufferPointer<Float>) {
        let cells = side / cellSize, bins = orientationBins
        let dxs = workspace.dx, dys = workspace.dy, magnitudes = workspace.magnitude, binsOfRow = workspace.bin
        let cosines = workspace.cosines, sines = workspace.sines
        target.update(repeating: 0)
        // One row's gradients at a time, in loops without branches that the
        // compiler vectorizes, then added to the cells one by one.
        for y in 0..<side {
            let row = y * side
            // Central differences inside the border, 0 on it.
            UnsafeMutableBufferPointer(rebasing: dxs[0..<side]).update(repeating: 0)
            UnsafeMutableBufferPointer(rebasing: dys[0..<side]).update(repeating: 0)
            if side > 2 {
                for x in 1..<(side - 1) { dxs[x] = grey[row + x + 1] - grey[row + x - 1] }
            }
            if y > 0 && y < side - 1 {
                for x in 0..<side { dys[x] = grey[row + side + x] - grey[row - side + x] }
            }
            for x in 0..<side {
                let dx = dxs[x], dy = dys[x]
                magnitudes[x] = (dx * dx + dy * dy).squareRoot()
                // Unsigned: turned into the upper half-plane, angle in [0, pi).
                let turn = dy < 0 || (dy == 0 && dx < 0)
                let ux = turn ? -dx : dx, uy = turn ? -dy : dy
                var bin: Int32 = 0
                for boundary in 0..<cosines.count {
                    bin &+= cosines[boundary] * uy - sines[boundary] * ux >= 0 ? 1 : 0
                }
                binsOfRow[x] = bin
            }
            let cellRow = (y / cellSize) * cells
            for x in 0..<side {
                // A zero gradient lands in some bin and adds nothing there.
                target[(cellRow + x / cellSize) * bins + Int(binsOfRow[x])] += magnitudes[x]
            }
        }
        var squares: Float = 0
        for value in target { squares += value * value }
        let scale = 1 / (squares.squareRoot() + 1e-3)
        for index in target.indices { target[index] *= scale }
    }
}
